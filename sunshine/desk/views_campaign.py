"""Staff pages of the campaign registers (i13b): less burden on villages, training, inspections and audits, lasting
mechanisms, the annual assessment. Views parse and present; scoping is inside the oversight selectors."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.core.errors import ApplicationError, NotFound
from sunshine.org.capabilities import has_capability, require
from sunshine.org.choices import RegionLevel
from sunshine.org.selectors import region_list_visible_to
from sunshine.oversight.capabilities import Capability
from sunshine.oversight.choices_i13b import (
    AssessedKind,
    AssessmentStatus,
    BasisLevel,
    DataRequestKind,
    DataRequestStatus,
)
from sunshine.oversight.selectors import assessments as assessment_selectors
from sunshine.oversight.selectors import burden as burden_selectors
from sunshine.oversight.selectors import inspections as inspection_selectors
from sunshine.oversight.selectors import mechanisms as mechanism_selectors
from sunshine.oversight.selectors import training as training_selectors
from sunshine.oversight.services import assessments as assessment_services
from sunshine.oversight.services import burden as burden_services
from sunshine.oversight.services import mechanisms as mechanism_services
from sunshine.oversight.services import training as training_services

from .exports import Listing, choice_label, col, desk_list, shown, yes

PAGE_SIZE = 30
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year(request) -> int:
    return _year_of(request.GET)


def _year_of(g) -> int:
    raw = g.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _year_filter(g) -> list[tuple[str, str]]:
    return [(_("年度"), str(_year_of(g)))]


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request, template: str, context: dict):
    actor = request.user
    can = {c.name.lower(): has_capability(actor, c) for c in (Capability.DOCUMENT, Capability.TASKS, Capability.INSPECT, Capability.TRAINING,
                                                               Capability.MECHANISM, Capability.WEAK_ORG,
                                                               Capability.ASSESS)}
    return render(request, f"desk/campaign/{template}.html", {"section": template, "can": can, **context})


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
    fields = forms.CharField(label="要求填报的项目（每行一项）", widget=forms.Textarea(attrs={"rows": 3}))
    purpose = forms.CharField(label="用途", max_length=300)
    deadline = forms.DateField(label="报送期限", widget=DATE_WIDGET)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        regions = region_list_visible_to(actor=actor).filter(level__lte=RegionLevel.VILLAGE).select_related("parent")
        self.fields["region"].choices = [(str(r.pk), r.full_name or r.name) for r in regions.order_by("path")[:500]]


@desk_list("data-requests", title=_lazy("向村级要数据登记"), page="desk:campaign_data_requests", columns=[
    col(_lazy("事项"), "title"), col(_lazy("状态"), "get_status_display"), col(_lazy("提出单位"), "requester_unit.name"),
    col(_lazy("村（社区）"), "region.name"), col(_lazy("类别"), "get_kind_display"), col(_lazy("期限"), "deadline"),
    col(_lazy("项目"), lambda r: "、".join(r.fields or [])), col(_lazy("用途"), "purpose"),
    col(_lazy("不予登记理由"), "refusal_reason")])
def data_requests_query(actor, g) -> Listing:
    require(actor, Capability.VIEW_REGISTERS)
    status = g.get("status", "")
    return Listing(burden_selectors.data_requests_visible(actor=actor, status=status),
                   shown([(_("状态"), choice_label(DataRequestStatus.choices, status))]))


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
    qs = data_requests_query(actor, request.GET).rows
    return _render(request, "data_requests", {"page": _page(request, qs), "form": form, "refused": refused,
                                              "statuses": DataRequestStatus.choices,
                                              "status": request.GET.get("status", "")})


def _forwards(d) -> str:
    if d.forwards_id:
        return f"{d.forwards.number}（{d.forwards.issuer.name}）"
    return d.forwards_number or ""


@desk_list("documents", title=_lazy("发文登记"), page="desk:campaign_documents", columns=[
    col(_lazy("标题"), "title"), col(_lazy("文号"), "number"), col(_lazy("发文单位"), "issuer.name"),
    col(_lazy("日期"), "issued_on"), col(_lazy("层层转发"), lambda d: yes(d.is_relay)),
    col(_lazy("转发并出台措施"), lambda d: yes(d.is_forward and not d.is_relay)), col(_lazy("转发"), _forwards)])
def documents_query(actor, g) -> Listing:
    relay_only = g.get("relay") == "1"
    return Listing(burden_selectors.documents_visible(actor=actor, relay_only=relay_only),
                   shown([(_("仅层层转发"), yes(relay_only))]))


VILLAGE_ASSESSMENTS_SHOWN = 50  # the documents page lists the newest; their export lists all


@desk_list("village-assessments", title=_lazy("村级考核评估登记"), page="desk:campaign_documents", columns=[
    col(_lazy("事项"), "title"), col(_lazy("状态"), "get_status_display"), col(_lazy("组织单位"), "organiser.name"),
    col(_lazy("年度"), "year"), col(_lazy("依据层级"), "get_basis_level_display"), col(_lazy("依据文件"), "basis_document"),
    col(_lazy("不予登记理由"), "refusal_reason")])
def village_assessments_query(actor, g) -> Listing:
    return Listing(burden_selectors.village_assessments_visible(actor=actor))


@login_required
def documents(request):
    actor = request.user
    relay_only = request.GET.get("relay") == "1"
    qs = documents_query(actor, request.GET).rows
    return _render(request, "documents", {
        "page": _page(request, qs), "relay_only": relay_only,
        "assessments": village_assessments_query(actor, request.GET).rows[:VILLAGE_ASSESSMENTS_SHOWN]})


def _slowest(u) -> str:
    s = u.slowest_total
    return f"{s.project.name}（{s.total} 天）" if s else ""


@desk_list("project-filing", title=_lazy("项目审批备案用时"), page="desk:campaign_project_filing", columns=[
    col(_lazy("乡镇"), "unit_name"), col(_lazy("项目"), lambda u: len(u.projects)), col(_lazy("已备案"), "filed_count"),
    col(_lazy("审批中位（天）"), "median_approval"), col(_lazy("备案中位（天）"), "median_filing"),
    col(_lazy("全程中位（天）"), "median_total"), col(_lazy("最慢"), _slowest)])
def project_filing_query(actor, g) -> Listing:
    year = g.get("year", "")
    return Listing(burden_selectors.filing_times(actor=actor, year=int(year) if year.isdigit() else None),
                   shown([(_("年度"), year if year.isdigit() else "")]))


@desk_list("filing-waiting", title=_lazy("审批备案超时的项目"), page="desk:campaign_project_filing", columns=[
    col(_lazy("项目"), "project.name"), col(_lazy("项目编号"), "project.code"), col(_lazy("乡镇"), "unit_name"),
    col(_lazy("村"), "project.village.name"), col(_lazy("环节"), "stage"), col(_lazy("天数"), "days"),
    col(_lazy("起始日期"), "since")])
def filing_waiting_query(actor, g) -> Listing:
    limit, waiting = burden_selectors.filing_waiting(actor=actor)
    return Listing(waiting, context={"limit": limit})


@login_required
def project_filing(request):
    actor = request.user
    year = request.GET.get("year", "")
    units = project_filing_query(actor, request.GET).rows
    waiting_listing = filing_waiting_query(actor, request.GET)
    limit, waiting = waiting_listing.context["limit"], waiting_listing.rows
    return _render(request, "project_filing", {"units": units, "limit": limit, "waiting": waiting, "year": year})


# ---- training (三(二)5) ----------------------------------------------------------------------------------------

@desk_list("never-trained", title=_lazy("本年度未参加培训的人员"), page="desk:campaign_trainings", columns=[
    col(_lazy("姓名"), "person.name"), col(_lazy("单位"), "person.unit.name"),
    col(_lazy("类别"), lambda c: "、".join(map(str, c.categories)))])
def never_trained_query(actor, g) -> Listing:
    coverage = training_selectors.training_coverage(actor=actor, year=_year_of(g))
    return Listing(coverage.never_trained, _year_filter(g), context={"coverage": coverage})


SESSIONS_SHOWN = 50


@desk_list("training-sessions", title=_lazy("培训班次"), page="desk:campaign_trainings", columns=[
    col(_lazy("班次"), "title"), col(_lazy("日期"), "held_on"), col(_lazy("组织单位"), "organiser.name"),
    col(_lazy("地点"), "place"), col(_lazy("签到人数"), "attendance_count")])
def training_sessions_query(actor, g) -> Listing:
    return Listing(training_selectors.sessions_visible(actor=actor, year=_year_of(g)), _year_filter(g))


@login_required
def trainings(request):
    actor = request.user
    year = _year(request)
    never = never_trained_query(actor, request.GET)
    coverage = never.context["coverage"]
    return _render(request, "trainings", {
        "year": year, "coverage": coverage, "never": _page(request, never.rows),
        "sessions": training_sessions_query(actor, request.GET).rows[:SESSIONS_SHOWN],
        "plans": training_selectors.training_plans(actor=actor).filter(year=year)})


@desk_list("training-attendance", title=_lazy("培训签到"), page="desk:campaign_trainings", columns=[
    col(_lazy("姓名"), "person.name"), col(_lazy("单位"), "person.unit.name"), col(_lazy("来源"), "source")])
def training_attendance_query(actor, g) -> Listing:
    """The sign-ins of the session `g["session"]` (the page's path names it; its export link carries it)."""
    raw = str(g.get("session", ""))
    if not raw.isdigit():
        raise NotFound()
    session = training_selectors.session_get_for(actor=actor, pk=int(raw))
    return Listing(training_selectors.session_attendance(session=session),
                   [(_("班次"), f"{session.title} {session.held_on:%Y-%m-%d}")], context={"session": session})


@login_required
def training_session(request, pk: int):
    actor = request.user
    listing = training_attendance_query(actor, {"session": str(pk)})
    session = listing.context["session"]
    return _render(request, "training_session", {
        "session": session, "page": _page(request, listing.rows),
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

@desk_list("inspections", title=_lazy("巡察审计登记"), page="desk:campaign_inspections", columns=[
    col(_lazy("名称"), "title"), col(_lazy("类别"), "get_kind_display"), col(_lazy("专项"), lambda i: yes(i.is_special)),
    col(_lazy("组织单位"), "conducted_by.name"), col(_lazy("地区"), "region.name"), col(_lazy("开始日期"), "started_on"),
    col(_lazy("对象数"), "target_count"), col(_lazy("发现问题数"), "finding_count")])
def inspections_query(actor, g) -> Listing:
    return Listing(inspection_selectors.inspections_visible(actor=actor))


@login_required
def inspections(request):
    actor = request.user
    year = _year(request)
    return _render(request, "inspections", {
        "year": year, "page": _page(request, inspections_query(actor, request.GET).rows),
        "coverage": inspection_selectors.inspection_coverage(actor=actor),
        "proposals": inspection_selectors.special_proposals(actor=actor, year=year)})


@login_required
def inspection_detail(request, pk: int):
    inspection = inspection_selectors.inspection_get_for(actor=request.user, pk=pk)
    return _render(request, "inspection_detail", {
        "inspection": inspection, "targets": inspection_selectors.inspection_targets(inspection=inspection),
        "findings": inspection_selectors.inspection_findings(inspection=inspection)})


# ---- lasting mechanisms (三(四)) --------------------------------------------------------------------------------

@desk_list("micro-powers", title=_lazy("村级小微权力清单"), page="desk:campaign_micro_powers", columns=[
    col(_lazy("乡镇"), "parent.name"), col(_lazy("村"), "name"), col(_lazy("清单事项数"), "item_count")])
def micro_powers_query(actor, g) -> Listing:
    return Listing(mechanism_selectors.micro_power_villages(actor=actor))


@login_required
def micro_powers(request):
    villages = micro_powers_query(request.user, request.GET).rows
    missing = [v for v in villages if not v.item_count]
    return _render(request, "micro_powers", {"page": _page(request, villages), "missing": missing})


@login_required
def micro_power_village(request, village_id: int):
    village, items = mechanism_selectors.micro_powers_of_village(actor=request.user, village_id=village_id)
    return _render(request, "micro_power_village", {"village": village, "items": items})


@desk_list("grids", title=_lazy("网格与网格员"), page="desk:campaign_grids", columns=[
    col(_lazy("乡镇"), "grid.village.parent.name"), col(_lazy("村"), "grid.village.name"), col(_lazy("网格"), "grid.name"),
    col(_lazy("网格员"), lambda r: "、".join(w.name for w in r.grid.workers.all())),
    col(_lazy("村民小组"), lambda r: "、".join(g.name for g in r.grid.groups.all())), col(_lazy("举报"), "reports"),
    col(_lazy("走访"), "visits")])
def grids_query(actor, g) -> Listing:
    return Listing(mechanism_selectors.grids_with_counts(actor=actor, year=_year_of(g)), _year_filter(g))


@login_required
def grids(request):
    year = _year(request)
    rows = grids_query(request.user, request.GET).rows
    return _render(request, "grids", {"year": year, "page": _page(request, rows)})


def _weak_org_items(w) -> str:
    return "；".join(f"{i.title}（{i.get_status_display()}，{i.deadline:%Y-%m-%d}）"
                    for i in mechanism_selectors.weak_org_items(weak_org=w))


@desk_list("weak-orgs", title=_lazy("软弱涣散村党组织整顿"), page="desk:campaign_weak_orgs", columns=[
    col(_lazy("乡镇"), "village.parent.name"), col(_lazy("村"), "village.name"), col(_lazy("认定年度"), "year"),
    col(_lazy("认定日期"), "designated_on"), col(_lazy("销号日期"), "lifted_on"), col(_lazy("原因"), "reasons"),
    col(_lazy("销号说明"), "lift_note"), col(_lazy("整顿事项"), _weak_org_items)])
def weak_orgs_query(actor, g) -> Listing:
    return Listing(mechanism_selectors.weak_orgs_visible(actor=actor))


@login_required
def weak_orgs(request):
    rows = list(weak_orgs_query(request.user, request.GET).rows)
    for w in rows:
        w.items = list(mechanism_selectors.weak_org_items(weak_org=w))
    return _render(request, "weak_orgs", {"rows": rows})


@desk_list("dept-tasks", title=_lazy("行业部门任务"), page="desk:campaign_tasks", columns=[
    col(_lazy("任务"), "title"), col(_lazy("单位"), "unit.name"), col(_lazy("状态"), "get_status_display"),
    col(_lazy("已完成"), "completed"), col(_lazy("目标"), "target"), col(_lazy("计量"), "measure"),
    col(_lazy("时限"), "due_on"), col(_lazy("说明"), "note")])
def dept_tasks_query(actor, g) -> Listing:
    return Listing(mechanism_selectors.dept_tasks_visible(actor=actor, year=_year_of(g)), _year_filter(g))


@desk_list("dept-task-summary", title=_lazy("行业部门任务完成情况"), page="desk:campaign_tasks", columns=[
    col(_lazy("单位"), lambda r: str(r.unit)), col(_lazy("任务"), "total"), col(_lazy("完成"), "done"),
    col(_lazy("未完成"), "open")])
def dept_task_summary_query(actor, g) -> Listing:
    return Listing(mechanism_selectors.dept_task_summary(actor=actor, year=_year_of(g)), _year_filter(g))


@login_required
def tasks(request):
    actor = request.user
    year = _year(request)
    ended, unfinished = mechanism_selectors.dept_tasks_unfinished(actor=actor, year=year)
    return _render(request, "tasks", {
        "year": year, "year_ended": ended, "unfinished": unfinished,
        "summary": dept_task_summary_query(actor, request.GET).rows,
        "page": _page(request, dept_tasks_query(actor, request.GET).rows)})


# ---- the annual assessment (三(四)1) -----------------------------------------------------------------------------

def _assessed_kind(g) -> str:
    kind = g.get("kind", AssessedKind.TOWNSHIP)
    return kind if kind in AssessedKind.values else AssessedKind.TOWNSHIP


@desk_list("assessments", title=_lazy("年度考核"), page="desk:campaign_assessments", columns=[
    col(_lazy("单位"), "unit.name"), col(_lazy("得分"), "score"), col(_lazy("满分"), "weight_total"),
    col(_lazy("分项"), lambda a: "；".join(f"{f.label} {f.score}" for f in a.figures))])
def assessments_query(actor, g) -> Listing:
    kind = _assessed_kind(g)
    return Listing(assessment_selectors.assessments_visible(actor=actor, year=_year_of(g), kind=kind),
                   _year_filter(g) + [(_("对象"), choice_label(AssessedKind.choices, kind))])


@login_required
def assessments(request):
    actor = request.user
    year = _year(request)
    kind = _assessed_kind(request.GET)
    rows = assessments_query(actor, request.GET).rows
    return _render(request, "assessments", {"year": year, "kind": kind, "kinds": AssessedKind.choices,
                                            "rows": rows})


@login_required
def assessment_detail(request, unit_id: int):
    actor = request.user
    year = _year(request)
    assessment = assessment_selectors.assessment_get_for(actor=actor, unit_id=unit_id, year=year)
    commitments = assessment_selectors.commitments_visible(actor=actor, year=year).filter(unit_id=unit_id)
    return _render(request, "assessment_detail", {"year": year, "a": assessment, "commitments": commitments})


# ---- forms (each a thin wrapper around one service) ------------------------------------------------------------

def _form_page(request, form, *, title: str, back: str, note: str = ""):
    return _render(request, "form", {"form": form, "title": title, "back": back, "note": note})


class DocumentForm(forms.Form):
    number = forms.CharField(label="文号", max_length=60)
    title = forms.CharField(label="标题", max_length=200)
    issued_on = forms.DateField(label="发文日期", widget=DATE_WIDGET)
    forwards = forms.ChoiceField(label="转发的平台已登记文件", required=False)
    forwards_number = forms.CharField(label="或：转发的上级文件文号", max_length=60, required=False)
    has_measures = forms.BooleanField(label="结合实际出台了具体措施", required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        docs = burden_selectors.documents_visible(actor=actor)[:200]
        self.fields["forwards"].choices = [("", "—")] + [(str(d.pk), f"{d.number} {d.title}") for d in docs]


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request):
    actor = request.user
    require(actor, Capability.DOCUMENT)
    form = DocumentForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            forwards = (burden_selectors.document_get_for(actor=actor, pk=int(d["forwards"]))
                        if d["forwards"] else None)
            burden_services.document_register(actor=actor, number=d["number"], title=d["title"],
                                              issued_on=d["issued_on"], forwards=forwards,
                                              forwards_number=d["forwards_number"], has_measures=d["has_measures"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "发文已登记")
            return redirect("desk:campaign_documents")
    return _form_page(request, form, title="登记发文", back="desk:campaign_documents",
                      note="转发上级文件而未出台具体措施的，将标为“层层转发”。")


class TaskForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="任务", max_length=200)
    measure = forms.CharField(label="计量单位", max_length=20, initial="项")
    target = forms.DecimalField(label="目标", max_digits=14, decimal_places=2, min_value=0)
    due_on = forms.DateField(label="完成时限", widget=DATE_WIDGET)


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request):
    actor = request.user
    require(actor, Capability.TASKS)
    form = TaskForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            mechanism_services.dept_task_create(actor=actor, year=d["year"], title=d["title"], target=d["target"],
                                                due_on=d["due_on"], measure=d["measure"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "任务已登记")
            return redirect("desk:campaign_tasks")
    return _form_page(request, form, title="登记年度扶贫任务", back="desk:campaign_tasks")


class ProgressForm(forms.Form):
    completed = forms.DecimalField(label="已完成", max_digits=14, decimal_places=2, min_value=0)
    note = forms.CharField(label="进展说明", max_length=300, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def task_progress(request, pk: int):
    actor = request.user
    task = mechanism_selectors.dept_task_get_for(actor=actor, pk=pk)
    require(actor, Capability.TASKS)
    form = ProgressForm(request.POST or None, initial={"completed": task.completed, "note": task.note})
    if request.method == "POST" and form.is_valid():
        try:
            mechanism_services.dept_task_progress(actor=actor, task=task, completed=form.cleaned_data["completed"],
                                                  note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "进展已记录")
            return redirect("desk:campaign_tasks")
    return _form_page(request, form, title=f"{task.title}（目标 {task.target:g} {task.measure}）",
                      back="desk:campaign_tasks")


class MicroPowerForm(forms.Form):
    category = forms.CharField(label="类别", max_length=40)
    title = forms.CharField(label="事项", max_length=120)
    responsible_post = forms.CharField(label="责任岗位", max_length=40)
    basis = forms.CharField(label="依据", max_length=200, required=False)
    steps = forms.CharField(label="办理环节（每行一个：环节|责任岗位）", widget=forms.Textarea(attrs={"rows": 5}))


@login_required
@require_http_methods(["GET", "POST"])
def micro_power_new(request, village_id: int):
    actor = request.user
    require(actor, Capability.MECHANISM)
    village, _items = mechanism_selectors.micro_powers_of_village(actor=actor, village_id=village_id)
    form = MicroPowerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        steps = [tuple((line.split("|", 1) + [""])[:2]) for line in d["steps"].splitlines() if line.strip()]
        try:
            mechanism_services.micro_power_add(actor=actor, village=village, category=d["category"],
                                               title=d["title"], responsible_post=d["responsible_post"],
                                               basis=d["basis"], steps=[(n, p or d["responsible_post"])
                                                                        for n, p in steps])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已加入清单并在村公开页面公开")
            return redirect("desk:campaign_micro_power_village", village_id=village.pk)
    return _form_page(request, form, title=f"{village.name}：添加小微权力事项", back="desk:campaign_micro_powers")


class WeakOrgForm(forms.Form):
    village = forms.ChoiceField(label="村")
    year = forms.IntegerField(label="认定年度", min_value=2000, max_value=2100)
    designated_on = forms.DateField(label="认定日期", widget=DATE_WIDGET)
    reasons = forms.CharField(label="主要问题", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        villages = region_list_visible_to(actor=actor, level=RegionLevel.VILLAGE).select_related("parent")
        self.fields["village"].choices = [(str(v.pk), f"{v.parent.name}{v.name}") for v in villages.order_by("path")]


@login_required
@require_http_methods(["GET", "POST"])
def weak_org_new(request):
    actor = request.user
    require(actor, Capability.WEAK_ORG)
    form = WeakOrgForm(request.POST or None, actor=actor, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            village = region_list_visible_to(actor=actor).get(pk=int(d["village"]))
            mechanism_services.weak_org_designate(actor=actor, village=village, year=d["year"], reasons=d["reasons"],
                                                  designated_on=d["designated_on"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已认定")
            return redirect("desk:campaign_weak_orgs")
    return _form_page(request, form, title="认定软弱涣散村党组织", back="desk:campaign_weak_orgs")


class LiftForm(forms.Form):
    lifted_on = forms.DateField(label="销号日期", widget=DATE_WIDGET)
    note = forms.CharField(label="销号情况", max_length=300)


@login_required
@require_http_methods(["GET", "POST"])
def weak_org_lift(request, pk: int):
    actor = request.user
    weak = mechanism_selectors.weak_org_get_for(actor=actor, pk=pk)
    require(actor, Capability.WEAK_ORG)
    form = LiftForm(request.POST or None, initial={"lifted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            mechanism_services.weak_org_lift(actor=actor, weak_org=weak, lifted_on=form.cleaned_data["lifted_on"],
                                             note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已销号")
            return redirect("desk:campaign_weak_orgs")
    return _form_page(request, form, title=f"{weak.village.name}：销号", back="desk:campaign_weak_orgs",
                      note="整改事项须全部经回头看销号后，才能销号。")


class CheckForm(forms.Form):
    kept = forms.TypedChoiceField(label="年终检查", choices=[("1", "已兑现"), ("0", "未兑现")], coerce=lambda v: v == "1")
    note = forms.CharField(label="检查情况", max_length=300)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_check(request, pk: int):
    actor = request.user
    commitment = assessment_selectors.commitments_visible(actor=actor).filter(pk=pk).first()
    if commitment is None:
        raise NotFound()
    require(actor, Capability.ASSESS)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_services.commitment_check(actor=actor, commitment=commitment, kept=form.cleaned_data["kept"],
                                                 note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已记录检查结果")
            return redirect(f"{reverse('desk:campaign_assessment', args=[commitment.unit_id])}?year={commitment.year}")
    return _form_page(request, form, title=f"{commitment.unit.name}:{commitment.text}",
                      back="desk:campaign_assessments")


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("inspection", "巡察"), ("audit", "审计")])
    title = forms.CharField(label="名称", max_length=160)
    units = forms.MultipleChoiceField(label="对象单位", widget=forms.SelectMultiple(attrs={"size": 8}))
    started_on = forms.DateField(label="开始日期", widget=DATE_WIDGET)
    ended_on = forms.DateField(label="结束日期", widget=DATE_WIDGET, required=False)
    is_special = forms.BooleanField(label="专项巡察/审计", required=False)
    reason = forms.CharField(label="立项理由（专项必填）", max_length=300, required=False)

    def __init__(self, *args, actor, **kwargs):
        from sunshine.org.choices import UnitKind
        from sunshine.org.selectors import unit_list_visible_to

        super().__init__(*args, **kwargs)
        units = unit_list_visible_to(actor=actor).filter(kind__in=[UnitKind.TOWNSHIP_GOV, UnitKind.MEMBER_UNIT,
                                                                   UnitKind.DEPARTMENT])
        self.fields["units"].choices = [(str(u.pk), u.name) for u in units.order_by("kind", "name")]


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    from sunshine.org.choices import RegionLevel as Level
    from sunshine.org.models import Region
    from sunshine.org.selectors import unit_get_for
    from sunshine.oversight.services import inspections as inspection_services

    actor = request.user
    require(actor, Capability.INSPECT)
    form = InspectionForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            units = [unit_get_for(actor=actor, pk=int(pk)) for pk in d["units"]]
            townships = {u.territory for u in units if u.territory_id and u.territory.level == Level.TOWNSHIP}
            region = townships.pop() if len(townships) == 1 and all(u.territory_id for u in units) else \
                Region.objects.get(level=Level.CITY)
            inspection = inspection_services.inspection_create(
                actor=actor, kind=d["kind"], title=d["title"], region=region, started_on=d["started_on"],
                ended_on=d["ended_on"], is_special=d["is_special"], reason=d["reason"], units=units)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已登记")
            return redirect("desk:campaign_inspection", pk=inspection.pk)
    return _form_page(request, form, title="登记巡察、审计", back="desk:campaign_inspections")


class FindingForm(forms.Form):
    unit = forms.ChoiceField(label="责任单位")
    text = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label="涉及金额（元）", max_digits=14, decimal_places=2, min_value=0, required=False)
    deadline = forms.DateField(label="整改期限", widget=DATE_WIDGET)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(str(t.unit_id), t.unit.name) for t in targets if t.unit_id]


@login_required
@require_http_methods(["GET", "POST"])
def inspection_finding_new(request, pk: int):
    from sunshine.org.selectors import unit_get_for
    from sunshine.oversight.services import inspections as inspection_services

    actor = request.user
    inspection = inspection_selectors.inspection_get_for(actor=actor, pk=pk)
    require(actor, Capability.INSPECT)
    form = FindingForm(request.POST or None, targets=list(inspection_selectors.inspection_targets(
        inspection=inspection)))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inspection_services.inspection_finding_add(
                actor=actor, inspection=inspection, unit=unit_get_for(actor=actor, pk=int(d["unit"])),
                text=d["text"], deadline=d["deadline"], amount=d["amount"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "问题已登记并转为整改事项")
            return redirect("desk:campaign_inspection", pk=inspection.pk)
    return _form_page(request, form, title=f"{inspection.title}：发现问题", back="desk:campaign_inspections",
                      note="登记后即成为责任单位的整改事项，按期限督办、回头看。")


class SessionForm(forms.Form):
    title = forms.CharField(label="班次名称", max_length=120)
    held_on = forms.DateField(label="培训日期", widget=DATE_WIDGET)
    place = forms.CharField(label="地点", max_length=120, required=False)
    topics = forms.CharField(label="内容", max_length=300, required=False)
    covers_governance = forms.BooleanField(label="含作风问题专项治理内容", required=False, initial=True)


@login_required
@require_http_methods(["GET", "POST"])
def training_session_new(request):
    actor = request.user
    require(actor, Capability.TRAINING)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        plan = training_selectors.training_plans(actor=actor).filter(year=d["held_on"].year).first()
        try:
            session = training_services.training_session_create(
                actor=actor, plan=plan, title=d["title"], held_on=d["held_on"], place=d["place"], topics=d["topics"],
                covers_governance=d["covers_governance"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "班次已登记，可导入签到表")
            return redirect("desk:campaign_training_session", pk=session.pk)
    return _form_page(request, form, title="登记培训班次", back="desk:campaign_trainings")


@login_required
@require_POST
def training_sign_in_names(request, pk: int):
    """Sign people in by hand: one a line, "姓名" or "姓名,手机号/身份证号"; the same all-or-nothing check as a sheet."""
    import csv
    import io

    actor = request.user
    session = training_selectors.session_get_for(actor=actor, pk=pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "手机号", "身份证号"])
    for line in request.POST.get("names", "").splitlines():
        parts = [p.strip() for p in line.replace(",", ",").split(",")]
        if not parts[0]:
            continue
        other = parts[1] if len(parts) > 1 else ""
        writer.writerow([parts[0], other if len(other) == 11 else "", other if len(other) == 18 else ""])
    try:
        added = training_services.attendance_import(actor=actor, session=session, content=out.getvalue().encode(),
                                                    filename="手工录入.csv")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        request.session[f"signin-errors-{pk}"] = exc.extra.get("errors", [])[:200]
    else:
        messages.success(request, f"已签到 {added} 人")
    return redirect("desk:campaign_training_session", pk=pk)


class TrainingPlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="计划名称", max_length=120)
    content = forms.CharField(label="主要内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def training_plan_new(request):
    actor = request.user
    require(actor, Capability.TRAINING)
    form = TrainingPlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = training_services.training_plan_create(actor=actor, year=d["year"], title=d["title"],
                                                          content=d["content"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "培训计划已登记")
            return redirect(f"{reverse('desk:campaign_trainings')}?year={plan.year}")
    return _form_page(request, form, title="登记年度培训计划", back="desk:campaign_trainings")


class GridForm(forms.Form):
    village = forms.ChoiceField(label="村（社区）")
    name = forms.CharField(label="网格名称", max_length=60)
    groups = forms.CharField(label="所含村民小组（名称，用顿号或换行分隔）", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    workers = forms.CharField(label="网格员（姓名，用顿号或换行分隔）", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        villages = region_list_visible_to(actor=actor, level=RegionLevel.VILLAGE).select_related("parent")
        self.fields["village"].choices = [(str(v.pk), f"{v.parent.name}{v.name}") for v in villages.order_by("path")]


def _names(raw: str) -> list[str]:
    for sep in ("、", ",", ",", ";", ";", "\n"):
        raw = raw.replace(sep, " ")
    return list(dict.fromkeys(raw.split()))


@login_required
@require_http_methods(["GET", "POST"])
def grid_new(request):
    from sunshine.org.selectors import person_list_visible_to

    actor = request.user
    require(actor, Capability.MECHANISM)
    form = GridForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        village = region_list_visible_to(actor=actor, level=RegionLevel.VILLAGE).get(pk=int(d["village"]))
        group_names = _names(d["groups"])
        groups = list(region_list_visible_to(actor=actor, level=RegionLevel.GROUP).filter(
            parent=village, name__in=group_names))
        missing = [n for n in group_names if n not in {g.name for g in groups}]
        if missing:
            form.add_error("groups", f"{village.name}没有这些村民小组：{'、'.join(missing)}")
        workers = []
        for name in _names(d["workers"]):
            found = list(person_list_visible_to(actor=actor).filter(name=name)[:2])
            if len(found) != 1:
                form.add_error("workers", f"{name}：{'查无此人' if not found else '有重名，请到人员页面核对'}")
            else:
                workers.extend(found)
        if not form.errors:
            try:
                mechanism_services.grid_create(actor=actor, village=village, name=d["name"], groups=groups,
                                               workers=workers)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "网格已登记")
                return redirect("desk:campaign_grids")
    return _form_page(request, form, title="登记网格", back="desk:campaign_grids",
                      note="一个村民小组只能划入一个网格；网格员须已在人员名册中登记。")


class VillageAssessmentForm(forms.Form):
    region = forms.ChoiceField(label="考核范围")
    title = forms.CharField(label="考核评估名称", max_length=120)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    basis_level = forms.ChoiceField(label="部署层级", choices=BasisLevel.choices)
    basis_document = forms.CharField(label="部署文件文号", max_length=80, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(str(r.pk), r.full_name or r.name) for r in _assessment_regions(actor)[:500]]


def _assessment_regions(actor):
    """The actor's regions; a city department without a territory of its own assesses the villages city-wide."""
    from sunshine.org.models import Region

    regions = region_list_visible_to(actor=actor).filter(level__lte=RegionLevel.VILLAGE)
    if not regions.exists():
        regions = Region.objects.filter(level=RegionLevel.CITY)
    return regions.order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def village_assessment_new(request):
    actor = request.user
    require(actor, Capability.DOCUMENT)
    form = VillageAssessmentForm(request.POST or None, actor=actor, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            region = _assessment_regions(actor).get(pk=int(d["region"]))
            record = burden_services.village_assessment_register(
                actor=actor, title=d["title"], year=d["year"], region=region, basis_level=d["basis_level"],
                basis_document=d["basis_document"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if record.status == AssessmentStatus.REFUSED:
                form.add_error(None, f"未予登记（已留存拒绝记录）：{record.refusal_reason}")
            else:
                messages.success(request, "考核评估已登记")
                return redirect("desk:campaign_documents")
    return _form_page(request, form, title="登记村级考核评估", back="desk:campaign_documents",
                      note="除上级确定的考核评估外，成员单位和行业部门均不得单独组织对村的考核评估。")
