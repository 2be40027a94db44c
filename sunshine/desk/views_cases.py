"""Staff pages of the report desk (三(三)): queue, case page and its actions, desk entry, governance office views.

Thin views: they parse the form, call one service or selector, and redirect back with the outcome. Every case is
fetched through selectors.case_get_for (404 outside the actor's jurisdiction).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sunshine.cases import selectors, services, transitions
from sunshine.cases.attachments import clean_uploads
from sunshine.cases.capabilities import Capability
from sunshine.cases.choices import (
    CONCLUDED_STATUSES,
    SANCTIONS_BY_MEASURE,
    AccountabilityMeasure,
    CaseStatus,
    Channel,
    Finding,
    Priority,
    RecallKind,
    Sanction,
)
from sunshine.cases.models import FundRecovery
from sunshine.core.errors import ApplicationError, CoreErrorCode, NotFound
from sunshine.core.panels import case_panels_for
from sunshine.desk.errors import DeskErrorCode
from sunshine.desk.exports import Listing, choice_label, col, desk_list, shown, yes
from sunshine.funds.records import record_subject
from sunshine.org.capabilities import has_capability, require
from sunshine.org.choices import RegionLevel
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Household, ProblemType, Region, Unit

PAGE_SIZE = 50
DESK_CHANNELS = [(v, label) for v, label in Channel.choices if v not in (Channel.ONLINE, Channel.REDFLAG)]


def _int(value, *, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("请选择%(field)s") % {"field": field}, code=CoreErrorCode.INVALID) from None


def _date(value, *, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ApplicationError(_("%(field)s须为日期（年-月-日）") % {"field": field}, code=CoreErrorCode.INVALID) from None


def _unit(request, value, *, purpose: str = selectors.PURPOSE_NAMED):
    """A unit named in a form, fetched through the cases selector with the actor (never by raw id)."""
    if not value:
        raise ApplicationError(_("请选择单位"), code=DeskErrorCode.UNIT_REQUIRED)
    try:
        return selectors.unit_for_case_form(actor=request.user, pk=value, purpose=purpose)
    except NotFound:
        raise ApplicationError(_("请选择单位"), code=DeskErrorCode.UNIT_REQUIRED) from None


def _optional_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _optional_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _act(request, case_id: int, action) -> object:
    """Run `action(case)` for a POST on a case page; show its error as a message; back to the case."""
    case = selectors.case_get_for(actor=request.user, pk=case_id)
    try:
        message = action(case)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        if message:
            messages.success(request, message)
        try:
            selectors.case_get_for(actor=request.user, pk=case_id)
        except NotFound:  # handed to a unit out of the actor's reach (转办, 移送): back to their list
            return redirect("desk:cases")
    return redirect("desk:case", case_id=case_id)


# ---- queue --------------------------------------------------------------------------------------------------

def _case_filters(g) -> selectors.CaseFilters:
    return selectors.CaseFilters(
        status=g.get("status", "") if g.get("status") in CaseStatus.values else "",
        overdue_only=g.get("overdue") == "1", q=g.get("q", "").strip(),
        township_id=_optional_int(g.get("township")), unit_id=_optional_int(g.get("unit")),
        problem_type=_optional_int(g.get("problem_type")),
        channel=g.get("channel", "") if g.get("channel") in Channel.values else "",
        received_from=_optional_date(g.get("from")), received_to=_optional_date(g.get("to")),
        mine=g.get("mine") == "1", urged_only=g.get("urged") == "1", include_closed=g.get("all") == "1",
    )


@desk_list("cases", title=_lazy("举报与案件清单"), page="desk:cases", columns=[
    col(_lazy("案件编号"), lambda c: c.number or c.pk), col(_lazy("收到日期"), "received_on"),
    col(_lazy("来源渠道"), "report.get_channel_display"), col(_lazy("所在地"), "report.region.full_name"),
    col(_lazy("问题类型"), lambda c: str(c.report.problem_type or c.report.suggested_problem_type or "")),
    col(_lazy("承办单位"), "handling_unit.name"), col(_lazy("承办人"), "handler.display_name"),
    col(_lazy("办理阶段"), "get_status_display"), col(_lazy("超期"), lambda c: yes(c.is_overdue)),
    col(_lazy("督办"), lambda c: yes(c.is_urged))])
def cases_query(actor, g) -> Listing:
    f = _case_filters(g)
    township = visible(Region.objects.filter(pk=f.township_id), actor=actor).first() if f.township_id else None
    # The sheet's header names what was filtered (a unit's name, a problem type's title), not the ids in the URL.
    # A unit out of the reader's sight matches none of their cases anyway (Case and Unit are scoped alike): its id
    # is shown as given.
    unit = visible(Unit.objects.filter(pk=f.unit_id), actor=actor).first() if f.unit_id else None
    problem_type = ProblemType.objects.filter(number=f.problem_type).first() if f.problem_type else None
    return Listing(selectors.case_list_visible_to(actor=actor, filters=f), shown([
        (_("办理阶段"), choice_label(CaseStatus.choices, f.status)), (_("仅超期"), yes(f.overdue_only)),
        (_("关键词"), f.q), (_("乡镇"), township.name if township else ""),
        (_("承办单位"), unit.name if unit else (f.unit_id or "")),
        (_("问题类型"), str(problem_type) if problem_type else (f.problem_type or "")),
        (_("来源渠道"), choice_label(Channel.choices, f.channel)),
        (_("收到日期起"), f.received_from or ""), (_("收到日期止"), f.received_to or ""),
        (_("我承办的"), yes(f.mine)), (_("仅督办"), yes(f.urged_only)), (_("含已办结"), yes(f.include_closed))]))


@login_required
def case_queue(request):
    actor = request.user
    g = request.GET
    filters = _case_filters(g)
    qs = cases_query(actor, g).rows
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    template = "desk/cases/partials/case_rows.html" if request.htmx else "desk/cases/queue.html"
    context = {"page": page, "f": filters, "all": filters.include_closed, "query": query.urlencode()}
    if not request.htmx:
        context.update({
            "alerts": selectors.alerts_for(actor=actor)[:20],
            "urges": selectors.urges_open_for(actor=actor)[:20],
            "statuses": CaseStatus.choices, "channels": Channel.choices,
            "townships": visible(Region.objects.filter(level=RegionLevel.TOWNSHIP), actor=actor).order_by("code"),
            "unit_groups": selectors.unit_choices(actor=actor, purpose=selectors.PURPOSE_HANDLING),
            "problem_types": ProblemType.objects.order_by("number"),
            "can_enter": has_capability(actor, Capability.ENTER),
            "is_office": has_capability(actor, Capability.GOVERNANCE),
            "can_review": transitions.can_review_exposure(actor=actor), "today": timezone.localdate(),
        })
    return render(request, template, context)


# ---- desk entry (hotline, box, card, grid worker, visit, audit, inspection, transfer from above) ----------------

@login_required
def case_enter(request):
    actor = request.user
    require(actor, Capability.ENTER)
    regions = visible(Region.objects.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
                      .select_related("parent"), actor=actor).order_by("path")
    form = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            region = None
            if form.get("region"):
                region = get_visible(Region.objects.all(), actor=actor, pk=_int(form["region"], field=_("所在地")))
            about_unit = _unit(request, form["about_unit"]) if form.get("about_unit") else None
            real_name = None
            if form.get("real_name") == "1":
                real_name = {"name": form.get("name", ""), "phone": form.get("phone", ""),
                             "id_number": form.get("id_number", "")}
            report, code = services.report_submit(
                channel=form.get("channel", ""), text=form.get("text", ""), region=region,
                about_person_name=form.get("about_person_name", ""), about_unit=about_unit,
                problem_type_number=int(form["problem_type"]) if form.get("problem_type", "").isdigit() else None,
                real_name=real_name, attachments=clean_uploads(request.FILES.getlist("attachments")), actor=actor,
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            case = report.cases.get()
            # The receipt is shown once, to be read out or handed to the reporter; it is not stored.
            response = render(request, "desk/cases/entered.html", {
                "case": case, "receipt_code": code, "can_view": has_capability(actor, Capability.VIEW)})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "desk/cases/enter.html", {
        "channels": DESK_CHANNELS, "regions": regions, "unit_groups": selectors.unit_choices(actor=actor),
        "problem_types": ProblemType.objects.order_by("number"), "form": form, "error": error,
    }, status=400 if error else 200)


# ---- case page ----------------------------------------------------------------------------------------------

@login_required
def case_detail(request, case_id: int):
    actor = request.user
    case = selectors.case_get_for(actor=actor, pk=case_id)
    services.messages_mark_read_by_handler(case=case, actor=actor)
    recoveries = [services.recovery_status(recovery=r) for r in case.recoveries.all()]
    can = {
        "handle": transitions.can_handle(case=case, actor=actor),
        "assign": transitions.can_assign(case=case, actor=actor) and case.status != CaseStatus.CLOSED,
        "transfer": has_capability(actor, Capability.TRANSFER) and transitions.can_handle(case=case, actor=actor),
        "escalate": transitions.can_escalate(case=case, actor=actor),
        "outcome": has_capability(actor, Capability.RECORD_OUTCOME),
        "recall": has_capability(actor, Capability.RECALL),
        "expose": has_capability(actor, Capability.PUBLISH_EXPOSURE),
        "review": transitions.can_review_exposure(actor=actor),
        "identity": transitions.can_read_identity(case=case, actor=actor),
        "urge": transitions.can_urge(case=case, actor=actor),
    }
    steps = transitions.allowed_transitions(case=case, actor=actor)
    needs_units = any(transitions.TO_UNIT in s.needs for s in steps) or can["transfer"]
    concluded = case.status in CONCLUDED_STATUSES
    return render(request, "desk/cases/detail.html", {
        "case": case, "report": case.report, "steps": steps,
        # An objection names a published record: described in words, as the villager saw it.
        # The record in words (whose payment, what item, how much, which notice), not an internal id.
        "about": _about_words(case.report),
        "clock": selectors.clock_for(case),
        "conversation": selectors.case_messages(case=case),
        "recoveries": recoveries,
        "findings": Finding.choices, "measures": AccountabilityMeasure.choices, "priorities": Priority.choices,
        "sanction_groups": _sanction_groups(), "recall_kinds": RecallKind.choices,
        "problem_types": ProblemType.objects.order_by("number"),
        "type_suggestions": selectors.type_suggestions(report=case.report),
        "transfer_groups": (selectors.unit_choices(actor=actor, purpose=selectors.PURPOSE_HANDLING, case=case,
                                                   exclude_id=case.handling_unit_id) if needs_units else []),
        "named_groups": selectors.unit_choices(actor=actor, case=case) if concluded else [],
        "handlers": services.handler_candidates(case=case) if can["assign"] else [],
        "recall_positions": (selectors.recall_candidates(case=case, actor=actor)
                             if concluded and can["recall"] else []),
        "urges": case.urges.all(),
        "similar": case.report.similar_links.all(),
        "can": can,
        "concluded": concluded,
        "today": timezone.localdate(),
        # What higher apps hold about the case (oversight: 领办 leader, 批示, the meeting), through core.panels.
        "domain_panels": case_panels_for(case=case, actor=actor),
    })


def _sanction_groups() -> list[tuple[str, str, list]]:
    """Sanctions per measure, for the accountability form (the measure's value, its label, its sanctions)."""
    return [(measure, AccountabilityMeasure(measure).label, [(v, Sanction(v).label) for v in values])
            for measure, values in SANCTIONS_BY_MEASURE.items()]


@login_required
@require_POST
def case_transition(request, case_id: int):
    form = request.POST

    def action(case):
        to = form.get("to", "")
        data = {}
        if to == CaseStatus.TRANSFERRED:
            data["to_unit"] = _unit(request, form.get("to_unit"), purpose=selectors.PURPOSE_HANDLING)
        if to == CaseStatus.CONCLUDED:
            data.update(finding=form.get("finding", ""), conclusion=form.get("conclusion", ""))
        if to == CaseStatus.REPLY:
            data["result"] = form.get("result", "")
        step = transitions.step_for(source=case.status, target=to)
        services.case_transition(case=case, to=to, actor=request.user, reason=form.get("reason", ""), **data)
        return _("已%(action)s") % {"action": step.label} if step else ""

    return _act(request, case_id, action)


@login_required
@require_POST
def case_assign_handler(request, case_id: int):
    def action(case):
        case = services.case_assign_handler(case=case, actor=request.user,
                                            handler_id=_int(request.POST.get("handler"), field=_("承办人")))
        return _("已指定承办人：%(name)s") % {"name": case.handler.display_name}

    return _act(request, case_id, action)


@login_required
@require_POST
def case_urge(request, case_id: int):
    form = request.POST
    return _act(request, case_id, lambda case: services.case_urge(
        case=case, actor=request.user, note=form.get("note", ""),
        due_on=_date(form.get("due_on"), field=_("办理期限"))) and _("已督办，承办单位将在案件列表顶部看到"))


@login_required
@require_POST
def case_ask(request, case_id: int):
    return _act(request, case_id, lambda case: services.handler_ask(
        case=case, actor=request.user, text=request.POST.get("text", "")) and _("问题已发给举报人，对方凭查询码查看"))


@login_required
@require_POST
def case_confirm_type(request, case_id: int):
    def action(case):
        # The officer picks one of the suggested types, or any other from the full list.
        number = _int(request.POST.get("problem_type") or request.POST.get("problem_type_other"),
                      field=_("问题类型"))
        services.report_confirm_type(report=case.report, actor=request.user, problem_type_number=number)
        return _("问题类型已确认")

    return _act(request, case_id, action)


@login_required
@require_POST
def case_set_priority(request, case_id: int):
    return _act(request, case_id, lambda case: services.case_set_priority(
        case=case, actor=request.user, priority=_int(request.POST.get("priority"), field=_("优先级")),
        reason=request.POST.get("reason", "")) and _("优先级已调整"))


@login_required
@require_POST
def case_transfer(request, case_id: int):
    return _act(request, case_id, lambda case: services.case_transfer(
        case=case, actor=request.user,
        to_unit=_unit(request, request.POST.get("to_unit"), purpose=selectors.PURPOSE_HANDLING),
        reason=request.POST.get("reason", "")) and _("已按程序移送"))


@login_required
@require_POST
def case_suspected(request, case_id: int):
    return _act(request, case_id, lambda case: services.case_mark_suspected(
        case=case, actor=request.user, reason=request.POST.get("reason", "")) and _("已标记涉嫌违纪"))


@login_required
@require_POST
def case_escalate(request, case_id: int):
    return _act(request, case_id, lambda case: services.case_escalate_level(
        case=case, actor=request.user, reason=request.POST.get("reason", "")) and _("已提级办理"))


@login_required
@require_POST
def case_duplicate(request, case_id: int):
    def action(case):
        number = request.POST.get("other_case", "").strip().upper()
        other = selectors.case_list_visible_to(actor=request.user).filter(number=number).first()
        if other is None or other.pk == case.pk:
            raise ApplicationError(_("未找到编号为“%(number)s”的其他案件") % {"number": number}, code=DeskErrorCode.OTHER_CASE)
        services.report_mark_duplicate(report=case.report, duplicate_of=other.report, actor=request.user,
                                       reason=request.POST.get("reason", ""))
        return _("已标记为重复举报")

    return _act(request, case_id, action)


@login_required
@require_POST
def case_accountability(request, case_id: int):
    form = request.POST

    def action(case):
        services.accountability_record(
            case=case, actor=request.user, measure=form.get("measure", ""),
            decided_on=_date(form.get("decided_on"), field=_("决定日期")),
            person_name=form.get("person_name", ""), sanction=form.get("sanction", ""),
            unit=_unit(request, form["unit"]) if form.get("unit") else None, note=form.get("note", ""))
        return _("问责情况已登记")

    return _act(request, case_id, action)


@login_required
@require_POST
def case_recovery(request, case_id: int):
    form = request.POST
    return _act(request, case_id, lambda case: services.recovery_record(
        case=case, actor=request.user, amount=form.get("amount", ""),
        recovered_on=_date(form.get("recovered_on"), field=_("追缴日期")), note=form.get("note", "")) and _(
        "追缴资金已登记，请尽快返还群众"))


@login_required
@require_POST
def case_fund_return(request, case_id: int, recovery_id: int):
    form = request.POST

    def action(case):
        recovery = FundRecovery.objects.filter(case=case, pk=recovery_id).first()
        if recovery is None:
            raise NotFound()
        household = get_visible(Household.objects.all(), actor=request.user, code=form.get("household_code", "").strip())
        services.funds_return_record(recovery=recovery, actor=request.user, household=household,
                                     amount=form.get("amount", ""),
                                     returned_on=_date(form.get("returned_on"), field=_("返还日期")))
        return _("返还已登记，已短信告知该户")

    try:
        return _act(request, case_id, action)
    except NotFound:
        messages.error(request, _("未找到该户（请输入辖区内的户编号）"))
        return redirect("desk:case", case_id=case_id)


@login_required
@require_POST
def case_recall(request, case_id: int):
    form = request.POST

    def action(case):
        # Only a work-team member or pairing cadre of this case's township (never a raw id from anywhere).
        position = selectors.recall_candidates(case=case, actor=request.user).filter(
            pk=_int(form.get("position"), field=_("召回人员"))).first()
        if position is None:
            raise ApplicationError(_("请从本案所涉乡镇（街道）的驻村工作队员、结对帮扶责任人中选择"),
                                   code=DeskErrorCode.POSITION)
        services.recall_record(case=case, actor=request.user, position=position, kind=form.get("kind", ""),
                               reason=form.get("reason", ""))
        return _("召回已登记，其任职已终止")

    return _act(request, case_id, action)


@login_required
@require_POST
def case_dual(request, case_id: int):
    form = request.POST

    def action(case):
        dual = services.dual_case_open(case=case, actor=request.user, text=form.get("text", ""),
                                       about_unit=_unit(request, form["about_unit"]) if form.get("about_unit")
                                       else None)
        return _("已启动一案双查：%(number)s") % {"number": dual.number}

    return _act(request, case_id, action)


@login_required
def case_exposure(request, case_id: int):
    """Propose a 通报曝光 (or propose again one the office sent back); public only once the office approves it."""
    actor = request.user
    require(actor, Capability.PUBLISH_EXPOSURE)
    case = selectors.case_get_for(actor=actor, pk=case_id)
    exposure = getattr(case, "exposure", None)  # None when the case has none yet
    form = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        people = []
        for i in range(services.exposures.MAX_PEOPLE):
            name = form.get(f"name_{i}", "").strip()
            if name:
                people.append(services.ExposedPerson(name=name, title=form.get(f"title_{i}", ""),
                                                     is_named_official=form.get(f"official_{i}") == "1",
                                                     measure=form.get(f"measure_{i}", "")))
        try:
            services.exposure_propose(case=case, actor=actor, title=form.get("title", ""), body=form.get("body", ""),
                                      people=people)
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            error = exc.message
        else:
            messages.success(request, _("通报已提交市专项治理办审核，审核通过后才会公开（姓名已按规定隐去）"))
            return redirect("desk:case", case_id=case.pk)
    elif exposure is not None and not form:
        form = {"title": exposure.title, "body": exposure.body}
    people = [{"name": a.person_name, "measure": a.measure} for a in case.accountabilities.all()]
    rows = [people[i] if i < len(people) else {} for i in range(services.exposures.MAX_PEOPLE)]
    return render(request, "desk/cases/exposure.html", {
        "case": case, "exposure": exposure, "form": form, "error": error, "rows": rows,
        "measures": AccountabilityMeasure.choices,
    }, status=400 if error else 200)


@login_required
def exposure_reviews(request):
    """The special governance office's list of proposed exposures waiting for approval."""
    exposures = selectors.exposures_awaiting_review(actor=request.user)
    return render(request, "desk/cases/exposure_reviews.html", {"exposures": exposures})


@login_required
@require_POST
def exposure_review(request, exposure_id: int):
    actor = request.user
    exposure = selectors.exposure_get_for_review(actor=actor, pk=exposure_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.exposure_review(exposure=exposure, actor=actor, approve=approve,
                                 comment=request.POST.get("comment", ""))
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("通报已审核通过并公开发布") if approve else _("通报已退回修改"))
    return redirect("desk:cases_exposure_reviews")


@login_required
def case_identity(request, case_id: int):
    """The reporter's identity, for the handling discipline officer, with a stated reason; every read logged."""
    actor = request.user
    require(actor, Capability.READ_IDENTITY)
    case = selectors.case_get_for(actor=actor, pk=case_id)
    identity, error = None, None
    if request.method == "POST":
        try:
            identity = services.identity_read(case=case, actor=actor, reason=request.POST.get("reason", ""))
        except ApplicationError as exc:
            if exc.status in (403, 404) and exc.code != "anonymous":
                raise
            error = exc.message
    response = render(request, "desk/cases/identity.html", {"case": case, "identity": identity, "error": error},
                      status=400 if error else 200)
    # The decrypted identity must not linger in any cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def case_attachment(request, attachment_id: int):
    """Download an attachment of a case the actor may see (files sit at random paths, served only through here)."""
    attachment = selectors.attachment_get_for(actor=request.user, pk=attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.original_name or f"attachment-{attachment.pk}")
    response["Cache-Control"] = "private, no-store"
    return response


# ---- the special governance office ---------------------------------------------------------------------------

@desk_list("case-copies", title=_lazy("抄送专项治理办的线索"), page="desk:cases_copies", columns=[
    col(_lazy("案件编号"), "case.number"), col(_lazy("优先"), lambda c: yes(c.case.priority == Priority.POVERTY)),
    col(_lazy("反映内容"), "case.report.text"), col(_lazy("所在地"), "case.report.region.name"),
    col(_lazy("承办单位"), "case.handling_unit.name"), col(_lazy("状态"), "case.get_status_display"),
    col(_lazy("抄送时间"), "created_at")])
def copies_query(actor, g) -> Listing:
    return Listing(selectors.copies_for_office(actor=actor))


@login_required
def office_copies(request):
    page = Paginator(copies_query(request.user, request.GET).rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/cases/copies.html", {"page": page})


@desk_list("identity-log", title=_lazy("举报人身份查阅记录"), page="desk:cases_identity_log", columns=[
    col(_lazy("时间"), "created_at"), col(_lazy("查阅人"), "actor.display_name"), col(_lazy("单位"), "actor_unit.name"),
    col(_lazy("案件"), "case.number"), col(_lazy("理由"), "reason")])
def identity_log_query(actor, g) -> Listing:
    return Listing(selectors.identity_access_log(actor=actor))


@login_required
def office_identity_log(request):
    page = Paginator(identity_log_query(request.user, request.GET).rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/cases/identity_log.html", {"page": page})


@desk_list("cases-overdue", title=_lazy("超期案件"), page="desk:cases_overdue", columns=[
    col(_lazy("案件"), "case.number"), col(_lazy("时限"), "get_kind_display"), col(_lazy("到期日"), "due_on"),
    col(_lazy("承办单位"), "case.handling_unit.name"), col(_lazy("状态"), "case.get_status_display")])
def overdue_query(actor, g) -> Listing:
    return Listing(selectors.overdue_deadlines(actor=actor))


@login_required
def overdue_list(request):
    deadlines = overdue_query(request.user, request.GET).rows
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/cases/overdue.html", {"page": page, "today": timezone.localdate()})


def _recovery_state(r) -> str:
    if r.late:
        return _("未及时返还")
    return _("已全部返还") if r.outstanding == 0 else ""


@desk_list("case-recoveries", title=_lazy("追缴资金返还"), page="desk:cases_recoveries", columns=[
    col(_lazy("案件"), "recovery.case.number"), col(_lazy("追缴日期"), "recovery.recovered_on"),
    col(_lazy("金额（元）"), "recovery.amount"), col(_lazy("已返还"), "returned"), col(_lazy("待返还"), "outstanding"),
    col(_lazy("状态"), _recovery_state)])
def recoveries_query(actor, g) -> Listing:
    require(actor, Capability.VIEW)
    cases = selectors.case_list_visible_to(actor=actor).filter(recoveries__isnull=False).distinct()
    recoveries = (FundRecovery.objects.filter(case__in=cases).select_related("case")
                  .prefetch_related("returns__household").order_by("-recovered_on"))
    return Listing([services.recovery_status(recovery=r) for r in recoveries])


@login_required
def recovery_list(request):
    """三(四)1: recovered money and whether it went back to the households in time."""
    rows = recoveries_query(request.user, request.GET).rows
    total = sum((r.recovery.amount for r in rows), Decimal("0"))
    return render(request, "desk/cases/recoveries.html", {"rows": rows, "total": total,
                                                          "late": sum(1 for r in rows if r.late)})


def _about_words(report) -> str:
    if not report.about_type:
        return ""
    subject = record_subject(about_type=report.about_type, about_id=report.about_id)
    return subject.staff_words if subject is not None else ""
