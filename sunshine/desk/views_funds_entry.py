"""Staff pages of funds disclosure: entering allocations, projects, payments, accounts and transactions by hand.
Each page is one form (forms_funds) and one service call through formflow.form_submit."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sunshine.core.errors import ApplicationError, CoreErrorCode
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.choices import RecipientKind
from sunshine.funds.services import records as record_services
from sunshine.org import selectors as org_selectors
from sunshine.org.capabilities import require

from . import forms_funds as forms
from .formflow import form_submit


def _record(record_type: str):
    """Where a saved record is shown: its own page."""
    return lambda record: reverse("desk:funds_record", kwargs={"record_type": record_type, "pk": record.pk})


def _region(actor, pk, *, label: str):
    if not str(pk or "").isdigit():
        raise ApplicationError(_("请选择%(field)s") % {"field": label}, code=CoreErrorCode.INVALID)
    return org_selectors.region_get_for(actor=actor, pk=int(pk))


@login_required
@require_http_methods(["GET", "POST"])
def allocation_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = forms.AllocationForm(request.POST or None, actor=actor)

    def save(d):
        region_id = d["township"] if d["recipient_kind"] == RecipientKind.TOWNSHIP else d["village"]
        region = org_selectors.region_get_for(actor=actor, pk=int(region_id)) if region_id else None
        project = selectors.project_get_for(actor=actor, pk=int(d["project"])) if d["project"] else None
        return record_services.allocation_create(
            actor=actor, level=d["level"], document_number=d["document_number"], fund_type=d["fund_type"],
            amount=d["amount"], allocated_on=d["allocated_on"], recipient_kind=d["recipient_kind"],
            region=region, project=project, purpose=d["purpose"])

    return (form_submit(request, form, save, done=_("资金分配已登记"), to=_record("allocation"))
            or _form_page(request, form, title=_("登记资金分配"), back="desk:funds_allocations"))


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = forms.ProjectForm(request.POST or None, actor=actor)

    def save(d):
        village = _region(actor, d["village"], label=_("实施村"))
        return record_services.project_create(actor=actor, village=village, name=d["name"], code=d["code"],
                                              project_type=d["project_type"], budget=d["budget"],
                                              content=d["content"])

    return (form_submit(request, form, save, done=_("项目已登记（申报）"), to=_record("project"))
            or _form_page(request, form, title=_("登记扶贫项目"), back="desk:funds_projects"))


@login_required
@require_http_methods(["GET", "POST"])
def payment_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = forms.PaymentForm(request.POST or None)

    def save(d):
        key = d["household"].strip().upper()
        visible = org_selectors.household_list_visible_to(actor=actor)
        household = visible.filter(code=key).first() or visible.filter(head_id_number=key).first()
        if household is None:
            raise ApplicationError(_("您的辖区内没有这个户编号或身份证号"), code=CoreErrorCode.INVALID)
        return record_services.payment_create(
            actor=actor, household=household, fund_item=d["fund_item"], amount=d["amount"], period=d["period"],
            paid_on=d["paid_on"], bank_card=d["bank_card"], payee_id_number=d["payee_id_number"])

    return (form_submit(request, form, save, done=_("发放已登记，已生成到账短信"), to=_record("payment"))
            or _form_page(request, form, title=_("登记到户资金发放"), back="desk:funds_payments"))


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = forms.AccountForm(request.POST or None, actor=actor)

    def save(d):
        village = _region(actor, d["village"], label=_("行政村"))
        return record_services.village_account_create(actor=actor, village=village, account_name=d["account_name"],
                                                      bank=d["bank"], account_number=d["account_number"])

    return (form_submit(request, form, save, done=_("村级账户已登记"), to="desk:funds_accounts")
            or _form_page(request, form, title=_("登记村级银行账户"), back="desk:funds_accounts"))


@login_required
@require_http_methods(["GET", "POST"])
def transaction_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = forms.TransactionForm(request.POST or None, actor=actor)

    def save(d):
        account = selectors.account_get_for(actor=actor, pk=int(d["account"]))
        return record_services.transaction_create(
            actor=actor, account=account, occurred_on=d["occurred_on"], direction=d["direction"],
            amount=d["amount"], balance=d["balance"], voucher_number=d["voucher_number"],
            counterparty=d["counterparty"], purpose=d["purpose"])

    return (form_submit(request, form, save, done=_("收支已登记，已生成村级监督员短信"), to=_record("transaction"))
            or _form_page(request, form, title=_("登记村级账户收支"), back="desk:funds_transactions"))


def _form_page(request, form, *, title: str, back: str):
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/funds/form.html", {"form": form, "title": title, "back": reverse(back)},
                  status=status)
