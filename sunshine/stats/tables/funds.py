"""Funds disclosure figures (三(二)3, 三(四)1): what share of payments, projects and village-account movements is
published and how late; money allocated against money paid to households and projects; idle money; where the
project money went. Publication lateness uses funds.rules.publication_due_date's days (the household page's rule);
idle money is funds.rules.idle_allocations (the data comparison's rule)."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunshine.funds import rules
from sunshine.funds.capabilities import Capability as FundsCapability
from sunshine.funds.models import (
    AccountTransaction,
    FundAllocation,
    HouseholdPayment,
    Project,
    ProjectSpending,
)

from ..registry import DAYS, MONEY, PCT, REGION, Dimension, Measure, StatTable, register
from ._common import DayDiff, as_date, period, url

FUND_ITEM = Dimension("fund_item", _("资金项目"))
ZERO = Decimal(0)


def _index():
    from ..figures import Index

    return Index.get()


def _rows(acc: dict) -> list[dict]:
    index = _index()
    out = []
    for (region_id, unit, k), values in acc.items():
        path = index.path_of(region_id)
        out.append({"path": path, "spath": path, "unit": unit, "k": k, **values})
    return out


class _FundsTable(StatTable):
    domain = "funds"
    capability = FundsCapability.VIEW

    def list_url(self, dim, key, params, region=None):
        index = _index()
        place = index.places.get(key) if dim == "region" else region
        return url(self.list_name, region=place.id if place else None)

    list_name = "desk:funds_home"


@register
class DisclosureTable(_FundsTable):
    slug = "disclosure"
    title = _("公开情况")
    clause = "三(二)3"
    description = _("到户资金发放、扶贫项目、村级账户收支已公示的比例;发放后超过公示期限(发放日期加规定天数)才公示"
                    "或至今未公示的笔数,及从发放到公示的平均天数。")
    public = True
    measures = (
        Measure("payments", _("到户发放笔数")),
        Measure("payments_published", _("已公示笔数")),
        Measure("payments_share", _("发放公示率(%)"), PCT, ratio=("payments_published", "payments")),
        Measure("payments_late", _("逾期公示")),
        Measure("payments_overdue", _("逾期未公示")),
        Measure("lag", _("平均公示天数"), DAYS, mean=("lag_sum", "payments_published")),
        Measure("projects", _("扶贫项目")),
        Measure("projects_published", _("已公示项目")),
        Measure("projects_share", _("项目公示率(%)"), PCT, ratio=("projects_published", "projects")),
        Measure("transactions", _("村账收支笔数")),
        Measure("transactions_published", _("已公示收支")),
        Measure("transactions_share", _("收支公示率(%)"), PCT, ratio=("transactions_published", "transactions")),
        Measure("lag_sum", _("公示天数合计"), DAYS, hidden=True),
    )
    chart_measures = ("payments_share", "projects_share", "transactions_share")
    order = 20
    list_name = "desk:funds_payments"

    def base(self, dim, params):
        today = params.today or timezone.localdate()
        due_days = settings.SUNSHINE_PUBLICATION_DUE_DAYS  # publication_due_date = paid_on + these days
        overdue_before = rules.publication_overdue_before(today)
        zero = {m.key: 0 for m in self.measures if not m.derived}
        acc: dict = defaultdict(lambda: dict(zero))
        pays = (period(HouseholdPayment.objects.filter(is_current=True), "paid_on", params)
                .annotate(lag=DayDiff(as_date("published_at"), "paid_on")))
        for r in pays.order_by().values("village_id").annotate(
                n=Count("id"), pub=Count("id", filter=Q(published_at__isnull=False)),
                late=Count("id", filter=Q(published_at__isnull=False, lag__gt=due_days)),
                overdue=Count("id", filter=Q(published_at__isnull=True, paid_on__lt=overdue_before)),
                lag_sum=Sum("lag", filter=Q(published_at__isnull=False))):
            a = acc[(r["village_id"], None, None)]
            a.update(payments=r["n"], payments_published=r["pub"], payments_late=r["late"],
                     payments_overdue=r["overdue"], lag_sum=r["lag_sum"] or 0)
        projects = period(Project.objects.filter(is_current=True), "created_at__date", params)
        for r in projects.order_by().values("village_id").annotate(
                n=Count("id"), pub=Count("id", filter=Q(published_at__isnull=False))):
            acc[(r["village_id"], None, None)].update(projects=r["n"], projects_published=r["pub"])
        txns = period(AccountTransaction.objects.filter(is_current=True), "occurred_on", params)
        for r in txns.order_by().values("village_id").annotate(
                n=Count("id"), pub=Count("id", filter=Q(published_at__isnull=False))):
            acc[(r["village_id"], None, None)].update(transactions=r["n"], transactions_published=r["pub"])
        return _rows(acc)


@register
class MoneyTable(_FundsTable):
    slug = "money"
    title = _("资金及时到位")
    clause = "三(四)1"
    description = _("下达的资金与发放到户、支付到项目的资金对比;下达后超过规定天数仍有结余的为滞留资金"
                    "(与大数据比对同一口径,天数由工作方案参数 funds.idle.days 设定)。")
    dims = (REGION, FUND_ITEM)
    measures = (
        Measure("allocated", _("下达资金(元)"), MONEY),
        Measure("paid_households", _("发放到户(元)"), MONEY),
        Measure("paid_projects", _("项目支付(元)"), MONEY),
        Measure("paid_share", _("到位率(%)"), PCT, ratio=("paid", "allocated")),
        Measure("idle_count", _("滞留笔数")),
        Measure("idle_amount", _("滞留金额(元)"), MONEY),
        Measure("paid", _("已使用(元)"), MONEY, hidden=True),
    )
    chart_measures = ("allocated", "paid_households", "paid_projects", "idle_amount")
    order = 21
    list_name = "desk:funds_allocations"

    def base(self, dim, params):
        today = params.today or timezone.localdate()
        by_item = dim == "fund_item"
        zero = {"allocated": ZERO, "paid_households": ZERO, "paid_projects": ZERO, "paid": ZERO, "idle_count": 0,
                "idle_amount": ZERO}
        acc: dict = defaultdict(lambda: dict(zero))
        allocations = period(FundAllocation.objects.filter(is_current=True), "allocated_on", params)
        fields = ["region_id", "owner_unit_id"] + (["fund_type"] if by_item else [])
        for r in allocations.order_by().values(*fields).annotate(total=Sum("amount")):
            acc[(r["region_id"], r["owner_unit_id"], r.get("fund_type"))]["allocated"] += r["total"]
        payments = period(HouseholdPayment.objects.filter(is_current=True), "paid_on", params)
        fields = ["village_id"] + (["fund_item"] if by_item else [])
        for r in payments.order_by().values(*fields).annotate(total=Sum("amount")):
            a = acc[(r["village_id"], None, r.get("fund_item"))]
            a["paid_households"] += r["total"]
            a["paid"] += r["total"]
        spending = period(ProjectSpending.objects.filter(is_current=True), "paid_on", params)
        fields = ["village_id", "owner_unit_id"] + (["allocation__fund_type"] if by_item else [])
        for r in spending.order_by().values(*fields).annotate(total=Sum("amount")):
            a = acc[(r["village_id"], r["owner_unit_id"], r.get("allocation__fund_type"))]
            a["paid_projects"] += r["total"]
            a["paid"] += r["total"]
        for a in rules.idle_allocations(today=today, qs=allocations).values("region_id", "owner_unit_id",
                                                                            "fund_type", "unspent"):
            row = acc[(a["region_id"], a["owner_unit_id"], a["fund_type"] if by_item else None)]
            row["idle_count"] += 1
            row["idle_amount"] += a["unspent"]
        return _rows(acc)

    def label(self, dim, key):
        return str(key) if key else str(_("未填写"))

    def list_url(self, dim, key, params, region=None):
        if dim == "fund_item":
            return url("desk:funds_payments", item=key, region=region.id if region else None)
        return super().list_url(dim, key, params, region)


@register
class SpendingTable(_FundsTable):
    slug = "spending"
    title = _("项目资金使用")
    clause = "三(二)3"
    description = _("拨付到项目的资金、已支付给施工和供货单位的金额、结余,以及验收前支付的笔数(大数据比对的线索)。")
    measures = (
        Measure("projects", _("项目数")),
        Measure("allocated", _("拨付项目资金(元)"), MONEY),
        Measure("paid", _("已支付(元)"), MONEY),
        Measure("remaining", _("结余(元)"), MONEY),
        Measure("before_acceptance", _("验收前支付笔数")),
        Measure("paid_share", _("支付率(%)"), PCT, ratio=("paid", "allocated")),
    )
    chart_measures = ("allocated", "paid", "remaining")
    order = 22
    list_name = "desk:funds_projects"

    def base(self, dim, params):
        zero = {"projects": 0, "allocated": ZERO, "paid": ZERO, "remaining": ZERO, "before_acceptance": 0}
        acc: dict = defaultdict(lambda: dict(zero))
        projects = period(Project.objects.filter(is_current=True), "created_at__date", params)
        for r in projects.order_by().values("village_id", "owner_unit_id").annotate(n=Count("id")):
            acc[(r["village_id"], r["owner_unit_id"], None)]["projects"] += r["n"]
        allocations = FundAllocation.objects.filter(is_current=True, project__isnull=False,
                                                    project__in=projects.values("pk"))
        for r in allocations.order_by().values("region_id", "owner_unit_id").annotate(total=Sum("amount")):
            a = acc[(r["region_id"], r["owner_unit_id"], None)]
            a["allocated"] += r["total"]
            a["remaining"] += r["total"]
        spending = ProjectSpending.objects.filter(is_current=True, project__lineage__in=projects.values("lineage"))
        for r in spending.order_by().values("village_id", "owner_unit_id").annotate(
                total=Sum("amount"), early=Count("id", filter=Q(paid_before_acceptance=True))):
            a = acc[(r["village_id"], r["owner_unit_id"], None)]
            a["paid"] += r["total"]
            a["remaining"] -= r["total"]
            a["before_acceptance"] += r["early"]
        return _rows(acc)
