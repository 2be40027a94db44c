"""Staff pages of funds disclosure: one record's page, editing a draft, correcting a published record, project
stages."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import fields_for_model
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.core.errors import ApplicationError, CoreErrorCode, NotFound
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.choices import (
    PROJECT_TRANSITIONS,
    STAGE_FACTS,
    ProjectStatus,
)
from sunshine.funds.models import FundAllocation
from sunshine.funds.registry import record_kind
from sunshine.funds.services import records as record_services
from sunshine.funds.services.projects import project_transition
from sunshine.funds.services.spending import spending_create, transaction_link_project
from sunshine.org.capabilities import require

from .exports import Listing, col, desk_list, yes
from .forms_funds import DATE_WIDGET
from .views_funds import _can, _record_type

# ---- record pages: detail, draft edit, correction, project stages ------------------------------------------------

@desk_list("project-spending", title=_lazy("项目资金使用情况"), page="desk:funds_projects", columns=[
    col(_lazy("支付日期"), "paid_on"), col(_lazy("收款单位（人）"), "payee"), col(_lazy("合同编号"), "contract_number"),
    col(_lazy("发票号码"), "invoice_number"), col(_lazy("资金来源"), "allocation.document_number"),
    col(_lazy("金额"), "amount"), col(_lazy("验收前支付"), lambda s: yes(s.paid_before_acceptance))])
def project_spending_query(actor, g) -> Listing:
    """One project's payments out (`g["project"]`: the project's page names it; its export link carries it)."""
    raw = str(g.get("project", ""))
    if not raw.isdigit():
        raise NotFound()
    project = selectors.record_get_for(actor=actor, record_type="project", pk=int(raw))
    return Listing(selectors.project_spendings(project=project),
                   [(_("项目"), f"{project.village.name} {project.name}")], context={"project": project})


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
        context["money"] = selectors.project_money(project=record)
        context["spendings"] = project_spending_query(actor, {"project": str(record.pk)}).rows
        context["spending_sources"] = selectors.project_allocation_choices(project=record)
    return render(request, f"desk/funds/{record_type}_detail.html", context)


@login_required
@require_POST
def project_spending_new(request, pk: int):
    """Hand entry of one payment out of a project's money (or a village-account payment linked to it)."""
    actor = request.user
    project = selectors.project_get_for(actor=actor, pk=pk)
    require(actor, Capability.EDIT)
    post = request.POST
    try:
        try:
            allocation = selectors.project_allocation_choices(project=project).get(pk=int(post.get("allocation", "")))
        except (ValueError, FundAllocation.DoesNotExist):
            raise ApplicationError(_("请选择资金来源"), code=CoreErrorCode.INVALID) from None
        if post.get("transaction"):
            try:
                txn = selectors.transaction_get_for(actor=actor, pk=int(post["transaction"]))
            except ValueError:
                raise ApplicationError(_("村级账户支出编号不正确"), code=CoreErrorCode.INVALID) from None
            transaction_link_project(actor=actor, account_transaction=txn, project=project, allocation=allocation,
                                     contract_number=post.get("contract_number", ""),
                                     invoice_number=post.get("invoice_number", ""))
        else:
            spending_create(actor=actor, project=project, allocation=allocation, payee=post.get("payee", ""),
                            paid_on=post.get("paid_on", ""), amount=post.get("amount", ""),
                            contract_number=post.get("contract_number", ""),
                            invoice_number=post.get("invoice_number", ""), purpose=post.get("purpose", ""))
        messages.success(request, _("已登记项目支出"))
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect("desk:funds_record", record_type="project", pk=project.pk)


def _correction_form_class(model):
    fields = fields_for_model(model, fields=record_services.CORRECTABLE[model],
                              widgets={f: DATE_WIDGET for f in ("paid_on", "occurred_on", "allocated_on")})
    fields["reason"] = forms.CharField(label=_("更正原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                                       required=False)
    return type(f"{model.__name__}CorrectionForm", (forms.Form,), fields)


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
    model = record_kind(record_type).model
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
            messages.success(request, _("已更正为第 %(version)s 版；原版本保留可查") % {"version": new.version})
            return redirect("desk:funds_record", record_type=record_type, pk=new.pk)
    return render(request, "desk/funds/form.html", {
        "form": form, "title": _("更正%(record)s") % {"record": model._meta.verbose_name}, "record": record,
        "back": reverse("desk:funds_record", args=[record_type, pk]),
        "note": _("更正不会修改原记录：系统保存一个新版本并注明原因，两个版本都可查；已公示的记录会在公示账本中追加更正记录。"),
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
    model = record_kind(record_type).model
    fields = fields_for_model(model, fields=record_services.CORRECTABLE[model], widgets={"allocated_on": DATE_WIDGET})
    form = type("DraftForm", (forms.Form,), fields)(request.POST or None, initial=_initial(record, model))
    if request.method == "POST" and form.is_valid():
        try:
            record_services.record_update_draft(actor=actor, record=record, changes=form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存"))
            return redirect("desk:funds_record", record_type=record_type, pk=pk)
    return render(request, "desk/funds/form.html", {
        "form": form, "title": _("修改%(record)s（未公示）") % {"record": model._meta.verbose_name},
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
        messages.error(request, _("日期格式不正确"))
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("项目已变为“%(status)s”") % {"status": ProjectStatus(to_status).label})
    return redirect("desk:funds_record", record_type="project", pk=pk)
