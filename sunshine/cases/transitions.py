"""The case state machine as data, and who may do what to a case: read by services, pages and the API alike.

Each edge is a `Step` named as the officer says it (受理, 转办, 初核, 立案审查, 作出结论, 答复举报人, 办结), with what it
will do and what it asks for. `services.workflow.case_transition` is the only writer of Case.status; the predicates
below (`allowed_transitions`, `can_handle`, `can_assign`, `can_escalate`, `can_read_identity`, `can_urge`,
`can_review_exposure`) answer "may this actor do it" without touching the database beyond the actor's posts.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sunshine.org.capabilities import has_capability
from sunshine.org.choices import Post

from .capabilities import Capability
from .choices import CaseStatus
from .routing import DISCIPLINE_KINDS

# What a step asks the officer for (form fields of the desk and of the API's TransitionIn).
TO_UNIT = "to_unit"
FINDING = "finding"
CONCLUSION = "conclusion"
RESULT = "result"
REASON = "reason"


@dataclass(frozen=True)
class Step:
    """One edge of the state machine, in the officer's words."""

    source: str
    target: str
    label: str  # the action as the officer says it
    does: str  # what pressing it will do
    capability: str = Capability.HANDLE
    needs: tuple[str, ...] = ()  # inputs the step requires (REASON: a reason is required, not optional)


STEPS: tuple[Step, ...] = (
    Step(CaseStatus.RECEIVED, CaseStatus.SCREENING, _("受理"),
         _("登记受理,开始甄别;5个工作日内决定转办或初核")),
    Step(CaseStatus.SCREENING, CaseStatus.TRANSFERRED, _("转办"),
         _("转交主管单位办理,本单位不再承办;实名举报人收到已受理短信"), needs=(TO_UNIT,)),
    Step(CaseStatus.SCREENING, CaseStatus.PRELIMINARY, _("初核"),
         _("由本单位初步核实;实名举报人收到已受理短信")),
    Step(CaseStatus.TRANSFERRED, CaseStatus.PRELIMINARY, _("初核"),
         _("承接转办的案件,由本单位初步核实")),
    Step(CaseStatus.TRANSFERRED, CaseStatus.CONCLUDED, _("作出结论"),
         _("填写核查结论和办理情况;开始15个工作日的答复时限"), needs=(FINDING, CONCLUSION)),
    Step(CaseStatus.PRELIMINARY, CaseStatus.INVESTIGATION, _("立案审查"),
         _("初核发现违纪违法问题,立案审查调查")),
    Step(CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED, _("作出结论"),
         _("填写核查结论和办理情况;开始15个工作日的答复时限"), needs=(FINDING, CONCLUSION)),
    Step(CaseStatus.INVESTIGATION, CaseStatus.CONCLUDED, _("作出结论"),
         _("填写审查结论和办理情况;开始15个工作日的答复时限"), needs=(FINDING, CONCLUSION)),
    Step(CaseStatus.CONCLUDED, CaseStatus.ACCOUNTABILITY, _("问责整改"),
         _("查实的问题进入问责整改:登记问责、追缴资金和返还")),
    Step(CaseStatus.CONCLUDED, CaseStatus.REPLY, _("答复举报人"),
         _("写下给举报人的答复,举报人凭查询码可见;答复时限完成"), needs=(RESULT,)),
    Step(CaseStatus.ACCOUNTABILITY, CaseStatus.REPLY, _("答复举报人"),
         _("写下给举报人的答复,举报人凭查询码可见;答复时限完成"), needs=(RESULT,)),
    Step(CaseStatus.REPLY, CaseStatus.CLOSED, _("办结"),
         _("案件办结归档,督办随之办结;实名举报人收到办结短信")),
    Step(CaseStatus.CLOSED, CaseStatus.SCREENING, _("重新办理"),
         _("已办结的案件重新甄别办理,须说明理由"), capability=Capability.REOPEN, needs=(REASON,)),
)

# from -> {to: Step}: the one table every check reads.
TRANSITIONS: dict[str, dict[str, Step]] = {}
for _step in STEPS:
    TRANSITIONS.setdefault(_step.source, {})[_step.target] = _step
del _step

# Posts that head a unit: the head assigns the unit's cases to a named handler (承办人).
HEAD_POSTS = frozenset({Post.PRINCIPAL, Post.IN_CHARGE, Post.TOWNSHIP_SECRETARY, Post.TOWNSHIP_HEAD})


def step_for(*, source: str, target: str) -> Step | None:
    return TRANSITIONS.get(source, {}).get(target)


# Rules of higher apps that a close must obey (三(二)2: a leader-led real-name case needs the meeting first). The
# higher app registers a guard in its AppConfig.ready, so the case desk never imports it: `guard(case)` returns
# the reason the case may not close yet, or "" when it may.
_CLOSE_GUARDS: list = []


def register_close_guard(guard) -> None:
    if guard not in _CLOSE_GUARDS:
        _CLOSE_GUARDS.append(guard)


def close_refusals(case) -> list[str]:
    """Why `case` may not be closed yet (empty when it may), from every registered guard."""
    return [reason for reason in (guard(case) for guard in _CLOSE_GUARDS) if reason]


def is_office(actor) -> bool:
    """The special governance office (and the administrator) act on every case."""
    return bool(actor.is_superuser or has_capability(actor, Capability.GOVERNANCE))


def can_handle(*, case, actor) -> bool:
    """Only the handling unit moves its case; the special governance office may act on any case."""
    if not has_capability(actor, Capability.HANDLE):
        return False
    return is_office(actor) or (actor.unit_id is not None and actor.unit_id == case.handling_unit_id)


def allowed_transitions(*, case, actor) -> list[Step]:
    """The steps out of the case's status this actor may take (the desk's buttons, the API's list)."""
    allowed = []
    for step in TRANSITIONS.get(case.status, {}).values():
        if not has_capability(actor, step.capability):
            continue
        if step.capability == Capability.HANDLE and not can_handle(case=case, actor=actor):
            continue
        allowed.append(step)
    return allowed


def is_unit_head(*, actor, unit_id: int | None) -> bool:
    """The actor's person holds a current head post (主要负责人, 分管负责人, 乡镇党委书记, 乡镇长) in that unit."""
    if unit_id is None or actor.unit_id != unit_id or not actor.person_id:
        return False
    return actor.person.positions.filter(unit_id=unit_id, post__in=HEAD_POSTS, end_date__isnull=True).exists()


def can_assign(*, case, actor) -> bool:
    """The handling unit's head names the 承办人 (the office may too, for any case)."""
    if not has_capability(actor, Capability.HANDLE):
        return False
    return is_office(actor) or is_unit_head(actor=actor, unit_id=case.handling_unit_id)


def can_escalate(*, case, actor) -> bool:
    """三(三)2: a discipline room or dispatched group takes another unit's open clue up to itself (提级办理)."""
    return bool(has_capability(actor, Capability.ESCALATE) and actor.unit_id is not None
                and actor.unit_id != case.handling_unit_id and actor.unit.kind in DISCIPLINE_KINDS
                and case.status != CaseStatus.CLOSED)


def can_read_identity(*, case, actor) -> bool:
    """A real-name reporter's identity: the discipline capability and the case in the reader's own unit."""
    return bool(has_capability(actor, Capability.READ_IDENTITY) and case.report.is_real_name
                and actor.unit_id is not None and actor.unit_id == case.handling_unit_id)


def can_urge(*, case, actor) -> bool:
    """督办: the special governance office and the city leaders urge an open case."""
    return has_capability(actor, Capability.URGE) and case.status != CaseStatus.CLOSED


def can_review_exposure(*, actor) -> bool:
    """通报曝光 is approved or sent back by the special governance office (a second person)."""
    return has_capability(actor, Capability.REVIEW_EXPOSURE)


__all__ = [
    "STEPS", "Step", "TRANSITIONS", "HEAD_POSTS", "allowed_transitions", "can_assign", "can_escalate",
    "can_handle", "can_read_identity", "close_refusals", "register_close_guard", "can_review_exposure", "can_urge", "is_office", "is_unit_head", "step_for",
]
