"""The demo-city seeding context shared by every app's `demo.py` (called by `sunshine seed_demo`)."""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

DEMO_SEED = 20261125
DEMO_PASSWORD = "sunshine-demo-2026"


@dataclass
class DemoContext:
    rng: random.Random
    faker: object  # faker.Faker("zh_CN"), seeded
    today: dt.date
    households: int
    scale: float  # households / default, for apps that scale their own volumes
    write: object = print  # progress output
    accounts: dict = field(default_factory=dict)  # role key -> Account, filled by org.demo
    townships: int = 20  # size of the invented city (seed_demo --townships / --villages)
    villages: int = 300


@dataclass(frozen=True)
class DemoStep:
    app: str
    seed: Callable[[DemoContext], None]
    order: int  # lower first: an app's data is built on the data of the apps below it


_STEPS: dict[str, DemoStep] = {}


def register_demo_step(app: str, *, order: int) -> Callable:
    """Decorator on an app's `seed(ctx)` in `<app>/demo.py`: `sunshine seed_demo` runs it, in `order`.

    The kernel keeps the list so that the command knows no app above it: each app registers its own step.
    """
    def decorator(seed: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _STEPS[app] = DemoStep(app=app, seed=seed, order=order)
        return seed
    return decorator


def demo_steps() -> list[DemoStep]:
    """Every registered step, in order (imports each installed app's `demo` module once)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda step: step.order)
