"""Staff JSON endpoints of the report desk (/api/v1/cases/): list, detail, transition, ask the reporter; scoped."""
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError
from sunshine.core.pagination import Pagination
from sunshine.core.schemas import ErrorOut
from sunshine.org.models import Unit

from . import selectors, services
from .choices import CaseStatus
from .schemas import (
    CaseDetailOut,
    CaseFilter,
    CaseOut,
    DeadlineOut,
    EventOut,
    MessageOut,
    QuestionIn,
    TransitionIn,
)

router = Router(tags=["cases"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _detail(case, actor) -> CaseDetailOut:
    case.allowed = services.allowed_transitions(case=case, actor=actor)
    case.timeline = [EventOut(kind=e.kind, from_status=e.from_status, to_status=e.to_status,
                              actor_name=e.actor.display_name if e.actor_id else "", reason=e.reason,
                              at=e.created_at) for e in case.events.all()]
    case.clock = [DeadlineOut(kind=c.kind, label=c.label, due_on=c.due_on, working_days_left=c.working_days_left,
                              met=c.met, overdue=c.overdue, estimated=c.estimated) for c in selectors.clock_for(case)]
    case.conversation = [MessageOut(side=m.side, kind=m.kind, text=m.text, at=m.created_at)
                         for m in selectors.case_messages(case=case)]
    return CaseDetailOut.from_orm(case)


@router.get("/cases", response={200: list[CaseOut], **ERRORS})
@paginate(Pagination)
def list_cases(request, filters: Query[CaseFilter]):
    qs = selectors.case_list_visible_to(actor=request.auth, status=filters.status or None,
                                        overdue_only=filters.overdue, q=filters.q)
    return qs


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
    if payload.to == CaseStatus.TRANSFERRED:
        unit = Unit.objects.filter(pk=payload.to_unit_id).first() if payload.to_unit_id else None
        data["to_unit"] = unit
    if payload.to == CaseStatus.CONCLUDED:
        data.update(finding=payload.finding, conclusion=payload.conclusion)
    if payload.to == CaseStatus.CLOSED:
        data["result"] = payload.result
    services.case_transition(case=case, to=payload.to, actor=request.auth, reason=payload.reason, **data)
    return _detail(selectors.case_get_for(actor=request.auth, pk=case_id), request.auth)


@router.post("/cases/{case_id}/questions", response={201: MessageOut, **ERRORS})
def ask_reporter(request, case_id: int, payload: QuestionIn):
    case = selectors.case_get_for(actor=request.auth, pk=case_id)
    message = services.handler_ask(case=case, actor=request.auth, text=payload.text)
    return Status(201, MessageOut(side=message.side, kind=message.kind, text=message.text,
                                  at=message.created_at or timezone.now()))
