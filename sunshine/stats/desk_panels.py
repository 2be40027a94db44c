"""Each role's own home (the first thing on the staff home page, above the six totals):

- city leaders compare the townships and the units;
- the special governance office sees what is overdue first, then the townships compared;
- a discipline room, inspection or audit sees the units it supervises;
- a township sees its villages; a department its own fund items; a village its own figures.

Built from the registered statistics tables, so each section has its table and its chart.
"""
from __future__ import annotations

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunshine.core.panels import Panel, register
from sunshine.org.capabilities import has_capability
from sunshine.org.choices import Role

from . import registry
from .capabilities import Capability
from .registry import Params

OVERDUE_LISTED = 10


def _section(actor, slug: str, title, *, dim: str = "region", keys: tuple[str, ...] = ()):
    from .figures import figures

    table = registry.table(slug)
    if table is None or not table.allowed(actor):
        return None
    result = figures(table, actor=actor, params=Params(dim=dim))
    if keys:
        keep = set(keys)
        result.table = _Narrowed(table, keep)
    return {"title": title, "result": result, "chart": result.chart(), "slug": f"{slug}-{dim}",
            "url": reverse("stats:table", args=[slug]) + (f"?dim={dim}" if dim != "region" else "")}


class _Narrowed:
    """A table seen through fewer measures (a home section shows the two or three that matter)."""

    def __init__(self, table, keep: set[str]):
        self._table, self._keep = table, keep

    def __getattr__(self, name):
        return getattr(self._table, name)

    @property
    def measures(self):
        return tuple(m for m in self._table.measures if m.key in self._keep and not m.hidden)

    @property
    def chart_measures(self):
        return tuple(k for k in self._table.chart_measures if k in self._keep) or tuple(self._keep)[:2]


def _overdue(actor):
    from sunshine.cases import selectors as cases
    from sunshine.cases.capabilities import Capability as CasesCapability

    if not has_capability(actor, CasesCapability.VIEW):
        return None
    today = timezone.localdate()
    qs = cases.overdue_open_cases(actor=actor, today=today)
    # The first few in queue order from the case table alone (values() leaves the joins out), with the count of
    # them all from the same pass (a window over the filtered rows, taken before the LIMIT: a second count scanned
    # a city's overdue cases again); then only those loaded with what the list shows (number, unit, status):
    # joining every overdue case to its report, places and handler before the sort cost seconds on a city's cases.
    head = list(qs.annotate(n_all=Window(Count("pk"))).values_list("pk", "n_all")[:OVERDUE_LISTED])
    first = [pk for pk, _n in head]
    listed = qs.filter(pk__in=first).select_related(None).select_related("handling_unit").order_by()
    loaded = {c.pk: c for c in listed} if first else {}
    # The export of every overdue case (the desk's `home-overdue`, no personal numbers in it): a plain link, so this
    # panel's template needs none of the desk's template tags (stats sits below the desk).
    export_url = reverse("desk:list_export", args=["home-overdue"]) if has_capability(actor, Capability.EXPORT) else ""
    return {"count": head[0][1] if head else 0, "cases": [loaded[pk] for pk in first if pk in loaded],
            "url": reverse("desk:cases_overdue"), "export_url": export_url}


@register
def role_home(actor):
    if not has_capability(actor, Capability.VIEW):
        return None
    role = getattr(actor, "role", "")
    sections, overdue, heading = [], None, _("本辖区情况")
    if role in (Role.GOVERNANCE_OFFICE, Role.ADMIN):
        heading = _("全市情况（超期优先）")
        overdue = _overdue(actor)
        sections = [_section(actor, "reports", _("各乡镇举报办理"), keys=("cases", "overdue", "closed")),
                    _section(actor, "deadlines", _("办理时限"), dim="deadline",
                             keys=("on_time", "late", "overdue", "on_time_rate", "done")),
                    _section(actor, "disclosure", _("各乡镇资金公开"),
                             keys=("payments_share", "projects_share", "transactions_share", "payments_overdue",
                                   "payments", "payments_published", "projects", "projects_published",
                                   "transactions", "transactions_published"))]
    elif role == Role.CITY_LEADER:
        heading = _("乡镇与单位对比")
        sections = [_section(actor, "reports", _("各乡镇举报办理"), keys=("cases", "overdue", "closed")),
                    _section(actor, "reports", _("各承办单位办理"), dim="unit", keys=("cases", "overdue", "closed")),
                    _section(actor, "money", _("各乡镇资金到位与滞留"),
                             keys=("allocated", "paid_share", "idle_amount", "paid")),
                    _section(actor, "disclosure", _("各乡镇资金公开"),
                             keys=("payments_share", "projects_share", "payments", "payments_published", "projects",
                                   "projects_published"))]
    elif role in (Role.DISCIPLINE, Role.INSPECTION, Role.AUDIT):
        heading = _("监督联系单位")
        overdue = _overdue(actor)
        sections = [_section(actor, "reports", _("各单位举报办理"), dim="unit", keys=("cases", "overdue", "closed")),
                    _section(actor, "urges", _("督办与提级"), dim="unit", keys=("urges", "urges_open", "escalated"))]
    elif role == Role.TOWNSHIP:
        heading = _("各村情况")
        overdue = _overdue(actor)
        sections = [_section(actor, "reports", _("各村举报"), keys=("cases", "overdue")),
                    _section(actor, "disclosure", _("各村资金公开"),
                             keys=("payments_share", "payments_overdue", "payments", "payments_published")),
                    _section(actor, "money", _("各村资金到位与滞留"), keys=("allocated", "paid_share", "idle_amount",
                                                                       "paid")),
                    _section(actor, "sms", _("各村短信送达（无可用手机号的农户请村里核实）"),
                             keys=("delivered", "failed_no_phone", "failed_number", "households_no_phone"))]
    elif role == Role.DEPARTMENT:
        heading = _("本部门资金项目")
        sections = [_section(actor, "money", _("各资金项目到位与滞留"), dim="fund_item",
                             keys=("allocated", "paid_projects", "idle_count", "idle_amount", "paid"))]
    elif role == Role.VILLAGE:
        heading = _("本村情况")
        sections = [_section(actor, "disclosure", _("本村资金公开"),
                             keys=("payments_share", "payments_overdue", "payments", "payments_published")),
                    _section(actor, "sms", _("本村短信送达"),
                             keys=("delivered", "failed_no_phone", "failed_number", "households_no_phone"))]
    sections = [s for s in sections if s]
    if not sections and overdue is None:
        return None
    links = [(_("统计分析"), reverse("stats:index"))]
    if has_capability(actor, Capability.BRIEF_READ):
        links.append((_("工作简报"), reverse("stats:briefs")))
    return Panel(title=heading, links=links, order=0, template="stats/home_panel.html",
                 context={"sections": sections, "overdue": overdue, "charts": bool(sections)})
