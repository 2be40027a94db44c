"""XLSX exports of the domains' lists with the filters the reader applied on the list page (the same GET
parameters, read through the domain's own selector with the reader as actor). Personal numbers are masked unless
unmasked with a reason (sunshine.stats.export)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_ROWS = 100_000


@dataclass(frozen=True)
class ListExport:
    name: str
    title: str
    build: Callable  # (actor, GET) -> (filters, headers, rows, sensitive)


def _int(value):
    return int(value) if value and str(value).isdigit() else None


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _cases(actor, g):
    from sunshine.cases import selectors
    from sunshine.cases.choices import CaseStatus, Channel

    filters = selectors.CaseFilters(
        status=g.get("status", "") if g.get("status") in CaseStatus.values else "",
        overdue_only=g.get("overdue") == "1", q=g.get("q", "").strip(),
        township_id=_int(g.get("township")), unit_id=_int(g.get("unit")), problem_type=_int(g.get("problem_type")),
        channel=g.get("channel", "") if g.get("channel") in Channel.values else "",
        received_from=_date(g.get("from")), received_to=_date(g.get("to")),
        mine=g.get("mine") == "1", urged_only=g.get("urged") == "1", include_closed=g.get("all") == "1")
    qs = selectors.case_list_visible_to(actor=actor, filters=filters)[:MAX_ROWS]
    shown = [(k, v) for k, v in filters.__dict__.items() if v not in ("", None, False)]
    rows = ([c.number or c.pk, c.received_on, c.report.get_channel_display(),
             c.report.region.full_name if c.report.region_id else "",
             str(c.report.problem_type or c.report.suggested_problem_type or ""), c.handling_unit.name,
             c.get_status_display(), "是" if c.is_overdue else "", "是" if c.is_urged else ""] for c in qs)
    headers = ["案件编号", "收到日期", "来源渠道", "所在地", "问题类型", "承办单位", "阶段", "超期", "督办"]
    return shown, headers, rows, {}


def _payments(actor, g):
    from sunshine.funds import selectors
    from sunshine.org import selectors as org_selectors

    raw = g.get("region", "")
    region = org_selectors.region_get_for(actor=actor, pk=int(raw)) if raw.isdigit() else None
    qs = selectors.payment_list_visible_to(actor=actor, region=region, fund_item=g.get("item", "").strip(),
                                           q=g.get("q", "").strip())[:MAX_ROWS]
    shown = [("范围", region.full_name if region else "全部"), ("资金项目", g.get("item", "") or "全部")]
    rows = ([p.village.name, p.payee_name, p.payee_id_number, p.fund_item, p.amount, p.period, p.paid_on,
             p.bank_card, "已公示" if p.published_at else "待公示"] for p in qs)
    headers = ["村", "领取人", "证件号码", "资金项目", "金额(元)", "所属期", "发放日期", "银行卡号", "公示"]
    return shown, headers, rows, {2: "id_number", 7: "bank_card"}


def _spending(actor, g):
    from sunshine.funds import selectors
    from sunshine.org import selectors as org_selectors

    raw = g.get("region", "")
    region = org_selectors.region_get_for(actor=actor, pk=int(raw)) if raw.isdigit() else None
    qs = selectors.spending_list_visible_to(actor=actor, region=region, flagged=g.get("flagged") == "1")[:MAX_ROWS]
    shown = [("范围", region.full_name if region else "全部"), ("仅验收前支付", "是" if g.get("flagged") == "1" else "否")]
    rows = ([s.village.name, s.project.code, s.project.name, s.allocation.document_number, s.payee,
             s.contract_number, s.invoice_number, s.paid_on, s.amount, "是" if s.paid_before_acceptance else ""]
            for s in qs)
    headers = ["村", "项目编号", "项目名称", "资金文号", "收款单位", "合同编号", "发票号码", "支付日期", "金额(元)",
               "验收前支付"]
    return shown, headers, rows, {}


def _projects(actor, g):
    from sunshine.funds import selectors
    from sunshine.org import selectors as org_selectors

    raw = g.get("region", "")
    region = org_selectors.region_get_for(actor=actor, pk=int(raw)) if raw.isdigit() else None
    qs = selectors.project_list_visible_to(actor=actor, region=region, status=g.get("status", ""),
                                           q=g.get("q", "").strip())[:MAX_ROWS]
    shown = [("范围", region.full_name if region else "全部"), ("状态", g.get("status", "") or "全部")]
    rows = []
    for p in qs:
        money = selectors.project_money(project=p)
        rows.append([p.village.name, p.code, p.name, p.get_status_display(), p.budget, money.allocated, money.paid,
                     money.remaining, p.filed_on, p.accepted_on, money.first_paid_on])
    headers = ["村", "项目编号", "项目名称", "阶段", "计划投资", "已拨资金", "已支付", "结余", "备案日期", "验收日期",
               "首笔支付"]
    return shown, headers, rows, {}


LISTS: dict[str, ListExport] = {e.name: e for e in (
    ListExport("cases", _("举报与案件清单"), _cases),
    ListExport("payments", _("到户资金发放清单"), _payments),
    ListExport("spending", _("项目资金支出清单"), _spending),
    ListExport("projects", _("扶贫项目资金使用清单"), _projects),
)}
