"""Staff pages of funds disclosure (三(二)3): the overview and the lists, and what the other funds pages share.

One module per subject: this one (overview, lists, shared helpers), `views_funds_entry` (hand entry),
`views_funds_records` (a record's page, draft edit, correction, project stages), `views_funds_imports` (file
imports), `views_funds_notices` (notices, their PDF and the ledger check); `views_publishing` (the waiting list).
Views parse and present; jurisdiction is applied inside the funds selectors and services (404 outside it).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sunshine.core.errors import NotFound
from sunshine.desk.exports import Listing, choice_label, col, desk_list, shown, yes
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.choices import (
    Direction,
    FundLevel,
    ProjectStatus,
    RecordType,
)
from sunshine.org import selectors as org_selectors
from sunshine.org.capabilities import has_capability, require

PAGE_SIZE = 50



def _record_type(value: str) -> str:
    if value not in RecordType.values:
        raise NotFound()
    return value


def _region(request, actor):
    return _region_of(request.GET, actor)


def _region_of(g, actor):
    raw = g.get("region", "")
    return org_selectors.region_get_for(actor=actor, pk=int(raw)) if raw.isdigit() else None


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _can(actor) -> dict:
    return {"can_edit": has_capability(actor, Capability.EDIT), "can_import": has_capability(actor, Capability.IMPORT),
            "can_publish": has_capability(actor, Capability.PUBLISH),
            "can_verify": has_capability(actor, Capability.VERIFY_LEDGER)}


def _list(request, template: str, qs, context: dict):
    page = _page(request, qs)
    rows_template = f"desk/funds/partials/{template}_rows.html"
    if request.htmx:
        return render(request, rows_template, {"page": page, **context})
    return render(request, f"desk/funds/{template}_list.html", {
        "page": page, "rows_template": rows_template, "q": request.GET.get("q", ""), **_can(request.user),
        **context})


# ---- overview -------------------------------------------------------------------------------------------------

@login_required
def funds_home(request):
    actor = request.user
    require(actor, Capability.VIEW)
    return render(request, "desk/funds/home.html", {
        "allocations": selectors.allocation_list_visible_to(actor=actor).count(),
        "projects": selectors.project_list_visible_to(actor=actor).count(),
        "payments": selectors.payment_list_visible_to(actor=actor).count(),
        "transactions": selectors.transaction_list_visible_to(actor=actor).count(),
        "notices": selectors.notice_list_visible_to(actor=actor)[:10],
        "jobs": selectors.import_job_list_visible_to(actor=actor)[:10],
        "record_types": RecordType.choices, **_can(actor),
    })


# ---- lists ----------------------------------------------------------------------------------------------------
# Each list's query is shared by its page and its XLSX export (desk.exports): same selector, same filters.

def _published(r) -> str:
    state = _("已公示") if r.published_at else _("未公示")
    if not r.is_current:
        state += " " + _("已被更正")
    return state


def _region_filter(region) -> tuple[str, str]:
    return (_("范围"), region.full_name if region else "")


@desk_list("allocations", title=_lazy("资金拨付"), page="desk:funds_allocations", columns=[
    col(_lazy("下达日期"), "allocated_on"), col(_lazy("层级"), "get_level_display"),
    col(_lazy("文号"), "document_number"), col(_lazy("资金类别"), "fund_type"),
    col(_lazy("分配对象"), "recipient_name"), col(_lazy("金额（元）"), "amount"), col(_lazy("版本"), "version"),
    col(_lazy("状态"), _published)])
def allocations_query(actor, g) -> Listing:
    year = g.get("year", "")
    region = _region_of(g, actor)
    qs = selectors.allocation_list_visible_to(actor=actor, region=region, level=g.get("level", ""),
                                              year=int(year) if year.isdigit() else None, q=g.get("q", "").strip())
    return Listing(qs, shown([_region_filter(region), (_("层级"), choice_label(FundLevel.choices, g.get("level"))),
                              (_("年度"), year if year.isdigit() else ""), (_("关键词"), g.get("q", "").strip())]))


@login_required
def allocation_list(request):
    listing = allocations_query(request.user, request.GET)
    return _list(request, "allocation", listing.rows, {"levels": FundLevel.choices,
                                                      "level": request.GET.get("level", ""),
                                                      "year": request.GET.get("year", "")})


@desk_list("projects", title=_lazy("扶贫项目资金使用清单"), page="desk:funds_projects", columns=[
    col(_lazy("乡镇"), "village.parent.name"), col(_lazy("村"), "village.name"), col(_lazy("项目编号"), "code"),
    col(_lazy("项目名称"), "name"), col(_lazy("类型"), "project_type"), col(_lazy("阶段"), "get_status_display"),
    col(_lazy("备案号"), "filing_number"), col(_lazy("计划投资"), "budget"),
    col(_lazy("已拨资金"), lambda p: p.money.allocated), col(_lazy("已支付"), lambda p: p.money.paid),
    col(_lazy("结余"), lambda p: p.money.remaining), col(_lazy("备案日期"), "filed_on"),
    col(_lazy("验收日期"), "accepted_on"), col(_lazy("首笔支付"), lambda p: p.money.first_paid_on),
    col(_lazy("公示"), _published)])
def projects_query(actor, g) -> Listing:
    region = _region_of(g, actor)
    qs = selectors.project_list_visible_to(actor=actor, region=region, status=g.get("status", ""),
                                           q=g.get("q", "").strip())
    return Listing(_with_money(qs), shown([_region_filter(region), (_("阶段"), choice_label(ProjectStatus.choices,
                                                                                          g.get("status"))),
                                           (_("关键词"), g.get("q", "").strip())]))


class _with_money:
    """The projects of a query with their money (allocated, paid, remaining) for the export: read in chunks, each
    chunk's money in two grouped queries (not two queries per project)."""

    CHUNK = 500

    def __init__(self, qs):
        self.qs = qs

    def __iter__(self):
        chunk = []
        for p in self.qs.iterator(chunk_size=self.CHUNK):
            chunk.append(p)
            if len(chunk) == self.CHUNK:
                yield from self._priced(chunk)
                chunk = []
        yield from self._priced(chunk)

    @staticmethod
    def _priced(projects):
        money = selectors.projects_money(projects=projects) if projects else {}
        for p in projects:
            p.money = money[p.pk]
            yield p


@login_required
def project_list(request):
    listing = projects_query(request.user, request.GET)
    return _list(request, "project", listing.rows.qs, {"statuses": ProjectStatus.choices,
                                                      "status": request.GET.get("status", "")})


@desk_list("spending", title=_lazy("项目资金支出清单"), page="desk:funds_projects", columns=[
    col(_lazy("村"), "village.name"), col(_lazy("项目编号"), "project.code"), col(_lazy("项目名称"), "project.name"),
    col(_lazy("资金文号"), "allocation.document_number"), col(_lazy("收款单位"), "payee"),
    col(_lazy("合同编号"), "contract_number"), col(_lazy("发票号码"), "invoice_number"),
    col(_lazy("支付日期"), "paid_on"), col(_lazy("金额（元）"), "amount"),
    col(_lazy("验收前支付"), lambda s: yes(s.paid_before_acceptance))])
def spending_query(actor, g) -> Listing:
    """The spending of the projects page's region (its other filters are the projects' own)."""
    region = _region_of(g, actor)
    flagged = g.get("flagged") == "1"
    qs = selectors.spending_list_visible_to(actor=actor, region=region, flagged=flagged)
    return Listing(qs, shown([_region_filter(region), (_("仅验收前支付"), yes(flagged))]))


@desk_list("payments", title=_lazy("到户资金发放清单"), page="desk:funds_payments", columns=[
    col(_lazy("发放日期"), "paid_on"), col(_lazy("领取人"), "payee_name"),
    col(_lazy("证件号码"), "payee_id_number", "id_number"), col(_lazy("村"), "village.name"),
    col(_lazy("资金项目"), "fund_item"), col(_lazy("所属期"), "period"), col(_lazy("金额（元）"), "amount"),
    col(_lazy("银行卡号"), "bank_card", "bank_card"), col(_lazy("状态"), _published)])
def payments_query(actor, g) -> Listing:
    region = _region_of(g, actor)
    item, q = g.get("item", "").strip(), g.get("q", "").strip()
    qs = selectors.payment_list_visible_to(actor=actor, region=region, fund_item=item, q=q)
    return Listing(qs, shown([_region_filter(region), (_("资金项目"), item), (_("关键词"), q)]))


@login_required
def payment_list(request):
    listing = payments_query(request.user, request.GET)
    return _list(request, "payment", listing.rows, {"item": request.GET.get("item", "")})


@desk_list("village-accounts", title=_lazy("村级银行账户"), page="desk:funds_accounts", columns=[
    col(_lazy("乡镇"), "village.parent.name"), col(_lazy("村"), "village.name"), col(_lazy("户名"), "account_name"),
    col(_lazy("开户行"), "bank"), col(_lazy("账号"), "account_number")])
def accounts_query(actor, g) -> Listing:
    region = _region_of(g, actor)
    return Listing(selectors.account_list_visible_to(actor=actor, region=region), shown([_region_filter(region)]))


@login_required
def account_list(request):
    actor = request.user
    accounts = accounts_query(actor, request.GET).rows
    return render(request, "desk/funds/account_list.html", {"accounts": accounts, **_can(actor)})


@desk_list("transactions", title=_lazy("村级账户收支明细"), page="desk:funds_transactions", columns=[
    col(_lazy("日期"), "occurred_on"), col(_lazy("村"), "village.name"), col(_lazy("凭证号"), "voucher_number"),
    col(_lazy("摘要/用途"), "purpose"), col(_lazy("对方户名"), "counterparty"),
    col(_lazy("收入"), lambda t: t.amount if t.direction == Direction.RECEIPT else ""),
    col(_lazy("支出"), lambda t: t.amount if t.direction == Direction.PAYMENT else ""), col(_lazy("余额"), "balance"),
    col(_lazy("状态"), _published)])
def transactions_query(actor, g) -> Listing:
    region = _region_of(g, actor)
    account = g.get("account", "")
    direction, q = g.get("direction", ""), g.get("q", "").strip()
    qs = selectors.transaction_list_visible_to(actor=actor, region=region,
                                               account_id=int(account) if account.isdigit() else None,
                                               direction=direction, q=q)
    return Listing(qs, shown([_region_filter(region), (_("账户"), account if account.isdigit() else ""),
                              (_("收支"), choice_label(Direction.choices, direction)), (_("关键词"), q)]))


@login_required
def transaction_list(request):
    listing = transactions_query(request.user, request.GET)
    account = request.GET.get("account", "")
    return _list(request, "transaction", listing.rows, {"directions": Direction.choices,
                                                       "direction": request.GET.get("direction", ""),
                                                       "account": account})
