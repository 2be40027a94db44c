"""Role-aware panels on the staff home page. Apps add panels by registering a provider here."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass
class Panel:
    title: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    figures: list[tuple[str, object]] = field(default_factory=list)  # (label, value)
    order: int = 100


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


def _load_providers() -> None:
    global _loaded
    if _loaded:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("desk_panels")
    _loaded = True


@register
def _org_panel(actor):
    from django.urls import NoReverseMatch, reverse

    from sunshine.org import selectors
    from sunshine.org.capabilities import Capability, has_capability
    from sunshine.org.choices import PovertyStatus

    if not has_capability(actor, Capability.VIEW_HOUSEHOLDS):
        return None
    households = selectors.household_list_visible_to(actor=actor)
    links = [(_("建档立卡户"), reverse("desk:households")), (_("单位"), reverse("desk:units"))]
    if has_capability(actor, Capability.IMPORT_HOUSEHOLDS):
        try:
            links.append((_("导入建档立卡户"), reverse("desk:household_import")))
        except NoReverseMatch:  # the import page is registered by the import module
            pass
    return Panel(
        title=_("组织与农户"),
        links=links,
        figures=[
            (_("建档立卡户"), households.count()),
            (_("未脱贫户"), households.filter(poverty_status=PovertyStatus.POOR).count()),
            (_("监测户"), households.filter(poverty_status=PovertyStatus.MONITORED).count()),
        ],
        order=10,
    )
