"""The registry of panels on the staff home page: each app registers a provider, the desk reads them.

The registry sits in the kernel so that the page layer imports the domains and never the reverse: an app's
`desk_panels.py` registers here, and `desk` (which imports every app) only calls `panels_for`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    title: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    figures: list[tuple[str, object]] = field(default_factory=list)  # (label, value)
    order: int = 100
    lines: list[str] = field(default_factory=list)  # plain lines of text (a case panel's instructions, …)
    # When the figures were computed, for figures read from kept counts (sunshine.core.kept) rather than counted live.
    computed_at: object = None
    # A panel may bring its own template (rendered above the grid of figure panels, full width) and its context.
    template: str = ""
    context: dict = field(default_factory=dict)


_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> Callable:
    """Decorator: `provider(actor) -> Panel | None` adds a panel to the home page of actors it fits."""
    _PROVIDERS.append(provider)
    return provider


def panels_for(*, actor) -> list[Panel]:
    _load_providers()
    panels = [p for p in (provider(actor) for provider in _PROVIDERS) if p is not None]
    return sorted(panels, key=lambda p: p.order)


_loaded = False


def discover() -> None:
    """Import every app's desk_panels.py (the panels, and the kept counts they read: sunshine.core.kept)."""
    _load_providers()


def _load_providers() -> None:
    global _loaded
    if _loaded:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("desk_panels")
    _loaded = True


# ---- panels on a case page: a higher app (oversight) shows the handler what it holds about the case ------------
_CASE_PROVIDERS: list[Callable] = []


def register_case_panel(provider: Callable) -> Callable:
    """Decorator: `provider(case=..., actor=...) -> Panel | None` adds a panel to the desk's case page."""
    if provider not in _CASE_PROVIDERS:
        _CASE_PROVIDERS.append(provider)
    return provider


def case_panels_for(*, case, actor) -> list[Panel]:
    _load_providers()
    panels = [p for p in (provider(case=case, actor=actor) for provider in _CASE_PROVIDERS) if p is not None]
    return sorted(panels, key=lambda p: p.order)
