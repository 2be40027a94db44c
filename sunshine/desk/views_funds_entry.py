"""Staff pages of funds disclosure: entering allocations, projects, payments, accounts and transactions by hand."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sunshine.core.errors import ApplicationError
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.choices import (
    Direction,
    FundLevel,
    RecipientKind,
)
from sunshine.funds.services import records as record_services
from sunshine.org import selectors as org_selectors
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel

from .views_funds import DATE_WIDGET, _region_choices

# ---- hand entry -----------------------------------------------------------------------------------------------

class AllocationForm(forms.Form):
    level = forms.ChoiceField(label="资金层级", choices=FundLevel.choices)
    document_number = forms.CharField(label="文号", max_length=80)
    fund_type = forms.CharField(label="资金类别", max_length=60)
    amount = forms.DecimalField(label="金额(元)", max_digits=14, decimal_places=2, min_value=0)
    allocated_on = forms.DateField(label="下达日期", widget=DATE_WIDGET)
    recipient_kind = forms.ChoiceField(label="分配对象类型", choices=RecipientKind.choices)
    township = forms.ChoiceField(label="乡镇(对象为乡镇时)", required=False)
    village = forms.ChoiceField(label="村(对象为村时)", required=False)
    project = forms.ChoiceField(label="项目(对象为项目时)", required=False)
    purpose = forms.CharField(label="用途", max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = _region_choices(actor, RegionLevel.TOWNSHIP)
        self.fields["village"].choices = _region_choices(actor, RegionLevel.VILLAGE)
        projects = selectors.project_list_visible_to(actor=actor)[:500]
        self.fields["project"].choices = [("", "—")] + [(str(p.pk), f"{p.village.name} {p.name}") for p in projects]


@login_required
@require_http_methods(["GET", "POST"])
def allocation_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = AllocationForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        region_id = d["township"] if d["recipient_kind"] == RecipientKind.TOWNSHIP else d["village"]
        try:
            region = org_selectors.region_get_for(actor=actor, pk=int(region_id)) if region_id else None
            project = selectors.project_get_for(actor=actor, pk=int(d["project"])) if d["project"] else None
            allocation = record_services.allocation_create(
                actor=actor, level=d["level"], document_number=d["document_number"], fund_type=d["fund_type"],
                amount=d["amount"], allocated_on=d["allocated_on"], recipient_kind=d["recipient_kind"],
                region=region, project=project, purpose=d["purpose"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "资金分配已登记")
            return redirect("desk:funds_record", record_type="allocation", pk=allocation.pk)
    return _form_page(request, form, title="登记资金分配", back="desk:funds_allocations")


class ProjectForm(forms.Form):
    village = forms.ChoiceField(label="实施村")
    name = forms.CharField(label="项目名称", max_length=200)
    code = forms.CharField(label="项目编号", max_length=40, required=False)
    project_type = forms.CharField(label="项目类型", max_length=40)
    budget = forms.DecimalField(label="计划投资(元)", max_digits=14, decimal_places=2, min_value=0)
    content = forms.CharField(label="建设内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _region_choices(actor, RegionLevel.VILLAGE)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = ProjectForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            village = org_selectors.region_get_for(actor=actor, pk=int(d["village"]))
            project = record_services.project_create(actor=actor, village=village, name=d["name"], code=d["code"],
                                                     project_type=d["project_type"], budget=d["budget"],
                                                     content=d["content"])
        except (ApplicationError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", "请选择实施村"))
        else:
            messages.success(request, "项目已登记(申报)")
            return redirect("desk:funds_record", record_type="project", pk=project.pk)
    return _form_page(request, form, title="登记扶贫项目", back="desk:funds_projects")


class PaymentForm(forms.Form):
    household = forms.CharField(label="户编号或户主身份证号", max_length=32)
    fund_item = forms.CharField(label="资金项目", max_length=60)
    amount = forms.DecimalField(label="发放金额(元)", max_digits=14, decimal_places=2, min_value=0)
    period = forms.CharField(label="所属期", max_length=30, required=False)
    paid_on = forms.DateField(label="发放日期", widget=DATE_WIDGET)
    bank_card = forms.CharField(label="扶贫明白卡(银行卡)号", max_length=32)
    payee_id_number = forms.CharField(label="领取人身份证号(非户主领取时)", max_length=18, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def payment_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        key = d["household"].strip().upper()
        household = (org_selectors.household_list_visible_to(actor=actor)
                     .filter(code=key).first() or org_selectors.household_list_visible_to(actor=actor)
                     .filter(head_id_number=key).first())
        if household is None:
            form.add_error("household", "您的辖区内没有这个户编号或身份证号")
        else:
            try:
                payment = record_services.payment_create(
                    actor=actor, household=household, fund_item=d["fund_item"], amount=d["amount"],
                    period=d["period"], paid_on=d["paid_on"], bank_card=d["bank_card"],
                    payee_id_number=d["payee_id_number"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "发放已登记,已生成到账短信")
                return redirect("desk:funds_record", record_type="payment", pk=payment.pk)
    return _form_page(request, form, title="登记到户资金发放", back="desk:funds_payments")


class AccountForm(forms.Form):
    village = forms.ChoiceField(label="行政村")
    account_name = forms.CharField(label="户名", max_length=120, required=False)
    bank = forms.CharField(label="开户行", max_length=120, required=False)
    account_number = forms.CharField(label="账号", max_length=40)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _region_choices(actor, RegionLevel.VILLAGE)


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = AccountForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            village = org_selectors.region_get_for(actor=actor, pk=int(d["village"] or 0))
            record_services.village_account_create(actor=actor, village=village, account_name=d["account_name"],
                                                   bank=d["bank"], account_number=d["account_number"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "村级账户已登记")
            return redirect("desk:funds_accounts")
    return _form_page(request, form, title="登记村级银行账户", back="desk:funds_accounts")


class TransactionForm(forms.Form):
    account = forms.ChoiceField(label="村级账户")
    occurred_on = forms.DateField(label="日期", widget=DATE_WIDGET)
    direction = forms.ChoiceField(label="收支", choices=Direction.choices)
    amount = forms.DecimalField(label="金额(元)", max_digits=14, decimal_places=2, min_value=0)
    balance = forms.DecimalField(label="余额(元)", max_digits=14, decimal_places=2, required=False)
    voucher_number = forms.CharField(label="凭证号", max_length=40, required=False)
    counterparty = forms.CharField(label="对方户名", max_length=120, required=False)
    purpose = forms.CharField(label="摘要/用途", max_length=200)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(str(a.pk), f"{a.village.name} · {a}")
                                          for a in selectors.account_list_visible_to(actor=actor)]


@login_required
@require_http_methods(["GET", "POST"])
def transaction_new(request):
    actor = request.user
    require(actor, Capability.EDIT)
    form = TransactionForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account = selectors.account_get_for(actor=actor, pk=int(d["account"]))
            txn = record_services.transaction_create(
                actor=actor, account=account, occurred_on=d["occurred_on"], direction=d["direction"],
                amount=d["amount"], balance=d["balance"], voucher_number=d["voucher_number"],
                counterparty=d["counterparty"], purpose=d["purpose"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "收支已登记,已生成村级监督员短信")
            return redirect("desk:funds_record", record_type="transaction", pk=txn.pk)
    return _form_page(request, form, title="登记村级账户收支", back="desk:funds_transactions")


def _form_page(request, form, *, title: str, back: str, extra: dict | None = None):
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/funds/form.html", {"form": form, "title": title, "back": reverse(back),
                                                    **(extra or {})}, status=status)
