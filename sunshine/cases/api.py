"""Staff JSON endpoints of the report desk (/api/v1/cases/): list, detail, steps, handler, 督办, questions; scoped.

Every id in a path or a body is fetched through a selector with the caller (404 outside their reach).
"""
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError, CoreErrorCode, NotFound
from sunshine.core.pagination import Pagination
from sunshine.core.schemas import ErrorOut

from . import selectors, services
from .choices import CaseStatus, Channel
from .schemas import (
    CaseDetailOut,
    CaseFilter,
    CaseOut,
    DeadlineOut,
    EventOut,
    HandlerIn,
    MessageOut,
    QuestionIn,
    TransitionIn,
    UrgeIn,
    UrgeOut,
)
from .transitions import allowed_transitions

router = Router(tags=["cases"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _detail(case, actor) -> CaseDetailOut:
    case.allowed = allowed_transitions(case=case, actor=actor)
    case.timeline = [EventOut(kind=e.kind, from_status=e.from_status, to_status=e.to_status,
                              actor_name=e.actor.display_name if e.actor_id else "", reason=e.reason,
                              at=e.created_at) for e in case.events.all()]
    case.clock = [DeadlineOut(kind=c.kind, label=c.label, due_on=c.due_on, working_days_left=c.working_days_left,
                              met=c.met, overdue=c.overdue, estimated=c.estimated) for c in selectors.clock_for(case)]
    case.conversation = [MessageOut(side=m.side, kind=m.kind, text=m.text, at=m.created_at)
                         for m in selectors.case_messages(case=case)]
    return CaseDetailOut.from_orm(case)


def _after_move(case, actor) -> CaseDetailOut:
    """The case as it now stands; after a 转办 out of the caller's reach, as the caller left it (no further steps)."""
    try:
        return _detail(selectors.case_get_for(actor=actor, pk=case.pk), actor)
    except NotFound:
        detail = _detail(case, actor)
        detail.allowed_transitions, detail.actions = [], []
        return detail


@router.get("/cases", response={200: list[CaseOut], **ERRORS})
@paginate(Pagination)
def list_cases(request, filters: Query[CaseFilter]):
    if filters.channel and filters.channel not in Channel.values:
        raise ApplicationError("来源渠道无效", code=CoreErrorCode.INVALID)
    return selectors.case_list_visible_to(actor=request.auth, filters=selectors.CaseFilters(
        status=filters.status or "", overdue_only=filters.overdue, q=filters.q, township_id=filters.township_id,
        unit_id=filters.unit_id, problem_type=filters.problem_type, channel=filters.channel,
        received_from=filters.received_from, received_to=filters.received_to, mine=filters.mine,
        urged_only=filters.urged))


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def get_case(request, case_id: int):
    case = selectors.case_get_for(actor=request.auth, pk=case_id)
    return _detail(case, request.auth)


@router.post("/cases/{case_id}/transition", response={200: CaseDetailOut, **ERRORS})
def transition_case(request, case_id: int, payload: TransitionIn):
    case = selectors.case_get_for(actor=request.auth, pk=case_id)
    if payload.to not in CaseStatus.values:
        raise ApplicationError("目标状态无效", code=CasesErrorCode.BAD_TRANSITION)
    data = {}
    if payload.to == CaseStatus.TRANSFERRED and payload.to_unit_id is not None:
        data["to_unit"] = selectors.unit_for_case_form(actor=request.auth, pk=payload.to_unit_id,
                                                       purpose=selectors.PURPOSE_HANDLING)
    if payload.to == CaseStatus.CONCLUDED:
        data.update(finding=payload.finding, conclusion=payload.conclusion)
    if payload.to == CaseStatus.REPLY:
        data["result"] = payload.result
    case = services.case_transition(case=case, to=payload.to, actor=request.auth, reason=payload.reason, **data)
    return _after_move(case, request.auth)


@router.post("/cases/{case_id}/handler", response={200: CaseDetailOut, **ERRORS})
def assign_handler(request, case_id: int, payload: HandlerIn):
    """The handling unit's head names the 承办人 (an account of the handling unit)."""
    case = selectors.case_get_for(actor=request.auth, pk=case_id)
    case = services.case_assign_handler(case=case, actor=request.auth, handler_id=payload.handler_id)
    return _after_move(case, request.auth)


@router.post("/cases/{case_id}/urges", response={201: UrgeOut, **ERRORS})
def urge_case(request, case_id: int, payload: UrgeIn):
    """督办: the special governance office or a city leader urges the case, with a note and a date."""
    case = selectors.case_get_for(actor=request.auth, pk=case_id)
    urge = services.case_urge(case=case, actor=request.auth, note=payload.note, due_on=payload.due_on)
    return Status(201, UrgeOut(id=urge.pk, note=urge.note, due_on=urge.due_on, at=urge.created_at))


@router.post("/cases/{case_id}/questions", response={201: MessageOut, **ERRORS})
def ask_reporter(request, case_id: int, payload: QuestionIn):
    case = selectors.case_get_for(actor=request.auth, pk=case_id)
    message = services.handler_ask(case=case, actor=request.auth, text=payload.text)
    return Status(201, MessageOut(side=message.side, kind=message.kind, text=message.text,
                                  at=message.created_at or timezone.now()))
