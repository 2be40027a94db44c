"""Staff pages of funds disclosure: lists, hand entry, imports, corrections, project stages and the publish flow.

Views parse and present; jurisdiction is applied inside the funds selectors and services (404 outside it).
"""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.forms.models import fields_for_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.core.errors import ApplicationError, NotFound
from sunshine.core.importjobs import import_job_from_upload
from sunshine.core.tasks import enqueue
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.choices import (
    MIN_NOTICE_DAYS,
    PROJECT_TRANSITIONS,
    STAGE_FACTS,
    Direction,
    FundLevel,
    NoticeKind,
    NoticeStatus,
    ProjectStatus,
    RecipientKind,
    RecordType,
)
from sunshine.funds.importers import IMPORTERS
from sunshine.funds.models import AccountTransaction, FundAllocation, HouseholdPayment, Project
from sunshine.funds.services import notices as notice_services
from sunshine.funds.services import records as record_services
from sunshine.funds.services.projects import project_transition
from sunshine.funds.tasks import import_run_task
from sunshine.org import selectors as org_selectors
from sunshine.org.capabilities import has_capability, require
from sunshine.org.choices import RegionLevel

PAGE_SIZE = 50
RECORD_TEMPLATES = {"allocation": "allocation", "project": "project", "payment": "payment",
                    "transaction": "transaction"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


def _record_type(value: str) -> str:
    if value not in RecordType.values:
        raise NotFound()
    return value


def _region(request, actor):
    raw = request.GET.get("region", "")
    return org_selectors.region_get_for(actor=actor, pk=int(raw)) if raw.isdigit() else None


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _regions(actor, level: int):
    return org_selectors.region_list_visible_to(actor=actor, level=level).select_related("parent")


def _region_choices(actor, level: int) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(r.pk), f"{r.parent.name if r.parent_id else ''}{r.name}") for r in _regions(actor, level)]


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


# ---- hand entry -----------------------------------------------------------------------------------------------

class AllocationForm(forms.Form):
    level = forms.ChoiceField(label="资金层级", choices=FundLevel.choices)
    document_number = forms.CharField(label="文号", max_length=80)
    fund_type = forms.CharField(label="资金类别", max_length=60)
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2, min_value=0)
    allocated_on = forms.DateField(label="下达日期", widget=DATE_WIDGET)
    recipient_kind = forms.ChoiceField(label="分配对象类型", choices=RecipientKind.choices)
    township = forms.ChoiceField(label="乡镇（对象为乡镇时）", required=False)
    village = forms.ChoiceField(label="村（对象为村时）", required=False)
    project = forms.ChoiceField(label="项目（对象为项目时）", required=False)
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
    budget = forms.DecimalField(label="计划投资（元）", max_digits=14, decimal_places=2, min_value=0)
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
            messages.success(request, "项目已登记（申报）")
            return redirect("desk:funds_record", record_type="project", pk=project.pk)
    return _form_page(request, form, title="登记扶贫项目", back="desk:funds_projects")


class PaymentForm(forms.Form):
    household = forms.CharField(label="户编号或户主身份证号", max_length=32)
    fund_item = forms.CharField(label="资金项目", max_length=60)
    amount = forms.DecimalField(label="发放金额（元）", max_digits=14, decimal_places=2, min_value=0)
    period = forms.CharField(label="所属期", max_length=30, required=False)
    paid_on = forms.DateField(label="发放日期", widget=DATE_WIDGET)
    bank_card = forms.CharField(label="扶贫明白卡（银行卡）号", max_length=32)
    payee_id_number = forms.CharField(label="领取人身份证号（非户主领取时）", max_length=18, required=False)


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
                messages.success(request, "发放已登记，已生成到账短信")
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
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2, min_value=0)
    balance = forms.DecimalField(label="余额（元）", max_digits=14, decimal_places=2, required=False)
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
            messages.success(request, "收支已登记，已生成村级监督员短信")
            return redirect("desk:funds_record", record_type="transaction", pk=txn.pk)
    return _form_page(request, form, title="登记村级账户收支", back="desk:funds_transactions")


def _form_page(request, form, *, title: str, back: str, extra: dict | None = None):
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/funds/form.html", {"form": form, "title": title, "back": reverse(back),
                                                    **(extra or {})}, status=status)


# ---- record pages: detail, draft edit, correction, project stages ------------------------------------------------

@login_required
def record_detail(request, record_type: str, pk: int):
    actor = request.user
    record_type = _record_type(record_type)
    record = selectors.record_get_for(actor=actor, record_type=record_type, pk=pk)
    context = {"record": record, "record_type": record_type,
               "versions": selectors.record_versions(record=record).select_related("supersedes"),
               "editable": record.is_current and record.published_at is None and record_type in ("allocation",
                                                                                                "project"),
               **_can(actor)}
    if record_type == "project":
        context["events"] = selectors.project_events(project=record)
        context["funding"] = selectors.project_funding(project=record)
        context["next_statuses"] = [(s, ProjectStatus(s).label) for s in
                                    sorted(PROJECT_TRANSITIONS.get(record.status, set()))]
        context["stage_facts"] = {s: list(f.items()) for s, f in STAGE_FACTS.items()}
        context["today"] = timezone.localdate()
    return render(request, f"desk/funds/{RECORD_TEMPLATES[record_type]}_detail.html", context)


def _correction_form_class(model):
    fields = fields_for_model(model, fields=record_services.CORRECTABLE[model],
                              widgets={f: DATE_WIDGET for f in ("paid_on", "occurred_on", "allocated_on")})
    fields["reason"] = forms.CharField(label="更正原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                                       required=False)
    return type(f"{model.__name__}CorrectionForm", (forms.Form,), fields)


MODELS = {"allocation": FundAllocation, "project": Project, "payment": HouseholdPayment,
          "transaction": AccountTransaction}


def _initial(record, model) -> dict:
    return {f: getattr(record, f"{f}_id" if f == "allocation" else f) for f in record_services.CORRECTABLE[model]}


@login_required
@require_http_methods(["GET", "POST"])
def record_correct_view(request, record_type: str, pk: int):
    """A published (or SMS-announced) record is corrected by a new version with a reason, never edited."""
    actor = request.user
    record_type = _record_type(record_type)
    require(actor, Capability.EDIT)
    record = selectors.record_get_for(actor=actor, record_type=record_type, pk=pk)
    model = MODELS[record_type]
    form_class = _correction_form_class(model)
    form = form_class(request.POST or None, initial=_initial(record, model))
    if "allocation" in form.fields:
        form.fields["allocation"].queryset = selectors.allocation_list_visible_to(actor=actor)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        changes = {k: v for k, v in data.items() if v != getattr(record, k)}
        try:
            new = record_services.record_correct(actor=actor, record=record, reason=reason, changes=changes)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已更正为第 {new.version} 版；原版本保留可查")
            return redirect("desk:funds_record", record_type=record_type, pk=new.pk)
    return render(request, "desk/funds/form.html", {
        "form": form, "title": f"更正{model._meta.verbose_name}", "record": record,
        "back": reverse("desk:funds_record", args=[record_type, pk]),
        "note": "更正不会修改原记录：系统保存一个新版本并注明原因，两个版本都可查；已公示的记录会在公示账本中追加更正记录。",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, record_type: str, pk: int):
    """Drafts (allocations, projects not yet published) are edited in place."""
    actor = request.user
    record_type = _record_type(record_type)
    require(actor, Capability.EDIT)
    if record_type not in ("allocation", "project"):
        return redirect("desk:funds_record_correct", record_type=record_type, pk=pk)
    record = selectors.record_get_for(actor=actor, record_type=record_type, pk=pk)
    model = MODELS[record_type]
    fields = fields_for_model(model, fields=record_services.CORRECTABLE[model], widgets={"allocated_on": DATE_WIDGET})
    form = type("DraftForm", (forms.Form,), fields)(request.POST or None, initial=_initial(record, model))
    if request.method == "POST" and form.is_valid():
        try:
            record_services.record_update_draft(actor=actor, record=record, changes=form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存")
            return redirect("desk:funds_record", record_type=record_type, pk=pk)
    return render(request, "desk/funds/form.html", {
        "form": form, "title": f"修改{model._meta.verbose_name}（未公示）",
        "back": reverse("desk:funds_record", args=[record_type, pk])}, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def project_transition_view(request, pk: int):
    actor = request.user
    project = selectors.project_get_for(actor=actor, pk=pk)
    to_status = request.POST.get("to_status", "")
    facts = {key: request.POST.get(key, "") for key in STAGE_FACTS.get(to_status, {})}
    try:
        on_date = dt.date.fromisoformat(request.POST.get("on_date") or timezone.localdate().isoformat())
        project_transition(actor=actor, project=project, to_status=to_status, on_date=on_date,
                           note=request.POST.get("note", ""), facts=facts)
    except ValueError:
        messages.error(request, "日期格式不正确")
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"项目已变为“{ProjectStatus(to_status).label}”")
    return redirect("desk:funds_record", record_type="project", pk=pk)


# ---- imports --------------------------------------------------------------------------------------------------

IMPORT_TITLES = {"payment": "导入到户资金发放清单", "transaction": "导入村级账户收支明细",
                 "allocation": "导入资金分配结果", "project": "导入扶贫项目"}
IMPORT_HINTS = {
    "payment": "银行或一卡通系统导出的发放清单。每笔发放会生成一条到账短信发给该户（重复导入不会重复发送）。",
    "transaction": "村级财务软件或银行导出的账户明细。每笔收支会短信告知本村村级监督员。",
    "allocation": "各级（中央、省、市、县）资金分配结果表。分配对象可为乡镇、村或项目（按项目编号）。",
    "project": "项目库导出表。有审批文号的项目在导入时登记备案并取得备案号。",
}


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, record_type: str):
    actor = request.user
    record_type = _record_type(record_type)
    require(actor, Capability.IMPORT)
    importer = IMPORTERS[record_type]
    accounts = selectors.account_list_visible_to(actor=actor) if record_type == "transaction" else []
    error = None
    if request.method == "POST":
        try:
            options = {}
            if record_type == "transaction" and request.POST.get("account"):
                options["account"] = selectors.account_get_for(actor=actor, pk=int(request.POST["account"])
                                                               ).account_number
            with transaction.atomic():  # the job and its task (outbox) are one write
                job = import_job_from_upload(uploaded=request.FILES.get("file"), kind=importer.kind, actor=actor,
                                             options=options)
                enqueue(import_run_task, job.pk, options)
            return redirect("desk:import_job", job_id=job.pk)
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            error = exc.message
    return render(request, "desk/funds/import.html", {
        "title": IMPORT_TITLES[record_type], "hint": IMPORT_HINTS[record_type], "columns": importer.columns,
        "error": error, "accounts": accounts, "record_type": record_type,
        "jobs": selectors.import_job_list_visible_to(actor=actor, kind=importer.kind)[:10],
    }, status=400 if error else 200)


# ---- notices --------------------------------------------------------------------------------------------------

@login_required
def notice_list(request):
    actor = request.user
    qs = selectors.notice_list_visible_to(actor=actor, region=_region(request, actor),
                                          kind=request.GET.get("kind", ""), status=request.GET.get("status", ""))
    return render(request, "desk/funds/notice_list.html", {
        "page": _page(request, qs), "kinds": NoticeKind.choices, "kind": request.GET.get("kind", ""),
        "statuses": NoticeStatus.choices, "status": request.GET.get("status", ""), **_can(actor)})


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label="公示类型", choices=NoticeKind.choices)
    scope_region = forms.ChoiceField(label="公示范围（乡镇或村）")
    starts_on = forms.DateField(label="公示开始日期", widget=DATE_WIDGET)
    period_days = forms.IntegerField(label="公示期（天，不少于10天）", min_value=1, initial=MIN_NOTICE_DAYS)
    title = forms.CharField(label="标题（可留空自动生成）", max_length=200, required=False)
    intro = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact_phone = forms.CharField(label="异议受理电话", max_length=40, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_region"].choices = (_region_choices(actor, RegionLevel.TOWNSHIP)
                                               + _region_choices(actor, RegionLevel.VILLAGE)[1:])


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request):
    """Step 1 of publishing: scope, records and dates; saved as a draft to preview before publishing."""
    actor = request.user
    require(actor, Capability.PUBLISH)
    form = NoticeForm(request.POST or None, actor=actor, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            region = org_selectors.region_get_for(actor=actor, pk=int(d["scope_region"] or 0))
            notice = notice_services.notice_create(
                actor=actor, kind=d["kind"], scope_region=region,
                record_ids=[int(i) for i in request.POST.getlist("records") if i.isdigit()],
                starts_on=d["starts_on"], period_days=d["period_days"], title=d["title"], intro=d["intro"],
                contact_phone=d["contact_phone"])
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, "公示草稿已生成，请核对后发布")
            return redirect("desk:funds_notice", pk=notice.pk)
    return render(request, "desk/funds/notice_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def notice_records(request):
    """HTMX: the records of a kind inside a region that no notice has published yet, as a checklist."""
    actor = request.user
    kind = request.GET.get("kind", "")
    raw = request.GET.get("scope_region", "")
    records = []
    if kind in NoticeKind.values and raw.isdigit():
        region = org_selectors.region_get_for(actor=actor, pk=int(raw))
        records = selectors.publishable_records(actor=actor, kind=kind, region=region)[:2000]
    return render(request, "desk/funds/partials/notice_records.html", {"records": records, "kind": kind})


@login_required
def notice_detail(request, pk: int):
    actor = request.user
    notice = selectors.notice_get_for(actor=actor, pk=pk)
    rows = selectors.notice_rows(notice=notice)
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    from sunshine.funds.pdf import notice_public_url

    return render(request, "desk/funds/notice_detail.html", {
        "notice": notice, "page": page, "totals": selectors.notice_totals(notice=notice),
        "entries": selectors.ledger_entries_of(notice=notice),
        "public_url": notice_public_url(notice.code) if notice.code else "", **_can(actor)})


@login_required
@require_POST
def notice_publish_view(request, pk: int):
    actor = request.user
    notice = selectors.notice_get_for(actor=actor, pk=pk)
    try:
        notice = notice_services.notice_publish(actor=actor, notice=notice)
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已发布公示，核验码 {notice.code}")
    return redirect("desk:funds_notice", pk=pk)


@login_required
@require_POST
def notice_delete_view(request, pk: int):
    actor = request.user
    notice = selectors.notice_get_for(actor=actor, pk=pk)
    notice_services.notice_delete_draft(actor=actor, notice=notice)
    messages.success(request, "草稿已删除")
    return redirect("desk:funds_notices")


@login_required
def notice_pdf_view(request, pk: int):
    from sunshine.funds.pdf import notice_pdf

    notice = selectors.notice_get_for(actor=request.user, pk=pk)
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    name = f"notice-{notice.code or 'draft-' + str(notice.pk)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ledger_verify_view(request):
    require(request.user, Capability.VERIFY_LEDGER)
    report = selectors.ledger_verify() if request.method == "POST" else None
    return render(request, "desk/funds/ledger_verify.html", {
        "report": report, "recent": selectors.ledger_recent(limit=20)})

