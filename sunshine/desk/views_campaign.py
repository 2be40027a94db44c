"""Staff pages of the campaign registers (i13b): less burden on villages, training, inspections and audits, lasting
mechanisms, the annual assessment. Views parse and present; scoping is inside the oversight selectors."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.core.errors import ApplicationError, CoreErrorCode, NotFound
from sunshine.org.capabilities import has_capability, require
from sunshine.org.choices import RegionLevel
from sunshine.org.selectors import region_list_visible_to
from sunshine.oversight.capabilities import Capability
from sunshine.oversight.choices_i13b import AssessedKind, AssessmentStatus, DataRequestStatus
from sunshine.oversight.selectors import assessments as assessment_selectors
from sunshine.oversight.selectors import burden as burden_selectors
from sunshine.oversight.selectors import inspections as inspection_selectors
from sunshine.oversight.selectors import mechanisms as mechanism_selectors
from sunshine.oversight.selectors import training as training_selectors
from sunshine.oversight.services import assessments as assessment_services
from sunshine.oversight.services import burden as burden_services
from sunshine.oversight.services import mechanisms as mechanism_services
from sunshine.oversight.services import training as training_services

from . import forms_campaign as forms
from .exports import Listing, choice_label, col, desk_list, shown, yes
from .formflow import form_submit

PAGE_SIZE = 30


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
    form = forms.DataRequestForm(request.POST or None, actor=actor) if can_register else None
    refused = []

    def save(d):
        region = region_list_visible_to(actor=actor).get(pk=int(d["region"]))
        record = burden_services.data_request_register(
            actor=actor, region=region, kind=d["kind"], title=d["title"],
            fields=d["fields"].splitlines(), purpose=d["purpose"], deadline=d["deadline"])
        if record.status == DataRequestStatus.REFUSED:
            refused.append(record)  # kept as a refusal; the page shows the rule it broke
            raise ApplicationError(_("未予登记，已留存拒绝记录，原因见上方"), code=CoreErrorCode.INVALID)
        return record

    if request.method == "POST":
        require(actor, Capability.DATA_REQUEST)
    done = form_submit(request, form, save, done=_("已登记"), to="desk:campaign_data_requests")
    if done is not None:
        return done
    qs = data_requests_query(actor, request.GET).rows
    return _render(request, "data_requests", {"page": _page(request, qs), "form": form,
                                              "refused": refused[0] if refused else None,
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
    return _("%(project)s（%(days)s 天）") % {"project": s.project.name, "days": s.total} if s else ""


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

@desk_list("training-coverage", title=_lazy("扶贫干部培训覆盖（按类别）"), page="desk:campaign_trainings", columns=[
    col(_lazy("类别"), lambda r: r[0]), col(_lazy("人数"), lambda r: r[1]), col(_lazy("已培训"), lambda r: r[2])])
def training_coverage_query(actor, g) -> Listing:
    coverage = training_selectors.training_coverage(actor=actor, year=_year_of(g))
    return Listing(coverage.by_category(), _year_filter(g), context={"coverage": coverage})


@desk_list("never-trained", title=_lazy("本年度未参加培训的人员"), page="desk:campaign_trainings", columns=[
    col(_lazy("姓名"), "person.name"), col(_lazy("单位"), "person.unit.name"),
    col(_lazy("类别"), lambda c: "、".join(map(str, c.categories)))])
def never_trained_query(actor, g, coverage=None) -> Listing:
    """`coverage`: the page has already read it for the by-category table (the same reading, not a second one)."""
    if coverage is None:
        coverage = training_coverage_query(actor, g).context["coverage"]
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
    coverage = training_coverage_query(actor, request.GET).context["coverage"]
    never = never_trained_query(actor, request.GET, coverage=coverage)
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
        messages.error(request, _("请选择签到表文件"))
    elif upload.size > 5 * 1024 * 1024:
        messages.error(request, _("签到表不能超过 5 MB"))
    else:
        try:
            added = training_services.attendance_import(actor=actor, session=session, content=upload.read(),
                                                        filename=upload.name)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            request.session[f"signin-errors-{pk}"] = exc.extra.get("errors", [])[:200]
        else:
            messages.success(request, _("已导入 %(count)s 人签到") % {"count": added})
    return redirect("desk:campaign_training_session", pk=pk)


# ---- inspections and audits (三(三)2) --------------------------------------------------------------------------

@desk_list("inspections", title=_lazy("巡察审计登记"), page="desk:campaign_inspections", columns=[
    col(_lazy("名称"), "title"), col(_lazy("类别"), "get_kind_display"), col(_lazy("专项"), lambda i: yes(i.is_special)),
    col(_lazy("组织单位"), "conducted_by.name"), col(_lazy("地区"), "region.name"), col(_lazy("开始日期"), "started_on"),
    col(_lazy("对象数"), "target_count"), col(_lazy("发现问题数"), "finding_count")])
def inspections_query(actor, g) -> Listing:
    return Listing(inspection_selectors.inspections_visible(actor=actor))


def _coverage_figures(c) -> list[tuple[str, str]]:
    """The page's three figures, written on top of the sheet above the uncovered projects."""
    return [(_("扶贫项目已覆盖"), f"{c.projects_covered}/{c.projects_total}"),
            (_("资金分配已覆盖"), f"{c.allocations_covered}/{c.allocations_total}"),
            (_("已覆盖资金"), str(c.money_covered))]


@desk_list("inspection-coverage", title=_lazy("巡察审计未覆盖的项目"), page="desk:campaign_inspections", columns=[
    col(_lazy("乡镇"), "village.parent.name"), col(_lazy("村"), "village.name"), col(_lazy("项目"), "name"),
    col(_lazy("预算"), "budget")])
def inspection_coverage_query(actor, g) -> Listing:
    coverage = inspection_selectors.inspection_coverage(actor=actor)
    return Listing(coverage.uncovered_projects, _coverage_figures(coverage), context={"coverage": coverage})


@desk_list("inspection-proposals", title=_lazy("建议开展专项巡察、专项审计"), page="desk:campaign_inspections",
           columns=[col(_lazy("名称"), "name"), col(_lazy("类别"), "kind"),
                    col(_lazy("已安排专项"), lambda p: yes(p.already_special)),
                    col(_lazy("列入依据"), lambda p: "；".join(map(str, p.reasons)))])
def inspection_proposals_query(actor, g) -> Listing:
    return Listing(inspection_selectors.special_proposals(actor=actor, year=_year_of(g)), _year_filter(g))


@login_required
def inspections(request):
    actor = request.user
    year = _year(request)
    return _render(request, "inspections", {
        "year": year, "page": _page(request, inspections_query(actor, request.GET).rows),
        "coverage": inspection_coverage_query(actor, request.GET).context["coverage"],
        "proposals": inspection_proposals_query(actor, request.GET).rows})


def _inspection_of(actor, g):
    """The inspection `g["inspection"]` (the detail page's path names it; its export links carry it)."""
    raw = str(g.get("inspection", ""))
    if not raw.isdigit():
        raise NotFound()
    return inspection_selectors.inspection_get_for(actor=actor, pk=int(raw))


def _target_label(t) -> str:
    if t.unit_id:
        return _("单位：%(name)s") % {"name": t.unit.name}
    if t.project_id:
        return _("项目：%(village)s %(name)s") % {"village": t.project.village.name, "name": t.project.name}
    return _("资金：%(allocation)s") % {"allocation": t.allocation}


def _inspection_filter(inspection) -> list[tuple[str, str]]:
    return [(_("巡察审计"), f"{inspection.title} {inspection.started_on:%Y-%m-%d}")]


@desk_list("inspection-targets", title=_lazy("巡察审计对象"), page="desk:campaign_inspections", columns=[
    col(_lazy("对象"), _target_label)])
def inspection_targets_query(actor, g) -> Listing:
    inspection = _inspection_of(actor, g)
    return Listing(inspection_selectors.inspection_targets(inspection=inspection), _inspection_filter(inspection),
                   context={"inspection": inspection})


# A finding's text is free text: a number quoted in it is masked like any personal number ("text").
@desk_list("inspection-findings", title=_lazy("巡察审计发现的问题"), page="desk:campaign_inspections", columns=[
    col(_lazy("单位"), "unit.name"), col(_lazy("状态"), "get_status_display"), col(_lazy("金额"), "amount"),
    col(_lazy("问题"), "text", kind="text"), col(_lazy("整改事项"), lambda f: yes(f.rectification_id))])
def inspection_findings_query(actor, g) -> Listing:
    inspection = _inspection_of(actor, g)
    return Listing(inspection_selectors.inspection_findings(inspection=inspection), _inspection_filter(inspection),
                   context={"inspection": inspection})


@login_required
def inspection_detail(request, pk: int):
    targets = inspection_targets_query(request.user, {"inspection": str(pk)})
    inspection = targets.context["inspection"]
    return _render(request, "inspection_detail", {
        "inspection": inspection, "targets": targets.rows,
        "findings": inspection_findings_query(request.user, {"inspection": str(pk)}).rows})


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


@desk_list("micro-power-items", title=_lazy("村级小微权力清单事项"), page="desk:campaign_micro_powers", columns=[
    col(_lazy("序号"), "order"), col(_lazy("事项"), "title"), col(_lazy("类别"), "category"),
    col(_lazy("责任岗位"), "responsible_post"), col(_lazy("依据"), "basis"),
    col(_lazy("流程"), lambda i: " → ".join(f"{s.name}（{s.responsible_post}）" for s in i.steps.all())),
    col(_lazy("已公开"), lambda i: yes(i.is_published))])
def micro_power_items_query(actor, g) -> Listing:
    """One village's list (`g["village"]`: the page's path names it; its export link carries it)."""
    raw = str(g.get("village", ""))
    if not raw.isdigit():
        raise NotFound()
    village, items = mechanism_selectors.micro_powers_of_village(actor=actor, village_id=int(raw))
    return Listing(items, [(_("村"), f"{village.parent.name if village.parent else ''} {village.name}".strip())],
                   context={"village": village})


@login_required
def micro_power_village(request, village_id: int):
    listing = micro_power_items_query(request.user, {"village": str(village_id)})
    return _render(request, "micro_power_village", {"village": listing.context["village"], "items": listing.rows})


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


@desk_list("dept-tasks-overdue", title=_lazy("已过完成时限仍未完成的行业任务"), page="desk:campaign_tasks", columns=[
    col(_lazy("单位"), "unit.name"), col(_lazy("任务"), "title"), col(_lazy("已完成"), "completed"),
    col(_lazy("目标"), "target"), col(_lazy("计量"), "measure"), col(_lazy("时限"), "due_on"),
    col(_lazy("说明"), "note")])
def dept_tasks_overdue_query(actor, g) -> Listing:
    """After the year's end its unfinished tasks (the accountability list), before it those past their deadline."""
    ended, unfinished = mechanism_selectors.dept_tasks_unfinished(actor=actor, year=_year_of(g))
    return Listing(unfinished, _year_filter(g), context={"ended": ended})


@login_required
def tasks(request):
    actor = request.user
    year = _year(request)
    overdue = dept_tasks_overdue_query(actor, request.GET)
    ended, unfinished = overdue.context["ended"], overdue.rows
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


# ---- forms (each a thin wrapper around one service; the forms are in forms_campaign) -------------------------

def _form_page(request, form, *, title: str, back: str, note: str = ""):
    return _render(request, "form", {"form": form, "title": title, "back": back, "note": note})


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request):
    actor = request.user
    require(actor, Capability.DOCUMENT)
    form = forms.DocumentForm(request.POST or None, actor=actor)

    def save(d):
        forwards = burden_selectors.document_get_for(actor=actor, pk=int(d["forwards"])) if d["forwards"] else None
        return burden_services.document_register(actor=actor, number=d["number"], title=d["title"],
                                                 issued_on=d["issued_on"], forwards=forwards,
                                                 forwards_number=d["forwards_number"],
                                                 has_measures=d["has_measures"])

    return (form_submit(request, form, save, done=_("发文已登记"), to="desk:campaign_documents")
            or _form_page(request, form, title=_("登记发文"), back="desk:campaign_documents",
                          note=_("转发上级文件而未出台具体措施的，将标为“层层转发”。")))


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request):
    actor = request.user
    require(actor, Capability.TASKS)
    form = forms.TaskForm(request.POST or None, initial={"year": timezone.localdate().year})

    def save(d):
        return mechanism_services.dept_task_create(actor=actor, year=d["year"], title=d["title"], target=d["target"],
                                                   due_on=d["due_on"], measure=d["measure"])

    return (form_submit(request, form, save, done=_("任务已登记"), to="desk:campaign_tasks")
            or _form_page(request, form, title=_("登记年度扶贫任务"), back="desk:campaign_tasks"))


@login_required
@require_http_methods(["GET", "POST"])
def task_progress(request, pk: int):
    actor = request.user
    task = mechanism_selectors.dept_task_get_for(actor=actor, pk=pk)
    require(actor, Capability.TASKS)
    form = forms.ProgressForm(request.POST or None, initial={"completed": task.completed, "note": task.note})

    def save(d):
        return mechanism_services.dept_task_progress(actor=actor, task=task, completed=d["completed"], note=d["note"])

    title = _("%(task)s（目标 %(target)s %(measure)s）") % {"task": task.title, "target": f"{task.target:g}",
                                                          "measure": task.measure}
    return (form_submit(request, form, save, done=_("进展已记录"), to="desk:campaign_tasks")
            or _form_page(request, form, title=title, back="desk:campaign_tasks"))


@login_required
@require_http_methods(["GET", "POST"])
def micro_power_new(request, village_id: int):
    actor = request.user
    require(actor, Capability.MECHANISM)
    village, __ = mechanism_selectors.micro_powers_of_village(actor=actor, village_id=village_id)
    form = forms.MicroPowerForm(request.POST or None)

    def save(d):
        return mechanism_services.micro_power_add(actor=actor, village=village, category=d["category"],
                                                  title=d["title"], responsible_post=d["responsible_post"],
                                                  basis=d["basis"], steps=d["steps"])

    return (form_submit(request, form, save, done=_("已加入清单并在村公开页面公开"),
                        to=lambda item: reverse("desk:campaign_micro_power_village", args=[village.pk]))
            or _form_page(request, form, title=_("%(village)s：添加小微权力事项") % {"village": village.name},
                          back="desk:campaign_micro_powers"))


@login_required
@require_http_methods(["GET", "POST"])
def weak_org_new(request):
    actor = request.user
    require(actor, Capability.WEAK_ORG)
    form = forms.WeakOrgForm(request.POST or None, actor=actor, initial={"year": timezone.localdate().year})

    def save(d):
        village = region_list_visible_to(actor=actor).get(pk=int(d["village"]))
        return mechanism_services.weak_org_designate(actor=actor, village=village, year=d["year"],
                                                     reasons=d["reasons"], designated_on=d["designated_on"])

    return (form_submit(request, form, save, done=_("已认定"), to="desk:campaign_weak_orgs")
            or _form_page(request, form, title=_("认定软弱涣散村党组织"), back="desk:campaign_weak_orgs"))


@login_required
@require_http_methods(["GET", "POST"])
def weak_org_lift(request, pk: int):
    actor = request.user
    weak = mechanism_selectors.weak_org_get_for(actor=actor, pk=pk)
    require(actor, Capability.WEAK_ORG)
    form = forms.LiftForm(request.POST or None, initial={"lifted_on": timezone.localdate()})

    def save(d):
        return mechanism_services.weak_org_lift(actor=actor, weak_org=weak, lifted_on=d["lifted_on"], note=d["note"])

    return (form_submit(request, form, save, done=_("已销号"), to="desk:campaign_weak_orgs")
            or _form_page(request, form, title=_("%(village)s：销号") % {"village": weak.village.name},
                          back="desk:campaign_weak_orgs", note=_("整改事项须全部经回头看销号后，才能销号。")))


@login_required
@require_http_methods(["GET", "POST"])
def commitment_check(request, pk: int):
    actor = request.user
    commitment = assessment_selectors.commitments_visible(actor=actor).filter(pk=pk).first()
    if commitment is None:
        raise NotFound()
    require(actor, Capability.ASSESS)
    form = forms.CheckForm(request.POST or None)

    def save(d):
        return assessment_services.commitment_check(actor=actor, commitment=commitment, kept=d["kept"],
                                                    note=d["note"])

    back = f"{reverse('desk:campaign_assessment', args=[commitment.unit_id])}?year={commitment.year}"
    return (form_submit(request, form, save, done=_("已记录检查结果"), to=back)
            or _form_page(request, form, title=f"{commitment.unit.name}：{commitment.text}",
                          back="desk:campaign_assessments"))


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    from sunshine.org.models import Region
    from sunshine.org.selectors import unit_get_for
    from sunshine.oversight.services import inspections as inspection_services

    actor = request.user
    require(actor, Capability.INSPECT)
    form = forms.InspectionForm(request.POST or None, actor=actor)

    def save(d):
        units = [unit_get_for(actor=actor, pk=int(pk)) for pk in d["units"]]
        townships = {u.territory for u in units if u.territory_id and u.territory.level == RegionLevel.TOWNSHIP}
        region = (townships.pop() if len(townships) == 1 and all(u.territory_id for u in units)
                  else Region.objects.get(level=RegionLevel.CITY))
        return inspection_services.inspection_create(
            actor=actor, kind=d["kind"], title=d["title"], region=region, started_on=d["started_on"],
            ended_on=d["ended_on"], is_special=d["is_special"], reason=d["reason"], units=units)

    return (form_submit(request, form, save, done=_("已登记"),
                        to=lambda inspection: reverse("desk:campaign_inspection", args=[inspection.pk]))
            or _form_page(request, form, title=_("登记巡察、审计"), back="desk:campaign_inspections"))


@login_required
@require_http_methods(["GET", "POST"])
def inspection_finding_new(request, pk: int):
    from sunshine.org.selectors import unit_get_for
    from sunshine.oversight.services import inspections as inspection_services

    actor = request.user
    inspection = inspection_selectors.inspection_get_for(actor=actor, pk=pk)
    require(actor, Capability.INSPECT)
    form = forms.FindingForm(request.POST or None,
                             targets=list(inspection_selectors.inspection_targets(inspection=inspection)))

    def save(d):
        return inspection_services.inspection_finding_add(
            actor=actor, inspection=inspection, unit=unit_get_for(actor=actor, pk=int(d["unit"])),
            text=d["text"], deadline=d["deadline"], amount=d["amount"])

    return (form_submit(request, form, save, done=_("问题已登记并转为整改事项"),
                        to=reverse("desk:campaign_inspection", args=[inspection.pk]))
            or _form_page(request, form, title=_("%(title)s：发现问题") % {"title": inspection.title},
                          back="desk:campaign_inspections", note=_("登记后即成为责任单位的整改事项，按期限督办、回头看。")))


@login_required
@require_http_methods(["GET", "POST"])
def training_session_new(request):
    actor = request.user
    require(actor, Capability.TRAINING)
    form = forms.SessionForm(request.POST or None)

    def save(d):
        plan = training_selectors.training_plans(actor=actor).filter(year=d["held_on"].year).first()
        return training_services.training_session_create(
            actor=actor, plan=plan, title=d["title"], held_on=d["held_on"], place=d["place"], topics=d["topics"],
            covers_governance=d["covers_governance"])

    return (form_submit(request, form, save, done=_("班次已登记，可导入签到表"),
                        to=lambda session: reverse("desk:campaign_training_session", args=[session.pk]))
            or _form_page(request, form, title=_("登记培训班次"), back="desk:campaign_trainings"))


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
        parts = [p.strip() for p in line.replace("\uff0c", ",").split(",")]  # a full-width comma counts too
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
        messages.success(request, _("已签到 %(count)s 人") % {"count": added})
    return redirect("desk:campaign_training_session", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def training_plan_new(request):
    actor = request.user
    require(actor, Capability.TRAINING)
    form = forms.TrainingPlanForm(request.POST or None, initial={"year": timezone.localdate().year})

    def save(d):
        return training_services.training_plan_create(actor=actor, year=d["year"], title=d["title"],
                                                      content=d["content"])

    return (form_submit(request, form, save, done=_("培训计划已登记"),
                        to=lambda plan: f"{reverse('desk:campaign_trainings')}?year={plan.year}")
            or _form_page(request, form, title=_("登记年度培训计划"), back="desk:campaign_trainings"))


@login_required
@require_http_methods(["GET", "POST"])
def grid_new(request):
    actor = request.user
    require(actor, Capability.MECHANISM)
    form = forms.GridForm(request.POST or None, actor=actor)

    def save(d):
        return mechanism_services.grid_create(actor=actor, village=d["village"], name=d["name"], groups=d["groups"],
                                              workers=d["workers"])

    return (form_submit(request, form, save, done=_("网格已登记"), to="desk:campaign_grids")
            or _form_page(request, form, title=_("登记网格"), back="desk:campaign_grids",
                          note=_("一个村民小组只能划入一个网格；网格员须已在人员名册中登记。")))


@login_required
@require_http_methods(["GET", "POST"])
def village_assessment_new(request):
    actor = request.user
    require(actor, Capability.DOCUMENT)
    form = forms.VillageAssessmentForm(request.POST or None, actor=actor, initial={"year": timezone.localdate().year})

    def save(d):
        region = forms.assessment_regions(actor).get(pk=int(d["region"]))
        record = burden_services.village_assessment_register(
            actor=actor, title=d["title"], year=d["year"], region=region, basis_level=d["basis_level"],
            basis_document=d["basis_document"])
        if record.status == AssessmentStatus.REFUSED:
            # The refusal itself is kept (the service wrote it); the page says why, as for any refusal.
            raise ApplicationError(_("未予登记（已留存拒绝记录）：%(reason)s") % {"reason": record.refusal_reason},
                                   code=CoreErrorCode.INVALID)
        return record

    return (form_submit(request, form, save, done=_("考核评估已登记"), to="desk:campaign_documents")
            or _form_page(request, form, title=_("登记村级考核评估"), back="desk:campaign_documents",
                          note=_("除上级确定的考核评估外，成员单位和行业部门均不得单独组织对村的考核评估。")))
