"""The organisation panel on the staff home page: the households of the actor's jurisdiction, the units."""
from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from sunshine.core import kept
from sunshine.core.panels import Panel, register

KEPT_HOUSEHOLDS = "org.households"


@kept.register(KEPT_HOUSEHOLDS)
def _households_by_village():
    """The whole city's households by village and poverty status (a million rows: kept, not counted per request)."""
    from . import selectors

    return selectors.household_counts_by_village()


@register
def org_panel(actor):
    from .capabilities import Capability, has_capability
    from .choices import PovertyStatus
    from .jurisdiction import scope_for

    if not has_capability(actor, Capability.VIEW_HOUSEHOLDS):
        return None
    households = kept.counts_for(KEPT_HOUSEHOLDS, scope=scope_for(actor))
    links = [(_("建档立卡户"), reverse("desk:households")), (_("单位"), reverse("desk:units"))]
    if has_capability(actor, Capability.IMPORT_HOUSEHOLDS):
        try:
            links.append((_("导入建档立卡户"), reverse("desk:household_import")))
        except NoReverseMatch:  # the import page is registered by the import module
            pass
    if has_capability(actor, Capability.IMPORT_REGIONS):
        try:
            links.append((_("行政区划导入"), reverse("desk:region_import")))
        except NoReverseMatch:
            pass
    if has_capability(actor, Capability.MANAGE_CALENDAR):
        links.append((_("工作日历"), reverse("desk:calendar")))
    return Panel(
        title=_("组织与农户"),
        links=links,
        figures=[
            (_("建档立卡户"), households.total),
            (_("未脱贫户"), households[PovertyStatus.POOR]),
            (_("监测户"), households[PovertyStatus.MONITORED]),
        ],
        order=10,
        computed_at=households.computed_at,
    )


@register
def calendar_panel(actor):
    """From 1 December, while next year's holiday arrangement is missing: every staff member is told that deadlines
    into next year are estimates; the office gets the page to enter it."""

    from django.utils import timezone

    from .calendar import next_year_missing
    from .capabilities import Capability, has_capability

    if not has_capability(actor, Capability.VIEW_ORG):
        return None
    year = next_year_missing(timezone.localdate())
    if year is None:
        return None
    links = []
    if has_capability(actor, Capability.MANAGE_CALENDAR):
        links.append((_("录入%(year)s年节假日安排") % {"year": year}, reverse("desk:calendar") + f"?year={year}"))
    return Panel(title=_("工作日历：%(year)s年的节假日安排尚未录入") % {"year": year}, links=links,
                 figures=[(_("跨入%(year)s年的办理期限") % {"year": year}, _("按周一至周五估算（标注“估算”）"))],
                 order=1)
