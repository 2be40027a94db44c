"""Staff pages of oversight's field work (i13a): visits and quotas, 领办, 整改, 在岗抽查, 约谈, the leading group,
the plan's numbers, supervision cards. Thin views: parse the form, call one service or selector, redirect back."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sunshine.cases import selectors as case_selectors
from sunshine.cases.choices import RecallKind
from sunshine.core import plan as core_plan
from sunshine.core.errors import ApplicationError, CoreErrorCode, NotFound
from sunshine.org.capabilities import has_capability, require
from sunshine.org.choices import PovertyStatus, RegionLevel, UnitKind
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Household, Person, Region, Unit
from sunshine.oversight.capabilities import FieldCapability as Cap
from sunshine.oversight.choices import (
    FindingAction,
    FollowUpOutcome,
    LeadingGroupRole,
    PresenceResult,
    RectificationStatus,
    SourceKind,
    VisitMethod,
)
from sunshine.oversight.selectors import interviews as interview_sel
from sunshine.oversight.selectors import leadership as leadership_sel
from sunshine.oversight.selectors import petitions as petition_sel
from sunshine.oversight.selectors import presence as presence_sel
from sunshine.oversight.selectors import rectifications as rect_sel
from sunshine.oversight.selectors import visits as visit_sel
from sunshine.oversight.selectors._year import year_of
from sunshine.oversight.services import interviews as interview_svc
from sunshine.oversight.services import leadership as leadership_svc
from sunshine.oversight.services import petitions as petition_svc
from sunshine.oversight.services import presence as presence_svc
from sunshine.oversight.services import rectifications as rect_svc
from sunshine.oversight.services.visits import visit_record

from .exports import Listing, choice_label, col, desk_list, shown, yes

T = "desk/oversight_field/"


def _date(value, *, field: str, default: dt.date | None = None) -> dt.date:
    value = (value or "").strip()
    if not value and default is not None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(_("%(field)s须为日期（年-月-日）") % {"field": field},
                               code=CoreErrorCode.INVALID) from None


def _int(value, *, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("请选择%(field)s") % {"field": field}, code=CoreErrorCode.INVALID) from None


def _year(request) -> int:
    return _year_of(request.GET)


def _done(request, exc: ApplicationError | None, ok: str, to: str, *args):
    if exc is None:
        messages.success(request, ok)
    else:
        messages.error(request, str(exc))
    return redirect(to, *args)


def _villages_by_township():
    """Villages grouped by township for a select (every village of the city: anyone may visit any village)."""
    groups: dict[int, tuple[str, list]] = {}
    for v in Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent").order_by("code"):
        groups.setdefault(v.parent_id, (v.parent.name, []))[1].append(v)
    return list(groups.values())


def _home_village(actor):
    unit = actor.unit if actor.unit_id else None
    if unit is not None and unit.territory_id and unit.territory.level == RegionLevel.VILLAGE:
        return unit.territory
    return None


# ---- visits -----------------------------------------------------------------------------------------------------

PAGE_ROWS = 200  # a field page shows this many (300 for 领办 and 整改); the export carries every row


def _year_of(g) -> int:
    value = g.get("year", "")
    today = timezone.localdate()
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year else today.year


@desk_list("visits", title=_lazy("调研督查记录"), page="desk:oversight_visits", columns=[
    col(_lazy("日期"), "visited_on"), col(_lazy("走访人"), "visitor.name"), col(_lazy("村"), "village.full_name"),
    col(_lazy("农户"), "household.head_name"), col(_lazy("方式"), "get_method_display"),
    col(_lazy("同行"), "companions"), col(_lazy("发现问题"), "findings", "text"),
    col(_lazy("已登记为问题线索"), lambda v: yes(v.report_id))])
def visits_query(actor, g) -> Listing:
    year = _year_of(g)
    return Listing(visit_sel.visit_list(actor=actor, year=year), [(_("年度"), str(year))])


@login_required
def visit_list(request):
    actor = request.user
    year = _year(request)
    visits = visits_query(actor, request.GET).rows[:PAGE_ROWS]
    return render(request, T + "visits.html", {"visits": visits, "year": year,
                                               "can_record": has_capability(actor, Cap.VISIT)})


@login_required
def visit_new(request):
    actor = request.user
    require(actor, Cap.VISIT)
    home = _home_village(actor)
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            village = Region.objects.filter(level=RegionLevel.VILLAGE, pk=_int(form.get("village"), field=_("村（社区）"))).first()
            household = None
            if form.get("household"):
                household = Household.objects.filter(pk=_int(form.get("household"), field=_("农户"))).first()
            elif (form.get("household_code") or "").strip():
                household = Household.objects.filter(code=form["household_code"].strip()).first()
                if household is None:
                    raise NotFound(_("未找到该户编号"))
            visitor = None
            if form.get("visitor") and has_capability(actor, Cap.VISIT_FOR_OTHERS):
                visitor = get_visible(Person.objects.all(), actor=actor, pk=_int(form["visitor"], field=_("调研人")))
            number = form.get("problem_type") or ""
            visit = visit_record(actor=actor, village=village, household=household,
                                 visited_on=_date(form.get("visited_on"), field=_("调研日期")),
                                 method=form.get("method", ""), companions=form.get("companions", ""),
                                 findings=form.get("findings", ""), visitor=visitor,
                                 action=form.get("action") or FindingAction.NONE,
                                 problem_type_number=int(number) if number.isdigit() else None)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            text = _("已登记调研督查")
            if visit.report_id:
                text += _("，发现的问题已作为问题线索登记")
            elif form.get("action") == FindingAction.RECTIFICATION:
                text += _("，发现的问题已列入整改事项")
            messages.success(request, text)
            return redirect("desk:oversight_visits")
    households = []
    if home is not None:
        households = Household.objects.filter(village=home).exclude(poverty_status=PovertyStatus.MONITORED) \
            .order_by("code").only("pk", "code", "head_name", "poverty_status")
    from sunshine.org.models import ProblemType

    return render(request, T + "visit_form.html", {
        "form": form, "home": home, "villages": [] if home else _villages_by_township(), "households": households,
        "methods": VisitMethod.choices, "actions": FindingAction.choices,
        "today": timezone.localdate(), "problem_types": ProblemType.objects.order_by("number"),
        "can_enter_report": has_capability(actor, "cases.enter"),
    })


def _quota_words(r) -> str:
    if r.kind == "count":
        return _("已 %(done)s 次，应 %(required)s 次") % {"done": r.done, "required": r.required}
    return _("已走访 %(done)s/%(total)s，应 %(required)s") % {"done": r.done, "total": r.quota, "required": r.required}


@desk_list("visit-quotas", title=_lazy("调研督查任务完成情况"), page="desk:oversight_quotas", columns=[
    col(_lazy("姓名"), lambda r: str(r.person)), col(_lazy("单位"), lambda r: str(r.unit)), col(_lazy("职务"), "post"),
    col(_lazy("要求"), "rule"), col(_lazy("完成情况"), _quota_words), col(_lazy("已完成"), "done"),
    col(_lazy("应完成"), "required"), col(_lazy("差"), lambda r: r.short if r.behind else 0),
    col(_lazy("折算"), lambda r: _("任职 %(m)s 个月，折算") % {"m": r.months} if r.pro_rated else ""),
    col(_lazy("未走访"), lambda r: "、".join(str(m) for m in (r.missing or [])))])
def quotas_query(actor, g) -> Listing:
    require(actor, Cap.VIEW)
    year = _year_of(g)
    behind_only = g.get("all") != "1"
    return Listing(visit_sel.visit_quotas(actor=actor, year=year, behind_only=behind_only),
                   shown([(_("年度"), str(year)), (_("仅未完成"), yes(behind_only))]))


def _leader_columns():
    return [col(_lazy("姓名"), lambda r: str(r.person)), col(_lazy("职务"), "post"), col(_lazy("已领办"), "taken"),
            col(_lazy("应领办"), "required"), col(_lazy("差"), lambda r: r.short if r.behind else 0),
            col(_lazy("任职月数"), "months")]


@desk_list("petition-quotas", title=_lazy("市领导领办信访件"), page="desk:oversight_petitions",
           columns=_leader_columns())
def petition_quotas_query(actor, g) -> Listing:
    require(actor, Cap.VIEW)
    year = _year_of(g)
    return Listing(petition_sel.petition_quotas(actor=actor, year=year), [(_("年度"), str(year))])


@login_required
def quotas(request):
    actor = request.user
    year = _year(request)
    behind_only = request.GET.get("all") != "1"
    rows = quotas_query(actor, request.GET).rows
    leaders = petition_quotas_query(actor, request.GET).rows
    return render(request, T + "quotas.html", {"rows": rows, "leaders": leaders, "year": year,
                                               "behind_only": behind_only,
                                               "as_of": year_of(year).as_of})


# ---- 领办 ----------------------------------------------------------------------------------------------------------

@desk_list("petitions", title=_lazy("市领导领办案件"), page="desk:oversight_petitions", columns=[
    col(_lazy("案件"), "case.number"), col(_lazy("领办领导"), "leader.name"), col(_lazy("办理阶段"), "case.get_status_display"),
    col(_lazy("实名"), lambda a: yes(a.case.report.is_real_name)),
    col(_lazy("待与举报人见面"), lambda a: yes(petition_sel.awaiting_meeting(a)))])
def petitions_query(actor, g) -> Listing:
    require(actor, Cap.VIEW)
    year = _year_of(g)
    return Listing(petition_sel.assignment_list(actor=actor, year=year), [(_("年度"), str(year))])


@login_required
def petitions(request):
    actor = request.user
    year = _year(request)
    assignments = list(petitions_query(actor, request.GET).rows[:300])
    for a in assignments:
        a.waiting = petition_sel.awaiting_meeting(a)
    leader_rows = petition_quotas_query(actor, request.GET).rows
    # A city leader's own page: their row and their cases first.
    mine = [r for r in leader_rows if actor.person_id and r.person_id == actor.person_id]
    if mine:
        leader_rows = mine + [r for r in leader_rows if r not in mine]
        assignments.sort(key=lambda a: a.leader_id != actor.person_id)
    return render(request, T + "petitions.html", {
        "assignments": assignments, "leaders": leader_rows, "year": year, "mine": bool(mine),
        "can_assign": has_capability(actor, Cap.ASSIGN_PETITION),
        "candidates": petition_sel.leader_candidates(on=timezone.localdate())
        if has_capability(actor, Cap.ASSIGN_PETITION) else [],
    })


@login_required
@require_POST
def petition_assign(request):
    actor = request.user
    try:
        number = (request.POST.get("case_number") or "").strip()
        case = case_selectors.case_list_visible_to(actor=actor).filter(number=number).first() if number else None
        if case is None:
            raise NotFound(_("未找到该案件编号"))
        leader = get_visible(Person.objects.all(), actor=actor, pk=_int(request.POST.get("leader"), field=_("市领导")))
        petition_svc.leader_assign(actor=actor, case=case, leader=leader, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_petitions")
    return _done(request, None, _("已交市领导领办"), "desk:oversight_petitions")


@login_required
def petition_detail(request, assignment_id: int):
    actor = request.user
    a = petition_sel.assignment_get_for(actor=actor, pk=assignment_id)
    return render(request, T + "petition.html", {
        "a": a, "instructions": a.instructions.all(), "meetings": a.meetings.all(),
        "refusal": petition_svc.close_guard(a.case),
        "can_instruct": petition_svc.can_instruct(actor=actor, assignment=a),
        "can_meet": has_capability(actor, Cap.MEETING) and (actor.person_id == a.leader_id
                                                             or has_capability(actor, Cap.ASSIGN_PETITION)),
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def petition_instruct(request, assignment_id: int):
    actor = request.user
    a = petition_sel.assignment_get_for(actor=actor, pk=assignment_id)
    try:
        petition_svc.leader_instruct(actor=actor, assignment=a, text=request.POST.get("text", ""))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_petition", a.pk)
    return _done(request, None, _("批示已登记，承办人在案件页可见"), "desk:oversight_petition", a.pk)


@login_required
@require_POST
def petition_meeting(request, assignment_id: int):
    actor = request.user
    a = petition_sel.assignment_get_for(actor=actor, pk=assignment_id)
    form = request.POST
    try:
        petition_svc.meeting_record(actor=actor, assignment=a, met_on=_date(form.get("met_on"), field=_("见面日期")),
                                    place=form.get("place", ""), attendees=form.get("attendees", ""),
                                    summary=form.get("summary", ""))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_petition", a.pk)
    return _done(request, None, _("见面情况已登记"), "desk:oversight_petition", a.pk)


# ---- 整改 ----------------------------------------------------------------------------------------------------------

@desk_list("rectifications", title=_lazy("整改事项"), page="desk:oversight_rectifications", columns=[
    col(_lazy("事项"), "title"), col(_lazy("来源"), "get_source_kind_display"), col(_lazy("责任单位"), "owner_unit.name"),
    col(_lazy("地区"), "region.full_name"), col(_lazy("期限"), "deadline"), col(_lazy("状态"), "get_status_display"),
    col(_lazy("超期"), lambda i: yes(rect_sel.is_overdue(i, today=timezone.localdate()))),
    col(_lazy("重新整改次数"), "reopened_count")])
def rectifications_query(actor, g) -> Listing:
    status = g.get("status", "")
    status = status if status in RectificationStatus.values else ""
    overdue = g.get("overdue") == "1"
    return Listing(rect_sel.rectification_list(actor=actor, status=status, overdue=overdue),
                   shown([(_("状态"), choice_label(RectificationStatus.choices, status)), (_("仅超期"), yes(overdue))]))


@login_required
def rectifications(request):
    actor = request.user
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    items = list(rectifications_query(actor, request.GET).rows[:300])
    today = timezone.localdate()
    for i in items:
        i.overdue = rect_sel.is_overdue(i, today=today)
    return render(request, T + "rectifications.html", {
        "items": items, "status": status, "overdue": overdue, "statuses": RectificationStatus.choices,
        "can_create": has_capability(actor, Cap.RECTIFY), "sources": SourceKind.choices,
        "units": Unit.objects.exclude(kind=UnitKind.WORK_TEAM).order_by("kind", "name")
        if has_capability(actor, Cap.RECTIFY) else [],
        "today": today,
    })


@login_required
@require_POST
def rectification_new(request):
    actor = request.user
    form = request.POST
    try:
        owner = Unit.objects.filter(pk=_int(form.get("owner_unit"), field=_("责任单位"))).first()
        source_id = form.get("source_id", "")
        rect_svc.rectification_create(actor=actor, source_kind=form.get("source_kind", ""),
                                      source_id=int(source_id) if source_id.isdigit() else None,
                                      title=form.get("title", ""), description=form.get("description", ""),
                                      owner_unit=owner, deadline=_date(form.get("deadline"), field=_("整改期限")))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_rectifications")
    return _done(request, None, _("已列入整改事项"), "desk:oversight_rectifications")


@login_required
def rectification_detail(request, item_id: int):
    actor = request.user
    item = rect_sel.rectification_get_for(actor=actor, pk=item_id)
    return render(request, T + "rectification.html", {
        "item": item, "follow_ups": item.follow_ups.all(), "alerts": item.alerts.all(),
        "overdue": rect_sel.is_overdue(item), "outcomes": FollowUpOutcome.choices,
        "can_done": item.status == RectificationStatus.OPEN and rect_svc.can_report_done(actor=actor, item=item),
        "can_follow": item.status == RectificationStatus.DONE and has_capability(actor, Cap.FOLLOW_UP),
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def rectification_done(request, item_id: int):
    actor = request.user
    item = rect_sel.rectification_get_for(actor=actor, pk=item_id)
    try:
        rect_svc.rectification_report_done(actor=actor, item=item, evidence=request.POST.get("evidence", ""))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_rectification", item.pk)
    return _done(request, None, _("已报告整改完成，待回头看"), "desk:oversight_rectification", item.pk)


@login_required
@require_POST
def rectification_follow_up(request, item_id: int):
    actor = request.user
    item = rect_sel.rectification_get_for(actor=actor, pk=item_id)
    form = request.POST
    try:
        new_deadline = _date(form.get("new_deadline"), field=_("新的整改期限")) if form.get("new_deadline") else None
        rect_svc.rectification_follow_up(actor=actor, item=item, outcome=form.get("outcome", ""),
                                         note=form.get("note", ""), new_deadline=new_deadline)
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_rectification", item.pk)
    return _done(request, None, _("回头看已登记"), "desk:oversight_rectification", item.pk)


# ---- 在岗抽查 ------------------------------------------------------------------------------------------------------

@desk_list("presence", title=_lazy("在岗抽查"), page="desk:oversight_presence", columns=[
    col(_lazy("姓名"), lambda r: str(r.person)), col(_lazy("职务"), "post"), col(_lazy("单位"), lambda r: str(r.unit)),
    col(_lazy("抽查次数"), "checks"), col(_lazy("不在岗次数"), "absences"),
    col(_lazy("挂名/走读"), lambda r: yes(r.paper_only)), col(_lazy("结果"), lambda r: "、".join(map(str, r.results or [])))])
def presence_query(actor, g) -> Listing:
    year = _year_of(g)
    flagged_only = g.get("all") != "1"
    return Listing(presence_sel.presence_overview(actor=actor, year=year, flagged_only=flagged_only),
                   shown([(_("年度"), str(year)), (_("仅需关注的人员"), yes(flagged_only))]))


@login_required
def presence(request):
    actor = request.user
    year = _year(request)
    today = timezone.localdate()
    rows = presence_query(actor, request.GET).rows
    can_check = has_capability(actor, Cap.PRESENCE)
    return render(request, T + "presence.html", {
        "rows": rows, "year": year, "all": request.GET.get("all") == "1", "results": PresenceResult.choices,
        "can_check": can_check, "today": today,
        "positions": presence_sel.checkable_positions(actor=actor, as_of=today) if can_check else [],
        "villages": visible(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor).order_by("code")
        if can_check else [],
        "checks": presence_sel.check_list(actor=actor, year=year)[:50], "recall_kinds": RecallKind.choices,
    })


@login_required
@require_POST
def presence_new(request):
    actor = request.user
    form = request.POST
    try:
        checked_on = _date(form.get("checked_on"), field=_("抽查日期"), default=timezone.localdate())
        position = presence_sel.position_get_for_check(actor=actor, pk=_int(form.get("position"), field=_("人员")),
                                                       as_of=checked_on)
        village = get_visible(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor,
                              pk=_int(form.get("village"), field=_("村")))
        presence_svc.presence_check_record(actor=actor, position=position, village=village, checked_on=checked_on,
                                           result=form.get("result", ""), note=form.get("note", ""))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_presence")
    return _done(request, None, _("在岗抽查已登记"), "desk:oversight_presence")


# ---- 约谈 ----------------------------------------------------------------------------------------------------------

@desk_list("interview-units", title=_lazy("成员单位问题线索查处情况"), page="desk:oversight_interviews", columns=[
    col(_lazy("成员单位"), lambda r: str(r.unit)), col(_lazy("问题"), "problems"), col(_lazy("线索"), "clues"),
    col(_lazy("查处"), "cases"), col(_lazy("约谈对象"), lambda r: yes(r.zero)), col(_lazy("已约谈"), lambda r: yes(r.interviews))])
def interview_units_query(actor, g) -> Listing:
    year = _year_of(g)
    return Listing(interview_sel.unit_records(actor=actor, year=year), [(_("年度"), str(year))])


@desk_list("interviews", title=_lazy("约谈记录"), page="desk:oversight_interviews", columns=[
    col(_lazy("约谈日期"), "held_on"), col(_lazy("成员单位"), "unit.name"), col(_lazy("约谈人"), "interviewer"),
    col(_lazy("参加人"), "attendees"), col(_lazy("结果"), "outcome", "text")])
def interviews_query(actor, g) -> Listing:
    year = _year_of(g)
    return Listing(interview_sel.interview_list(actor=actor, year=year), [(_("年度"), str(year))])


@login_required
def interviews(request):
    actor = request.user
    year = _year(request)
    records = interview_units_query(actor, request.GET).rows
    return render(request, T + "interviews.html", {
        "year": year, "candidates": [r for r in records if r.zero], "records": records,
        "held": interviews_query(actor, request.GET).rows,
        "can_record": has_capability(actor, Cap.INTERVIEW), "today": timezone.localdate(),
        "show_all": request.GET.get("all") == "1",
    })


@login_required
@require_POST
def interview_new(request):
    actor = request.user
    form = request.POST
    try:
        unit = interview_sel.member_unit_get(actor=actor, pk=_int(form.get("unit"), field=_("单位")))
        interview_svc.interview_record(actor=actor, unit=unit, year=_int(form.get("year"), field=_("年度")),
                                       held_on=_date(form.get("held_on"), field=_("约谈日期"),
                                                     default=timezone.localdate()),
                                       interviewer=form.get("interviewer", ""), attendees=form.get("attendees", ""),
                                       outcome=form.get("outcome", ""))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_interviews")
    return _done(request, None, _("约谈已登记"), "desk:oversight_interviews")


# ---- the leading group, the plan's numbers --------------------------------------------------------------------

@desk_list("leading-group", title=_lazy("领导小组成员"), page="desk:oversight_leading_group", columns=[
    col(_lazy("职务"), "get_role_display"), col(_lazy("姓名或单位"), lambda m: m.person.name if m.person_id else m.unit.name),
    col(_lazy("职务名称"), "title"), col(_lazy("起始日期"), "start_date"), col(_lazy("终止日期"), "end_date")])
def leading_group_query(actor, g) -> Listing:
    """The current members, then the past ones (the page's two lists)."""
    current = list(leadership_sel.leading_group(actor=actor))
    past = list(leadership_sel.leading_group(actor=actor, current=False))
    return Listing(current + past, context={"current": current, "past": past})


@login_required
def leading_group(request):
    actor = request.user
    can_edit = has_capability(actor, Cap.LEADING_GROUP)
    listing = leading_group_query(actor, request.GET)
    return render(request, T + "leading_group.html", {
        "current": listing.context["current"], "past": listing.context["past"],
        "can_edit": can_edit, "roles": LeadingGroupRole.choices, "today": timezone.localdate(),
        "units": Unit.objects.filter(member_order__isnull=False).order_by("member_order") if can_edit else [],
    })


@login_required
@require_POST
def leading_group_add(request):
    actor = request.user
    form = request.POST
    try:
        person = unit = None
        if form.get("role") == LeadingGroupRole.MEMBER_UNIT:
            unit = Unit.objects.filter(pk=_int(form.get("unit"), field=_("成员单位"))).first()
        else:
            name = (form.get("person_name") or "").strip()
            person = Person.objects.filter(name=name).order_by("pk").first() if name else None
            if person is None:
                raise NotFound(_("未找到该人员：请输入系统中登记的姓名"))
        leadership_svc.leading_group_add(actor=actor, role=form.get("role", ""), person=person, unit=unit,
                                         title=form.get("title", ""),
                                         start_date=_date(form.get("start_date"), field=_("起始日期")))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_leading_group")
    return _done(request, None, _("已登记"), "desk:oversight_leading_group")


@login_required
@require_POST
def leading_group_end(request, member_id: int):
    from sunshine.oversight.models import LeadingGroupMember

    actor = request.user
    try:
        member = LeadingGroupMember.objects.filter(pk=member_id).first()
        if member is None:
            raise NotFound()
        leadership_svc.leading_group_end(actor=actor, member=member,
                                         end_date=_date(request.POST.get("end_date"), field=_("终止日期")))
    except ApplicationError as exc:
        return _done(request, exc, "", "desk:oversight_leading_group")
    return _done(request, None, _("已登记离任"), "desk:oversight_leading_group")


@login_required
def plan_values(request):
    """The office sees and sets the plan's numbers for a year (every app's, from core.plan)."""
    actor = request.user
    require(actor, Cap.PLAN)
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "") if request.method == "GET" else request.POST.get("year", "")
    year = int(raw) if raw.isdigit() and 2020 <= int(raw) <= this_year + 1 else this_year
    if request.method == "POST":
        try:
            for param in core_plan.plan_params():
                value = (request.POST.get(param.key) or "").strip()
                if value and value != str(core_plan.plan_value(param, year=year)):
                    core_plan.plan_value_set(actor=actor, year=year, param=param, value=value)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(year)d年度的工作方案参数已保存") % {"year": year})
        return redirect(f"{request.path}?year={year}")
    values = core_plan.plan_values(year=year)
    params = [(p, values[p.key]) for p in core_plan.plan_params()]
    return render(request, T + "plan.html", {"params": params, "year": year,
                                             "years": range(timezone.localdate().year + 1, 2019, -1)})


# ---- 监督卡 --------------------------------------------------------------------------------------------------------

@desk_list("card-villages", title=_lazy("可打印监督卡的村"), page="desk:oversight_cards", columns=[
    col(_lazy("乡镇"), "parent.name"), col(_lazy("村"), "name"), col(_lazy("区划代码"), "code")])
def cards_query(actor, g) -> Listing:
    require(actor, Cap.CARDS)
    villages = visible(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor).select_related("parent")
    return Listing(villages.order_by("code"))


@login_required
def cards(request):
    return render(request, T + "cards.html", {"villages": cards_query(request.user, request.GET).rows[:500]})


@login_required
def cards_pdf(request, village_id: int):
    from sunshine.oversight.cards import supervision_cards_pdf

    actor = request.user
    require(actor, Cap.CARDS)
    village = get_visible(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor, pk=village_id)
    pdf = supervision_cards_pdf(village=village, actor=actor)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="supervision-cards-{village.code}.pdf"'
    return response


# ---- 召回 citing presence checks (三(三)2) -----------------------------------------------------------------------

@login_required
def presence_recall(request, case_id: int):
    """The recall candidates of a concluded case with their presence checks; recall one, citing the checks."""
    from sunshine.cases.capabilities import Capability as CaseCapability
    from sunshine.cases.choices import CONCLUDED_STATUSES
    from sunshine.oversight.models import PresenceCheck

    actor = request.user
    require(actor, CaseCapability.RECALL)
    case = case_selectors.case_get_for(actor=actor, pk=case_id)
    if request.method == "POST":
        form = request.POST
        try:
            position = case_selectors.recall_candidates(case=case, actor=actor).filter(
                pk=_int(form.get("position"), field=_("人员"))).first()
            if position is None:
                raise NotFound(_("未找到该任职"))
            checks = list(PresenceCheck.objects.filter(position=position, pk__in=form.getlist("checks")))
            presence_svc.presence_recall(actor=actor, case=case, position=position, kind=form.get("kind", ""),
                                         reason=form.get("reason", ""), checks=checks)
        except ApplicationError as exc:
            return _done(request, exc, "", "desk:oversight_presence_recall", case.pk)
        return _done(request, None, _("已召回，召回原因引用了在岗抽查记录"), "desk:case", case.pk)
    candidates = []
    if case.status in CONCLUDED_STATUSES:
        positions = list(case_selectors.recall_candidates(case=case, actor=actor))
        checks: dict[int, list] = {}
        for c in PresenceCheck.objects.filter(position__in=positions).order_by("-checked_on"):
            checks.setdefault(c.position_id, []).append(c)
        candidates = [(p, checks.get(p.pk, [])) for p in positions]
    return render(request, T + "presence_recall.html", {"case": case, "candidates": candidates,
                                                        "recall_kinds": RecallKind.choices,
                                                        "concluded": case.status in CONCLUDED_STATUSES})
