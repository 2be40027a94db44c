"""Oversight figures (三(二)1–2, 三(三)2, 三(四)): field visits, leader-led cases (领办), training, talks with units
(约谈), year-end commitments, and rectification items with what is overdue. Read from the oversight app's
records, scoped by each record's own ScopedBy rule (visits by village and visiting unit, 领办 by the case's
handling unit, training by its organiser, 约谈 and commitments by the unit)."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..registry import PCT, REGION, UNIT, Measure, StatTable, register
from ._common import period, url

OVERSIGHT_VIEW = "oversight.view"
NEEDED = ("Visit", "LeaderAssignment", "TrainingSession", "Interview", "Commitment", "RectificationItem")


def available() -> bool:
    """The oversight app's records are here (branches issue-13a/13b): only then are these tables registered."""
    try:
        from sunshine.oversight import models
    except ImportError:
        return False
    return all(hasattr(models, name) for name in NEEDED)


def _index():
    from ..figures import Index

    return Index.get()


def _unit_path(index, unit_id) -> str:
    info = index.units.get(unit_id)
    return info.path if info else ""


class OversightTable(StatTable):
    slug = "oversight"
    title = _("监督检查")
    domain = "oversight"
    clause = "三（二）1–2、三（四）"
    description = _("领导干部调研走访、市领导领办信访件、作风问题专项治理培训、约谈成员单位、年终承诺兑现情况。")
    capability = OVERSIGHT_VIEW
    dims = (UNIT, REGION)
    measures = (
        Measure("visits", _("调研走访")),
        Measure("led_cases", _("领办信访件")),
        Measure("trainings", _("培训班次")),
        Measure("trained", _("培训人次")),
        Measure("interviews", _("约谈")),
        Measure("commitments", _("承诺事项")),
        Measure("kept", _("已兑现")),
        Measure("kept_share", _("兑现率（%）"), PCT, ratio=("kept", "checked")),
        Measure("checked", _("已检查"), hidden=True),
    )
    chart_measures = ("visits", "led_cases", "trainings", "interviews")
    order = 40

    def base(self, dim, params):
        from sunshine.oversight.models import Commitment, Interview, LeaderAssignment, TrainingSession, Visit

        index = _index()
        zero = {m.key: 0 for m in self.measures if not m.derived}
        acc: dict = defaultdict(lambda: dict(zero))

        def row(path, spath, unit):
            return acc[(path or "", spath or "", unit)]

        for r in period(Visit.objects.all(), "visited_on", params).order_by().values(
                "village_id", "visitor_unit_id").annotate(n=Count("id")):
            path = index.path_of(r["village_id"])
            row(path, path, r["visitor_unit_id"])["visits"] += r["n"]
        for r in period(LeaderAssignment.objects.all(), "assigned_on", params).order_by().values(
                "case__report__region_id", "case__handling_unit_id").annotate(n=Count("id")):
            u = r["case__handling_unit_id"]
            row(index.path_of(r["case__report__region_id"]), _unit_path(index, u), u)["led_cases"] += r["n"]
        for r in period(TrainingSession.objects.all(), "held_on", params).order_by().values(
                "organiser_id").annotate(n=Count("id"), people=Count("attendances")):
            u = r["organiser_id"]
            a = row(_unit_path(index, u), _unit_path(index, u), u)
            a["trainings"] += r["n"]
            a["trained"] += r["people"]
        for r in period(Interview.objects.all(), "held_on", params).order_by().values("unit_id").annotate(
                n=Count("id")):
            u = r["unit_id"]
            row(_unit_path(index, u), "", u)["interviews"] += r["n"]
        commitments = Commitment.objects.all()
        if params.date_from or params.date_to:
            years = [d.year for d in (params.date_from, params.date_to) if d]
            commitments = commitments.filter(year__gte=min(years), year__lte=max(years))
        for r in commitments.order_by().values("unit_id").annotate(
                n=Count("id"), n_kept=Count("id", filter=Q(kept=True)),
                n_checked=Count("id", filter=Q(kept__isnull=False))):
            u = r["unit_id"]
            a = row(_unit_path(index, u), _unit_path(index, u), u)
            a["commitments"] += r["n"]
            a["kept"] += r["n_kept"]
            a["checked"] += r["n_checked"]
        return [{"path": p, "spath": sp, "unit": u, "k": None, **v} for (p, sp, u), v in acc.items()]


class RectificationTable(StatTable):
    slug = "rectification"
    title = _("整改事项")
    domain = "oversight"
    clause = "三（三）2"
    description = _("巡察、审计、督查和案件中发现问题的整改：整改中、已整改、回头看销号、超期未整改和重新整改。")
    capability = OVERSIGHT_VIEW
    dims = (REGION, UNIT)
    measures = (
        Measure("items", _("整改事项")),
        Measure("open", _("整改中")),
        Measure("overdue", _("超期未整改")),
        Measure("done", _("已整改")),
        Measure("confirmed", _("销号")),
        Measure("reopened", _("重新整改")),
        Measure("confirmed_share", _("销号率（%）"), PCT, ratio=("confirmed", "items")),
    )
    chart_measures = ("open", "overdue", "confirmed")
    order = 41

    def base(self, dim, params):
        from sunshine.oversight.models import RectificationItem

        index = _index()
        today = params.today or timezone.localdate()
        qs = period(RectificationItem.objects.all(), "created_at__date", params)
        out = []
        for r in qs.order_by().values("region_id", "owner_unit_id").annotate(
                items=Count("id"), open=Count("id", filter=Q(status="open")),
                overdue=Count("id", filter=Q(status="open", deadline__lt=today)),
                done=Count("id", filter=Q(status="done")), confirmed=Count("id", filter=Q(status="confirmed")),
                reopened=Count("id", filter=Q(reopened_count__gt=0))):
            path = index.path_of(r.pop("region_id"))
            unit = r.pop("owner_unit_id")
            out.append({"path": path, "spath": path, "unit": unit, "k": None, **r})
        return out

    def list_url(self, dim, key, params, region=None):
        return url("desk:oversight_rectifications")


if available():
    register(OversightTable)
    register(RectificationTable)
