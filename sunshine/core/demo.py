"""The demo-city seeding context shared by every app's `demo.py` (called by `sunshine seed_demo`)."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

# Each app that adds demo data has `sunshine/<app>/demo.py` with `seed(ctx: DemoContext) -> None`;
# seed_demo calls them in this order, after the organisation and households exist.
DEMO_APPS = ["org", "notify", "funds", "cases", "oversight", "redflags"]
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
