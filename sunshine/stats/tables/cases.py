"""The report desk's figures (三(三)): reports and clues by place, unit, problem type, channel and month; cases by
stage; deadlines kept and missed; outcomes; money recovered and returned; 督办 and 提级."""
from __future__ import annotations

import datetime as dt

from django.db.models import Case as When_
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunshine.cases import conf
from sunshine.cases.capabilities import Capability as CasesCapability
from sunshine.cases.choices import AccountabilityMeasure, CaseStatus, Channel, DeadlineKind, Priority
from sunshine.cases.models import Accountability, Case, CaseDeadline, CaseUrge, FundRecovery, FundReturn

from ..registry import DAYS, INT, MONEY, PCT, REGION, UNIT, Dimension, Measure, Params, StatTable, register
from ._common import DayDiff, as_date, period, url

TYPE = Dimension("problem_type", _("问题类型(27类)"))
GROUP = Dimension("problem_group", _("问题类别(6类)"))
CHANNEL = Dimension("channel", _("来源渠道"))
MONTH = Dimension("month", _("月份"))
STAGE = Dimension("stage", _("办理阶段"))
KIND = Dimension("deadline", _("时限"))
MEASURE = Dimension("measure", _("问责方式"))


def _index():
    from ..figures import Index

    return Index.get()


def _place(rows: list[dict], *, region_key: str = "region", unit_key: str = "unit") -> list[dict]:
    """Add path (where), spath and unit (the case's handling unit: what scoping reads) to grouped rows."""
    index = _index()
    for r in rows:
        unit = r.pop(unit_key, None)
        r["path"] = index.path_of(r.pop(region_key, None))
        r["unit"] = unit
        info = index.units.get(unit)
        r["spath"] = info.path if info else ""
    return rows


def _type_labels() -> tuple[dict, dict]:
    from sunshine.org.models import ProblemGroup, ProblemType

    return (dict(ProblemType.objects.values_list("number", "short_title")),
            dict(ProblemGroup.objects.values_list("number", "title")))


def _dim_expr(dim: str, prefix: str = ""):
    p = prefix
    return {
        "problem_type": Coalesce(f"{p}report__problem_type__number", f"{p}report__suggested_problem_type__number"),
        "problem_group": Coalesce(f"{p}report__problem_type__group__number",
                                  f"{p}report__suggested_problem_type__group__number"),
        "channel": F(f"{p}report__channel"),
        "month": TruncMonth(f"{p}received_on"),
        "stage": F(f"{p}status"),
    }.get(dim)


def _grouped(qs, dim: str, measures: dict, *, prefix: str = "") -> list[dict]:
    group = {"region": f"{prefix}report__region_id", "unit": f"{prefix}handling_unit_id"}
    expr = _dim_expr(dim, prefix)
    if expr is not None:
        qs = qs.annotate(k=expr)
        group["k"] = "k"
    rows = list(qs.order_by().values(*group.values()).annotate(**measures))
    out = []
    for r in rows:
        row = {"region": r.pop(group["region"]), "unit": r.pop(group["unit"])}
        k = r.pop("k", None)
        if isinstance(k, (dt.date, dt.datetime)):
            k = k.strftime("%Y-%m")
        row["k"] = k
        row.update(r)
        out.append(row)
    return _place(out)


def _today(params: Params) -> dt.date:
    return params.today or timezone.localdate()


def _overdue_exists(today: dt.date, prefix: str = ""):
    return Exists(CaseDeadline.objects.filter(case=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"),
                                              met_at__isnull=True, due_on__lt=today))


def _one_if(condition):
    return When_(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


class _CasesTable(StatTable):
    domain = "cases"
    capability = CasesCapability.VIEW

    def label(self, dim, key):
        if key is None:
            return str(_("未分类")) if dim in ("problem_type", "problem_group") else str(_("未填写"))
        if dim == "problem_type":
            return f"{key}. {_type_labels()[0].get(key, '')}"
        if dim == "problem_group":
            return f"{key}. {_type_labels()[1].get(key, '')}"
        if dim == "channel":
            return str(Channel(key).label) if key in Channel.values else key
        if dim == "stage":
            return str(CaseStatus(key).label) if key in CaseStatus.values else key
        if dim == "deadline":
            return str(DeadlineKind(key).label) if key in DeadlineKind.values else key
        if dim == "measure":
            return str(AccountabilityMeasure(key).label) if key in AccountabilityMeasure.values else key
        return str(key)

    def list_url(self, dim, key, params, region=None):
        from ._common import township_id

        index = _index()
        query = {"all": 1, "from": params.date_from, "to": params.date_to}
        if dim == "region":
            place = index.places.get(key)
            query["township"] = township_id(index, place) if place else None
        else:
            query["township"] = township_id(index, region)
        if dim == "unit":
            query["unit"] = key
        elif dim == "problem_type":
            query["problem_type"] = key
        elif dim == "channel":
            query["channel"] = key
        elif dim == "stage":
            query["status"] = key
        elif dim in ("problem_group", "month", "deadline", "measure"):
            pass
        return url("desk:cases", **query)


@register
class ReportsTable(_CasesTable):
    slug = "reports"
    title = _("举报与线索")
    clause = "三(三)"
    description = _("收到的举报和问题线索(每件一案),按乡镇和村、承办单位、问题类型、渠道、月份和办理阶段统计。")
    dims = (REGION, UNIT, TYPE, GROUP, CHANNEL, MONTH, STAGE)
    measures = (
        Measure("cases", _("举报件数")),
        Measure("poverty", _("扶贫领域")),
        Measure("open", _("办理中")),
        Measure("overdue", _("超期未办")),
        Measure("closed", _("已办结")),
    )
    chart_measures = ("cases", "overdue")
    order = 10

    def base(self, dim, params):
        today = _today(params)
        qs = period(Case.objects.all(), "received_on", params)
        return _grouped(qs, dim, {
            "cases": Count("id"),
            "poverty": Count("id", filter=Q(priority=Priority.POVERTY)),
            "open": Count("id", filter=~Q(status=CaseStatus.CLOSED)),
            "overdue": Sum(_one_if(_overdue_exists(today))),
            "closed": Count("id", filter=Q(status=CaseStatus.CLOSED)),
        })


@register
class DeadlinesTable(_CasesTable):
    slug = "deadlines"
    title = _("办理时限")
    clause = "三(三)1"
    description = _("每道时限(甄别移送5个工作日、告知受理15个工作日、答复举报人15个工作日):按时完成、超时完成、"
                    "已超期未完成、未到期。时限按工作日计算,与案件页同一口径。")
    dims = (KIND, REGION, UNIT)
    measures = (
        Measure("deadlines", _("时限数")),
        Measure("on_time", _("按时完成")),
        Measure("late", _("超时完成")),
        Measure("overdue", _("超期未完成")),
        Measure("pending", _("未到期")),
        Measure("on_time_rate", _("按时率(%)"), PCT, ratio=("on_time", "done")),
        Measure("done", _("已完成"), hidden=True),
    )
    chart_measures = ("on_time", "late", "overdue")
    order = 11

    def base(self, dim, params):
        today = _today(params)
        qs = period(CaseDeadline.objects.all(), "starts_on", params)
        group = {"region": "case__report__region_id", "unit": "case__handling_unit_id"}
        if dim == "deadline":
            group["k"] = "kind"
        met_late = Q(met_at__isnull=False) & Q(met_day__gt=F("due_on"))
        rows = list(qs.annotate(met_day=as_date("met_at")).order_by().values(*group.values()).annotate(
            deadlines=Count("id"),
            done=Count("id", filter=Q(met_at__isnull=False)),
            late=Count("id", filter=met_late),
            overdue=Count("id", filter=Q(met_at__isnull=True, due_on__lt=today)),
            pending=Count("id", filter=Q(met_at__isnull=True, due_on__gte=today)),
        ))
        out = []
        for r in rows:
            row = {"region": r.pop(group["region"]), "unit": r.pop(group["unit"]), "k": r.pop("kind", None)}
            row.update(r)
            row["on_time"] = row["done"] - row["late"]
            out.append(row)
        return _place(out)

    def list_url(self, dim, key, params, region=None):
        return url("desk:cases_overdue_deadlines") or url("desk:cases_overdue")


@register
class OutcomesTable(_CasesTable):
    slug = "outcomes"
    title = _("问责结果")
    clause = "三(三)2"
    description = _("案件办结后的问责:按问责方式(批评教育、诫勉谈话、通报批评、党纪政务处分、组织处理、移送司法)统计人次。")
    dims = (MEASURE, REGION, UNIT)
    measures = (Measure("people", _("问责人次")), Measure("cases", _("涉及案件")))
    chart_type = "pie"
    chart_measures = ("people",)
    order = 12

    def base(self, dim, params):
        qs = period(Accountability.objects.all(), "decided_on", params)
        group = {"region": "case__report__region_id", "unit": "case__handling_unit_id"}
        if dim == "measure":
            group["k"] = "measure"
        rows = list(qs.order_by().values(*group.values()).annotate(people=Count("id"),
                                                                   cases=Count("case_id", distinct=True)))
        out = [{"region": r.pop(group["region"]), "unit": r.pop(group["unit"]), "k": r.pop("measure", None), **r}
               for r in rows]
        return _place(out)


@register
class RecoveryTable(_CasesTable):
    slug = "recovery"
    title = _("追缴与返还")
    clause = "三(四)1"
    description = _("案件中追缴的资金,及返还到户的金额;追缴后规定天数内返还的计为及时返还。")
    dims = (REGION, UNIT)
    measures = (
        Measure("recovered", _("追缴金额(元)"), MONEY),
        Measure("returned", _("已返还(元)"), MONEY),
        Measure("returned_on_time", _("及时返还(元)"), MONEY),
        Measure("households", _("返还户数")),
        Measure("return_rate", _("返还率(%)"), PCT, ratio=("returned", "recovered")),
    )
    chart_measures = ("recovered", "returned", "returned_on_time")
    order = 13

    def base(self, dim, params):
        days = conf.get("FUNDS_RETURN_DAYS")
        rec = period(FundRecovery.objects.all(), "recovered_on", params)
        group = {"region": "case__report__region_id", "unit": "case__handling_unit_id"}
        rows: dict = {}
        for r in rec.order_by().values(*group.values()).annotate(recovered=Sum("amount")):
            key = (r[group["region"]], r[group["unit"]])
            rows[key] = {"region": key[0], "unit": key[1], "k": None, "recovered": r["recovered"],
                         "returned": 0, "returned_on_time": 0, "households": 0}
        ret = FundReturn.objects.filter(recovery__in=rec).annotate(lag=DayDiff("returned_on",
                                                                              "recovery__recovered_on"))
        g2 = {"region": "recovery__case__report__region_id", "unit": "recovery__case__handling_unit_id"}
        for r in ret.order_by().values(*g2.values()).annotate(
                returned=Sum("amount"), returned_on_time=Coalesce(Sum("amount", filter=Q(lag__lte=days)), 0,
                                                                   output_field=FundReturn._meta.get_field("amount")),
                households=Count("household_id", distinct=True)):
            key = (r[g2["region"]], r[g2["unit"]])
            row = rows.setdefault(key, {"region": key[0], "unit": key[1], "k": None, "recovered": 0})
            row.update(returned=r["returned"], returned_on_time=r["returned_on_time"], households=r["households"])
        return _place(list(rows.values()))


@register
class UrgesTable(_CasesTable):
    slug = "urges"
    title = _("督办与提级")
    clause = "三(三)2"
    description = _("市专项治理办督办的案件(未结督办为仍在督办中),以及纪检监察机关提级办理的案件。")
    dims = (REGION, UNIT)
    measures = (Measure("urges", _("督办次数")), Measure("urges_open", _("督办未结")),
                Measure("escalated", _("提级办理案件")))
    chart_measures = ("urges", "escalated")
    order = 14

    def base(self, dim, params):
        group = {"region": "case__report__region_id", "unit": "case__handling_unit_id"}
        urges = period(CaseUrge.objects.all(), "created_at__date", params)
        rows: dict = {}
        for r in urges.order_by().values(*group.values()).annotate(
                urges=Count("id"), urges_open=Count("id", filter=Q(resolved_at__isnull=True))):
            key = (r[group["region"]], r[group["unit"]])
            rows[key] = {"region": key[0], "unit": key[1], "k": None, "urges": r["urges"],
                         "urges_open": r["urges_open"], "escalated": 0}
        cases = period(Case.objects.filter(escalated=True), "received_on", params)
        for r in cases.order_by().values("report__region_id", "handling_unit_id").annotate(n=Count("id")):
            key = (r["report__region_id"], r["handling_unit_id"])
            row = rows.setdefault(key, {"region": key[0], "unit": key[1], "k": None, "urges": 0, "urges_open": 0})
            row["escalated"] = r["n"]
        return _place(list(rows.values()))

    def list_url(self, dim, key, params, region=None):
        query = {"all": 1, "urged": 1}
        if dim == "unit":
            query["unit"] = key
        return url("desk:cases", **query)


__all__ = ["ReportsTable", "DeadlinesTable", "OutcomesTable", "RecoveryTable", "UrgesTable", "INT", "DAYS"]
