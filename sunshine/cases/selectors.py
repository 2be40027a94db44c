"""Reads of the report desk: every staff list is scoped by the actor; the reporter reads by receipt code."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import Forbidden, NotFound
from sunshine.core.workdays import working_days_between
from sunshine.org.capabilities import has_capability, require
from sunshine.org.choices import Post, UnitKind
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Household, Position, Region, Unit

from .capabilities import Capability
from .choices import AlertLevel, CaseStatus, DeadlineKind, ExposureStatus, Finding, MessageSide
from .events import public_label
from .models import (
    ApiClient,
    Attachment,
    Case,
    CaseCopy,
    CaseDeadline,
    CaseEvent,
    CaseUrge,
    DeadlineAlert,
    Exposure,
    IdentityAccessLog,
    Message,
    Report,
)
from .routing import governance_office, supervising_discipline_unit, township_of

# ---- the reporter's status page -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClockLine:
    kind: str
    label: str
    due_on: dt.date
    working_days_left: int  # negative once overdue
    met: bool
    overdue: bool
    estimated: bool = False  # counted on Monday–Friday: next year's holiday arrangement not yet installed


@dataclass(frozen=True)
class TimelineLine:
    at: dt.datetime
    label: str


@dataclass(frozen=True)
class MessageLine:
    side: str  # "handler" / "reporter"
    kind: str
    text: str
    at: dt.datetime
    unread: bool  # a handler message the reporter has not opened yet


@dataclass(frozen=True)
class ReportStatus:
    """What a reporter sees with their receipt code: no staff names, no units, no identity."""

    case_number: str
    submitted_at: dt.datetime
    status: str
    status_label: str
    is_real_name: bool
    finding: str
    finding_label: str
    result: str  # the reply, from the 答复举报人 step on
    closed: bool
    clock: list[ClockLine] = field(default_factory=list)
    timeline: list[TimelineLine] = field(default_factory=list)
    messages: list[MessageLine] = field(default_factory=list)
    attachment_count: int = 0

    @property
    def questions_waiting(self) -> int:
        return sum(1 for m in self.messages if m.side == MessageSide.HANDLER and m.unread)


def clock_for(case: Case, *, today: dt.date | None = None) -> list[ClockLine]:
    """The case's deadlines with working days left (the latest of each kind)."""
    today = today or timezone.localdate()
    latest: dict[str, CaseDeadline] = {}
    for d in sorted(case.deadlines.all(), key=lambda d: (d.kind, d.starts_on, d.pk)):
        latest[d.kind] = d
    lines = []
    for d in sorted(latest.values(), key=lambda d: d.due_on):
        met = d.met_at is not None
        left = working_days_between(today, d.due_on, strict=False) if not met else 0
        lines.append(ClockLine(kind=d.kind, label=str(DeadlineKind(d.kind).label), due_on=d.due_on,
                               working_days_left=left, met=met, overdue=(not met and today > d.due_on),
                               estimated=d.estimated))
    return lines


def report_status_for_receipt(*, receipt_code: str, today: dt.date | None = None) -> ReportStatus:
    """The read model behind the public status page; a wrong code raises NotFound."""
    from .services.intake import report_for_receipt

    report = report_for_receipt(receipt_code=receipt_code)
    case = (Case.objects.filter(report=report).order_by(
        # The open case if there is one, else the latest.
        "closed_at", "-pk").prefetch_related("deadlines").first())
    if case is None:  # every report gets a case at intake; a missing one is a data error, not the reporter's
        raise NotFound("未找到该举报的办理记录", code=CasesErrorCode.RECEIPT_UNKNOWN)
    events = CaseEvent.objects.filter(case__report=report, public=True).order_by("created_at", "id")
    messages = Message.objects.filter(report=report).order_by("created_at", "id")
    closed = case.status == CaseStatus.CLOSED
    # The reporter reads the finding and the reply from the 答复举报人 step on.
    replied = case.status in (CaseStatus.REPLY, CaseStatus.CLOSED) and bool(case.result_for_reporter)
    return ReportStatus(
        case_number=case.number or "",
        submitted_at=report.created_at,
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        is_real_name=report.is_real_name,
        finding=case.finding if replied else "",
        finding_label=str(Finding(case.finding).label) if (replied and case.finding) else "",
        result=case.result_for_reporter if replied else "",
        closed=closed,
        clock=clock_for(case, today=today),
        timeline=[TimelineLine(at=e.created_at, label=str(public_label(e))) for e in events],
        messages=[MessageLine(side=m.side, kind=m.kind, text=m.text, at=m.created_at,
                              unread=(m.side == MessageSide.HANDLER and m.read_by_reporter_at is None))
                  for m in messages],
        attachment_count=report.attachments.count(),
    )


# ---- staff ------------------------------------------------------------------------------------------------------

def _case_qs() -> QuerySet[Case]:
    return Case.objects.select_related(
        "report", "report__region", "report__region__parent", "report__region__parent__parent", "report__problem_type",
        "report__about_unit",
        "report__suggested_problem_type", "handling_unit", "handler", "handler__person",
    )


# Overdue and urged are tested as `id IN (the open deadlines' / urges' case ids)`, not as a correlated EXISTS: both
# sets are small (open items only), so PostgreSQL hashes each once and probes it per case, and its cost estimate
# stays low. The EXISTS form was estimated per row, which on a city's 100,000 cases pushed the plan over the JIT
# threshold (80 ms of compiling on the staff home) and ran two index probes per case for the home's counts.
def _overdue_ids(today: dt.date) -> QuerySet[CaseDeadline]:
    return CaseDeadline.objects.filter(met_at__isnull=True, due_on__lt=today).values("case_id")


def _urged_ids() -> QuerySet[CaseUrge]:
    return CaseUrge.objects.filter(resolved_at__isnull=True).values("case_id")


def _overdue_q(today: dt.date) -> ExpressionWrapper:
    return ExpressionWrapper(Q(pk__in=_overdue_ids(today)), output_field=BooleanField())


def _urged_q() -> ExpressionWrapper:
    return ExpressionWrapper(Q(pk__in=_urged_ids()), output_field=BooleanField())


@dataclass(frozen=True)
class CaseFilters:
    """What an officer narrows the case list by (every field optional)."""

    status: str = ""  # the stage
    overdue_only: bool = False
    q: str = ""  # case number, the report's full text, the person reported
    township_id: int | None = None
    unit_id: int | None = None  # handling unit
    problem_type: int | None = None  # number 1–27 (confirmed, else suggested)
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    mine: bool = False  # cases whose 承办人 is the actor
    urged_only: bool = False
    include_closed: bool = True


def case_list_visible_to(*, actor, filters: CaseFilters | None = None, today: dt.date | None = None,
                         **kwargs) -> QuerySet[Case]:
    """The desk queue: the actor's cases; urged (督办) first, then poverty clues, then overdue, then oldest.

    Filters come as a CaseFilters or as its fields by keyword.
    """
    require(actor, Capability.VIEW)
    f = filters or CaseFilters(**kwargs)
    today = today or timezone.localdate()
    qs = visible(_case_qs(), actor=actor).annotate(is_overdue=_overdue_q(today), is_urged=_urged_q())
    if f.status:
        qs = qs.filter(status=f.status)
    elif not f.include_closed:
        qs = qs.exclude(status=CaseStatus.CLOSED)
    if f.overdue_only:
        qs = qs.filter(pk__in=_overdue_ids(today))
    if f.urged_only:
        qs = qs.filter(pk__in=_urged_ids())
    if f.unit_id:
        qs = qs.filter(handling_unit_id=f.unit_id)
    if f.township_id:
        township = Region.objects.filter(pk=f.township_id).only("path").first()
        qs = qs.filter(report__region__path__startswith=township.path) if township else qs.none()
    if f.problem_type:
        qs = qs.filter(Q(report__problem_type__number=f.problem_type)
                       | Q(report__problem_type__isnull=True, report__suggested_problem_type__number=f.problem_type))
    if f.channel:
        qs = qs.filter(report__channel=f.channel)
    if f.received_from:
        qs = qs.filter(received_on__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_on__lte=f.received_to)
    if f.mine:
        qs = qs.filter(handler_id=actor.pk)
    q = f.q.strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(report__text__icontains=q)
                       | Q(report__about_person_name__icontains=q))
    # A key every row shares (all overdue, all urged) leaves the order as it is: left out, the database does not test
    # each row for it again before sorting (a city's overdue list sorted twice as fast without it).
    order = [k for k, constant in (("-is_urged", f.urged_only), ("priority", False), ("-is_overdue", f.overdue_only),
                                   ("received_on", False), ("pk", False)) if not constant]
    return qs.order_by(*order)


@dataclass(frozen=True)
class CaseCounts:
    open: int  # not closed
    overdue: int  # with a deadline past and not met
    urged: int  # open, with a 督办 not yet resolved


def case_counts_visible_to(*, actor, today: dt.date | None = None) -> CaseCounts:
    """The staff home's case figures over the actor's cases, in one pass over the case table."""
    require(actor, Capability.VIEW)
    today = today or timezone.localdate()
    open_ = ~Q(status=CaseStatus.CLOSED)
    counts = visible(Case.objects.all(), actor=actor).order_by().aggregate(
        open=Count("pk", filter=open_), overdue=Count("pk", filter=Q(pk__in=_overdue_ids(today))),
        urged=Count("pk", filter=Q(pk__in=_urged_ids()) & open_))
    return CaseCounts(open=counts["open"], overdue=counts["overdue"], urged=counts["urged"])


def case_get_for(*, actor, pk: int) -> Case:
    """One case the actor may see (404 otherwise), with its timeline, deadlines and outcomes loaded."""
    require(actor, Capability.VIEW)
    qs = _case_qs().select_related("dual_of").prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        "deadlines", "transfers__from_unit", "transfers__to_unit", "copies__to_unit",
        "accountabilities__unit", "recoveries__returns__household", "recalls__position__person", "dual_cases",
        Prefetch("urges", queryset=CaseUrge.objects.select_related("actor", "actor__person")),
        Prefetch("messages", queryset=Message.objects.order_by("created_at", "id")),
        "report__attachments", "report__similar_links__similar_to",
    )
    return get_visible(qs, actor=actor, pk=pk)


def attachment_get_for(*, actor, pk: int) -> Attachment:
    """An attachment of a report whose case the actor may see; otherwise 404, whether the id exists elsewhere, does
    not exist at all, or the actor reads no cases (an id must not tell a stranger that a file is there)."""
    if not has_capability(actor, Capability.VIEW):
        raise NotFound()
    cases = visible(Case.objects.all(), actor=actor).values("report_id")
    attachment = Attachment.objects.filter(pk=pk, report_id__in=cases).first()
    if attachment is None:
        raise NotFound()
    return attachment


def case_messages(*, case: Case) -> QuerySet[Message]:
    return Message.objects.filter(report_id=case.report_id).select_related("author").prefetch_related("attachments")


def copies_for_office(*, actor) -> QuerySet[CaseCopy]:
    """三(三)2: every clue copied to the special governance office, newest first."""
    require(actor, Capability.GOVERNANCE)
    return visible(CaseCopy.objects.select_related("case", "case__handling_unit", "case__report",
                                                   "case__report__region"), actor=actor).order_by(
        "case__priority", "-created_at")


def identity_access_log(*, actor) -> QuerySet[IdentityAccessLog]:
    """Every read of a reporter's identity (who, when, why, which case): for the special governance office."""
    require(actor, Capability.GOVERNANCE)
    return IdentityAccessLog.objects.select_related("actor", "actor__person", "actor_unit", "case")


def overdue_open_cases(*, actor, today: dt.date | None = None) -> QuerySet[Case]:
    """The open cases past a deadline, in queue order: the staff home's 超期未办 box (its first few) and its
    export (all of them) read this one query."""
    return case_list_visible_to(actor=actor, today=today or timezone.localdate(), overdue_only=True,
                                include_closed=False)


def overdue_deadlines(*, actor, today: dt.date | None = None) -> QuerySet[CaseDeadline]:
    require(actor, Capability.VIEW)
    today = today or timezone.localdate()
    return visible(CaseDeadline.objects.filter(met_at__isnull=True, due_on__lt=today)
                   .select_related("case", "case__handling_unit"), actor=actor).order_by("due_on")


def alerts_for(*, actor, open_only: bool = True) -> QuerySet[DeadlineAlert]:
    """Deadline alerts addressed to the actor's unit (the office and whole-city roles see all)."""
    require(actor, Capability.VIEW)
    qs = DeadlineAlert.objects.select_related("case", "deadline")
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return visible(qs, actor=actor).distinct().order_by("-level", "-created_at")


def report_similar(*, report: Report) -> QuerySet[Report]:
    return Report.objects.filter(pk__in=report.similar_links.values("similar_to_id"))


# ---- public exposures (通报曝光) --------------------------------------------------------------------------------

def exposure_list_public() -> QuerySet[Exposure]:
    """Published (approved) exposure notices, newest first: already minimised text, safe for the public portal."""
    return Exposure.objects.filter(status=ExposureStatus.PUBLISHED, published_at__isnull=False).prefetch_related(
        "people").order_by("-published_at", "-pk")


def exposures_awaiting_review(*, actor) -> QuerySet[Exposure]:
    """Proposed exposures the special governance office has to approve or send back, oldest first."""
    require(actor, Capability.REVIEW_EXPOSURE)
    return visible(Exposure.objects.filter(status=ExposureStatus.PENDING), actor=actor).select_related(
        "case", "case__handling_unit", "proposed_by", "proposed_by__person").prefetch_related("people").order_by(
        "updated_at", "pk")


def exposure_get_for_review(*, actor, pk: int) -> Exposure:
    require(actor, Capability.REVIEW_EXPOSURE)
    return get_visible(Exposure.objects.select_related("case", "proposed_by", "proposed_by__person")
                       .prefetch_related("people"), actor=actor, pk=pk)


# ---- the classifier's suggestions, in words ------------------------------------------------------------------

# A suggestion's score in words: the officer reads how sure the classifier is, not a raw "(1.00)".
LIKELY_SCORE = 0.6
POSSIBLE_SCORE = 0.25
SUGGESTIONS_SHOWN = 3


@dataclass(frozen=True)
class TypeSuggestion:
    problem_type: object  # org.ProblemType
    likelihood: str  # 很可能 / 可能 / 也许


def _likelihood(score: float) -> str:
    if score >= LIKELY_SCORE:
        return str(_("很可能"))
    if score >= POSSIBLE_SCORE:
        return str(_("可能"))
    return str(_("也许"))


def type_suggestions(*, report: Report) -> list[TypeSuggestion]:
    """The classifier's top three problem types for a report, most likely first, each with its likelihood."""
    from sunshine.org.models import ProblemType

    ranked = [(int(n), float(score)) for n, score in (report.suggestions or [])][:SUGGESTIONS_SHOWN]
    types = ProblemType.objects.in_bulk([n for n, _score in ranked], field_name="number")
    return [TypeSuggestion(types[n], _likelihood(score)) for n, score in ranked if n in types]


# ---- 督办 --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UrgeCounts:
    """督办 for the statistics desk: how many, how many still open, how many open past their date."""

    total: int
    open: int
    open_overdue: int
    cases: int  # distinct cases urged


def urge_counts(*, actor, since: dt.date | None = None, until: dt.date | None = None,
                today: dt.date | None = None) -> UrgeCounts:
    """督办 within the actor's jurisdiction, urged between `since` and `until` (inclusive, local dates)."""
    require(actor, Capability.VIEW)
    today = today or timezone.localdate()
    qs = visible(CaseUrge.objects.all(), actor=actor)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    open_qs = qs.filter(resolved_at__isnull=True)
    return UrgeCounts(total=qs.count(), open=open_qs.count(), open_overdue=open_qs.filter(due_on__lt=today).count(),
                      cases=qs.values("case_id").distinct().count())


def urges_open_for(*, actor) -> QuerySet[CaseUrge]:
    """Open 督办 on the actor's own cases (as 承办人, or of their unit), soonest date first: the top of the queue."""
    require(actor, Capability.VIEW)
    qs = visible(CaseUrge.objects.filter(resolved_at__isnull=True), actor=actor).select_related(
        "case", "actor", "actor__person")
    return qs.filter(Q(case__handler_id=actor.pk) | Q(case__handling_unit_id=actor.unit_id)).order_by("due_on", "pk")


# ---- secondary records named in a case form, fetched with the actor -------------------------------------------

_RECALL_POSTS = (Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER, Post.PAIRING_CADRE)


def case_area(case: Case):
    """The township (region) a case is about: the report's place, else the reported unit's territory."""
    report = case.report
    area = township_of(report.region)
    if area is None and report.about_unit_id and report.about_unit.territory_id:
        area = township_of(report.about_unit.territory)
    return area


def recall_candidates(*, case: Case, actor, current_only: bool = True) -> QuerySet[Position]:
    """召回 (三(三)2): the work-team members and pairing cadres of the case's own township — a work team posted
    there, or a cadre paired with households there. The case was fetched with the actor; cadres of other
    townships are not candidates, whoever asks."""
    require(actor, Capability.RECALL)
    area = case_area(case)
    if area is None:
        return Position.objects.none()
    paired = Household.objects.filter(village__path__startswith=area.path, pairing_cadre__isnull=False).values(
        "pairing_cadre_id")
    qs = Position.objects.filter(post__in=_RECALL_POSTS).filter(
        Q(unit__territory__path__startswith=area.path, post__in=[Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER])
        | Q(person_id__in=paired, post=Post.PAIRING_CADRE))
    if current_only:
        qs = qs.filter(end_date__isnull=True)
    return qs.select_related("person", "unit").order_by("unit__name", "post", "person__name")


# Units that handle cases (a village committee relays reports; it is not the competent unit).
_HANDLING_KINDS = [k for k in UnitKind.values if k not in (UnitKind.VILLAGE_COMMITTEE, UnitKind.WORK_TEAM)]
PURPOSE_HANDLING = "handling"  # 转办/移送 targets
PURPOSE_NAMED = "named"  # a unit named in a form: 被反映单位, 被问责单位, 一案双查的监管单位


def _unit_qs(purpose: str) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("territory", "territory__parent")
    return qs.filter(kind__in=_HANDLING_KINDS) if purpose == PURPOSE_HANDLING else qs


def unit_for_case_form(*, actor, pk, purpose: str = PURPOSE_NAMED) -> Unit:
    """A unit the actor names in a case form, by id: any unit of the city for 被反映/被问责 (unit names are not
    secret and a clue may concern any of them), a unit that handles cases for 转办/移送; 404 otherwise."""
    if not (has_capability(actor, Capability.VIEW) or has_capability(actor, Capability.ENTER)):
        raise Forbidden()
    try:
        return _unit_qs(purpose).get(pk=int(pk))
    except (Unit.DoesNotExist, TypeError, ValueError):
        raise NotFound("未找到该单位") from None


@dataclass(frozen=True)
class UnitGroup:
    label: str
    units: list


def unit_choices(*, actor, purpose: str = PURPOSE_NAMED, case: Case | None = None, report: Report | None = None,
                 exclude_id: int | None = None) -> list[UnitGroup]:
    """Units for a picker, grouped by kind and township, the likely ones first (the supervising discipline
    room, the township government, the special governance office, the unit reported on)."""
    units = [u for u in _unit_qs(purpose).order_by("member_order", "name") if u.pk != exclude_id]
    report = report or (case.report if case is not None else None)
    likely: list[Unit] = []
    if report is not None:
        area = township_of(report.region)
        if area is None and report.about_unit_id and report.about_unit.territory_id:
            area = township_of(report.about_unit.territory)
        township_gov = next((u for u in units if u.kind == UnitKind.TOWNSHIP_GOV and area is not None
                             and u.territory_id == area.pk), None)
        handling = case.handling_unit if case is not None else None
        candidates = [supervising_discipline_unit(handling) if handling else None,
                      supervising_discipline_unit(township_gov) if township_gov else None,
                      township_gov, report.about_unit if report.about_unit_id else None, governance_office()]
        for u in candidates:
            if u is not None and u.pk != exclude_id and u not in likely and u in units:
                likely.append(u)
    groups: list[UnitGroup] = []
    if likely:
        groups.append(UnitGroup(str(_("常用")), likely))
    by_key: dict[tuple, list] = {}
    for u in units:
        if u.kind in (UnitKind.VILLAGE_COMMITTEE, UnitKind.WORK_TEAM):
            township = township_of(u.territory) if u.territory_id else None
            key = (1, u.kind, township.name if township else "")
        else:
            key = (0, u.kind, "")
        by_key.setdefault(key, []).append(u)
    kind_order = {k: i for i, k in enumerate(_KIND_ORDER)}
    for key in sorted(by_key, key=lambda k: (k[0], kind_order.get(k[1], 99), k[2])):
        label = str(UnitKind(key[1]).label) + (f" · {key[2]}" if key[2] else "")
        groups.append(UnitGroup(label, by_key[key]))
    return groups


# Kinds in the order an officer looks for them: discipline first, then the townships, then the departments.
_KIND_ORDER = [
    UnitKind.GOVERNANCE_OFFICE, UnitKind.DISCIPLINE_COMMISSION, UnitKind.DISCIPLINE_ROOM, UnitKind.DISCIPLINE_GROUP,
    UnitKind.TOWNSHIP_DISCIPLINE, UnitKind.TOWNSHIP_GOV, UnitKind.MEMBER_UNIT, UnitKind.DEPARTMENT, UnitKind.INSPECTION, UnitKind.AUDIT,
    UnitKind.CITY_PARTY_GOV, UnitKind.VILLAGE_COMMITTEE, UnitKind.WORK_TEAM,
]



def exposure_get_public(pk: int) -> Exposure:
    try:
        return exposure_list_public().get(pk=pk)
    except (Exposure.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


__all__ = [
    "CaseFilters", "UnitGroup", "UrgeCounts", "case_area", "exposure_get_for_review", "exposures_awaiting_review",
    "recall_candidates", "type_suggestions", "unit_choices", "unit_for_case_form", "urge_counts", "urges_open_for",
    "AlertLevel", "CaseCounts", "ReportStatus", "alerts_for", "case_counts_visible_to", "case_get_for", "case_list_visible_to", "case_messages",
    "clock_for", "copies_for_office", "exposure_get_public", "exposure_list_public", "identity_access_log",
    "overdue_deadlines", "report_similar", "report_status_for_receipt",
]


@dataclass(frozen=True)
class Timeliness:
    """Cases of a handling unit with a deadline due in the period, and how many met every such deadline on time."""

    due: int
    on_time: int


def case_timeliness_by_unit(*, unit_ids, year: int, today: dt.date | None = None) -> dict[int, Timeliness]:
    """The one definition of "handled on time" (按期办理): a case counts in `year` when one of its deadlines
    (甄别移送, 告知受理, 答复举报人) fell due between 1 January and today (or 31 December); it is on time when each
    such deadline was met on or before its due date (the local date of `met_at`). Per handling unit."""
    today = today or timezone.localdate()
    end = min(today, dt.date(year, 12, 31))
    deadlines = (CaseDeadline.objects
                 .filter(case__handling_unit_id__in=list(unit_ids), due_on__gte=dt.date(year, 1, 1), due_on__lte=end)
                 .values_list("case_id", "case__handling_unit_id", "due_on", "met_at"))
    late: dict[int, bool] = {}
    unit_of: dict[int, int] = {}
    for case_id, unit_id, due_on, met_at in deadlines:
        unit_of[case_id] = unit_id
        missed = met_at is None or timezone.localdate(met_at) > due_on
        late[case_id] = late.get(case_id, False) or missed
    result: dict[int, list[int]] = {}
    for case_id, unit_id in unit_of.items():
        counts = result.setdefault(unit_id, [0, 0])
        counts[0] += 1
        counts[1] += 0 if late[case_id] else 1
    return {unit_id: Timeliness(due=c[0], on_time=c[1]) for unit_id, c in result.items()}


def api_clients_for(*, actor) -> QuerySet[ApiClient]:
    """The Open311 clients with their report counts, for the special governance office."""
    from django.db.models import Count

    require(actor, Capability.GOVERNANCE)
    return ApiClient.objects.select_related("issued_by", "revoked_by").annotate(report_count=Count("reports"))


def cases_of_api_client(*, actor, client_id: int) -> QuerySet[Case]:
    """The cases filed by one Open311 client, as far as the actor may see them."""
    require(actor, Capability.GOVERNANCE)
    return case_list_visible_to(actor=actor, include_closed=True).filter(report__api_client_id=client_id)
