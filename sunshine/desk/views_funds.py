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

from sunshine.core.errors import NotFound
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
    raw = request.GET.get("region", "")
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

@login_required
def allocation_list(request):
    actor = request.user
    year = request.GET.get("year", "")
    qs = selectors.allocation_list_visible_to(actor=actor, region=_region(request, actor),
                                              level=request.GET.get("level", ""),
                                              year=int(year) if year.isdigit() else None,
                                              q=request.GET.get("q", "").strip())
    return _list(request, "allocation", qs, {"levels": FundLevel.choices, "level": request.GET.get("level", ""),
                                             "year": year})


@login_required
def project_list(request):
    actor = request.user
    qs = selectors.project_list_visible_to(actor=actor, region=_region(request, actor),
                                           status=request.GET.get("status", ""), q=request.GET.get("q", "").strip())
    return _list(request, "project", qs, {"statuses": ProjectStatus.choices, "status": request.GET.get("status", "")})


@login_required
def payment_list(request):
    actor = request.user
    qs = selectors.payment_list_visible_to(actor=actor, region=_region(request, actor),
                                           fund_item=request.GET.get("item", "").strip(),
                                           q=request.GET.get("q", "").strip())
    return _list(request, "payment", qs, {"item": request.GET.get("item", "")})


@login_required
def account_list(request):
    actor = request.user
    accounts = selectors.account_list_visible_to(actor=actor, region=_region(request, actor))
    return render(request, "desk/funds/account_list.html", {"accounts": accounts, **_can(actor)})


@login_required
def transaction_list(request):
    actor = request.user
    account = request.GET.get("account", "")
    qs = selectors.transaction_list_visible_to(actor=actor, region=_region(request, actor),
                                               account_id=int(account) if account.isdigit() else None,
                                               direction=request.GET.get("direction", ""),
                                               q=request.GET.get("q", "").strip())
    return _list(request, "transaction", qs, {"directions": Direction.choices,
                                              "direction": request.GET.get("direction", ""), "account": account})
