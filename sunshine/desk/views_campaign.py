"""Staff pages of the campaign registers (i13b): less burden on villages, training, inspections and audits, lasting
mechanisms, the annual assessment. Views parse and present; scoping is inside the oversight selectors."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import has_capability, require
from sunshine.org.choices import RegionLevel
from sunshine.org.selectors import region_list_visible_to
from sunshine.oversight.capabilities import Capability
from sunshine.oversight.choices_i13b import AssessedKind, DataRequestKind, DataRequestStatus
from sunshine.oversight.selectors import assessments as assessment_selectors
from sunshine.oversight.selectors import burden as burden_selectors
from sunshine.oversight.selectors import inspections as inspection_selectors
from sunshine.oversight.selectors import mechanisms as mechanism_selectors
from sunshine.oversight.selectors import training as training_selectors
from sunshine.oversight.services import burden as burden_services
from sunshine.oversight.services import training as training_services

PAGE_SIZE = 30
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request, template: str, context: dict):
    return render(request, f"desk/campaign/{template}.html", {"section": template, **context})


# ---- hub ------------------------------------------------------------------------------------------------------

@login_required
def campaign_home(request):
    actor = request.user
    require(actor, Capability.VIEW_REGISTERS)
    year = _year(request)
    coverage = training_selectors.training_coverage(actor=actor, year=year)
    limit, waiting = burden_selectors.filing_waiting(actor=actor)
    ended, unfinished = mechanism_selectors.dept_tasks_unfinished(actor=actor, year=year)
    return _render(request, "home", {
        "year": year,
        "refused": burden_selectors.data_requests_visible(actor=actor, status=DataRequestStatus.REFUSED,
                                                          year=year).count(),
        "relays": burden_selectors.documents_visible(actor=actor, relay_only=True).count(),
        "waiting": len(waiting), "limit": limit,
        "coverage": coverage,
        "inspection_coverage": inspection_selectors.inspection_coverage(actor=actor),
        "weak_active": mechanism_selectors.weak_orgs_visible(actor=actor, active_only=True).count(),
        "unfinished": len(unfinished), "year_ended": ended,
    })


# ---- less burden on villages (三(二)4) ----------------------------------------------------------------------

class DataRequestForm(forms.Form):
    region = forms.ChoiceField(label="填报范围")
    kind = forms.ChoiceField(label="类别", choices=DataRequestKind.choices)
    title = forms.CharField(label="名称", max_length=120)
    fields = forms.CharField(label="要求填报的项目(每行一项)", widget=forms.Textarea(attrs={"rows": 3}))
    purpose = forms.CharField(label="用途", max_length=300)
    deadline = forms.DateField(label="报送期限", widget=DATE_WIDGET)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        regions = region_list_visible_to(actor=actor).filter(level__lte=RegionLevel.VILLAGE).select_related("parent")
        self.fields["region"].choices = [(str(r.pk), r.full_name or r.name) for r in regions.order_by("path")[:500]]


@login_required
@require_http_methods(["GET", "POST"])
def data_requests(request):
    actor = request.user
    require(actor, Capability.VIEW_REGISTERS)
    can_register = has_capability(actor, Capability.DATA_REQUEST)
    form = DataRequestForm(request.POST or None, actor=actor) if can_register else None
    refused = None
    if request.method == "POST" and form is not None and form.is_valid():
        require(actor, Capability.DATA_REQUEST)
        d = form.cleaned_data
        try:
            region = region_list_visible_to(actor=actor).get(pk=int(d["region"]))
            record = burden_services.data_request_register(
                actor=actor, region=region, kind=d["kind"], title=d["title"],
                fields=d["fields"].splitlines(), purpose=d["purpose"], deadline=d["deadline"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if record.status == DataRequestStatus.REFUSED:
                refused = record
            else:
                messages.success(request, "已登记")
                return redirect("desk:campaign_data_requests")
    qs = burden_selectors.data_requests_visible(actor=actor, status=request.GET.get("status", ""))
    return _render(request, "data_requests", {"page": _page(request, qs), "form": form, "refused": refused,
                                              "statuses": DataRequestStatus.choices,
                                              "status": request.GET.get("status", "")})


@login_required
def documents(request):
    actor = request.user
    relay_only = request.GET.get("relay") == "1"
    qs = burden_selectors.documents_visible(actor=actor, relay_only=relay_only)
    return _render(request, "documents", {
        "page": _page(request, qs), "relay_only": relay_only,
        "assessments": burden_selectors.village_assessments_visible(actor=actor)[:50]})


@login_required
def project_filing(request):
    actor = request.user
    year = request.GET.get("year", "")
    units = burden_selectors.filing_times(actor=actor, year=int(year) if year.isdigit() else None)
    limit, waiting = burden_selectors.filing_waiting(actor=actor)
    return _render(request, "project_filing", {"units": units, "limit": limit, "waiting": waiting, "year": year})


# ---- training (三(二)5) ----------------------------------------------------------------------------------------

@login_required
def trainings(request):
    actor = request.user
    year = _year(request)
    coverage = training_selectors.training_coverage(actor=actor, year=year)
    return _render(request, "trainings", {
        "year": year, "coverage": coverage, "never": _page(request, coverage.never_trained),
        "sessions": training_selectors.sessions_visible(actor=actor, year=year)[:50],
        "plans": training_selectors.training_plans(actor=actor).filter(year=year)})


@login_required
def training_session(request, pk: int):
    actor = request.user
    session = training_selectors.session_get_for(actor=actor, pk=pk)
    return _render(request, "training_session", {
        "session": session, "attendance": training_selectors.session_attendance(session=session),
        "can_record": has_capability(actor, Capability.TRAINING),
        "errors": request.session.pop(f"signin-errors-{pk}", None)})


@login_required
@require_POST
def training_sign_in_sheet(request, pk: int):
    actor = request.user
    session = training_selectors.session_get_for(actor=actor, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择签到表文件")
    elif upload.size > 5 * 1024 * 1024:
        messages.error(request, "签到表不能超过 5 MB")
    else:
        try:
            added = training_services.attendance_import(actor=actor, session=session, content=upload.read(),
                                                        filename=upload.name)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            request.session[f"signin-errors-{pk}"] = exc.extra.get("errors", [])[:200]
        else:
            messages.success(request, f"已导入 {added} 人签到")
    return redirect("desk:campaign_training_session", pk=pk)


# ---- inspections and audits (三(三)2) --------------------------------------------------------------------------

@login_required
def inspections(request):
    actor = request.user
    year = _year(request)
    return _render(request, "inspections", {
        "year": year, "page": _page(request, inspection_selectors.inspections_visible(actor=actor)),
        "coverage": inspection_selectors.inspection_coverage(actor=actor),
        "proposals": inspection_selectors.special_proposals(actor=actor, year=year)})


@login_required
def inspection_detail(request, pk: int):
    inspection = inspection_selectors.inspection_get_for(actor=request.user, pk=pk)
    return _render(request, "inspection_detail", {
        "inspection": inspection, "targets": inspection_selectors.inspection_targets(inspection=inspection),
        "findings": inspection_selectors.inspection_findings(inspection=inspection)})


# ---- lasting mechanisms (三(四)) --------------------------------------------------------------------------------

@login_required
def micro_powers(request):
    villages = mechanism_selectors.micro_power_villages(actor=request.user)
    missing = [v for v in villages if not v.item_count]
    return _render(request, "micro_powers", {"page": _page(request, villages), "missing": missing})


@login_required
def micro_power_village(request, village_id: int):
    village, items = mechanism_selectors.micro_powers_of_village(actor=request.user, village_id=village_id)
    return _render(request, "micro_power_village", {"village": village, "items": items})


@login_required
def grids(request):
    year = _year(request)
    rows = mechanism_selectors.grids_with_counts(actor=request.user, year=year)
    return _render(request, "grids", {"year": year, "page": _page(request, rows)})


@login_required
def weak_orgs(request):
    rows = list(mechanism_selectors.weak_orgs_visible(actor=request.user))
    for w in rows:
        w.items = list(mechanism_selectors.weak_org_items(weak_org=w))
    return _render(request, "weak_orgs", {"rows": rows})


@login_required
def tasks(request):
    actor = request.user
    year = _year(request)
    ended, unfinished = mechanism_selectors.dept_tasks_unfinished(actor=actor, year=year)
    return _render(request, "tasks", {
        "year": year, "year_ended": ended, "unfinished": unfinished,
        "summary": mechanism_selectors.dept_task_summary(actor=actor, year=year),
        "page": _page(request, mechanism_selectors.dept_tasks_visible(actor=actor, year=year))})


# ---- the annual assessment (三(四)1) -----------------------------------------------------------------------------

@login_required
def assessments(request):
    actor = request.user
    year = _year(request)
    kind = request.GET.get("kind", AssessedKind.TOWNSHIP)
    if kind not in AssessedKind.values:
        kind = AssessedKind.TOWNSHIP
    rows = assessment_selectors.assessments_visible(actor=actor, year=year, kind=kind)
    return _render(request, "assessments", {"year": year, "kind": kind, "kinds": AssessedKind.choices,
                                            "rows": rows})


@login_required
def assessment_detail(request, unit_id: int):
    actor = request.user
    year = _year(request)
    assessment = assessment_selectors.assessment_get_for(actor=actor, unit_id=unit_id, year=year)
    commitments = assessment_selectors.commitments_visible(actor=actor, year=year).filter(unit_id=unit_id)
    return _render(request, "assessment_detail", {"year": year, "a": assessment, "commitments": commitments})
