"""Intake: a report comes in (any channel), gets a receipt, a case, a route, a copy to the office and its clocks."""
from __future__ import annotations

import hashlib
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError, NotFound
from sunshine.funds.records import record_subject
from sunshine.org.choices import RegionLevel
from sunshine.org.jurisdiction import get_visible
from sunshine.org.models import ProblemType

from .. import conf, events, routing
from ..capabilities import Capability
from ..choices import (
    PUBLIC_CHANNELS,
    CaseStatus,
    Channel,
    DeadlineKind,
    ExampleSource,
    MessageKind,
    MessageSide,
    TransferKind,
)
from ..models import Attachment, Case, ClassifierExample, Message, Report, ReporterIdentity, ReportSimilarity
from ._common import clean_text, require_capability
from .deadlines import deadline_open, today_local
from .protection import clean_real_name, identity_create
from .transfers import transfer_record
from .workflow import _lock, _require_handler, case_copy_to_office, case_priority_for

logger = logging.getLogger(__name__)

# Receipt codes: 20 symbols of a 32-letter alphabet without look-alikes (0/O, 1/I) = 100 bits, shown in groups of 4.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 20
# Channels the redflag engine and other systems use without a staff actor.
SYSTEM_CHANNELS = {Channel.REDFLAG}


def receipt_new() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def receipt_normalize(code: str) -> str:
    """Upper-case, without separators or spaces; full-width characters folded (people type it on phones)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", code or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def receipt_hash(code: str) -> str:
    # 100 random bits: a plain hash is enough (nothing to brute-force), and it survives SECRET_KEY rotation.
    return hashlib.sha256(f"sunshine-receipt:{receipt_normalize(code)}".encode()).hexdigest()


def report_for_receipt(*, receipt_code: str) -> Report:
    """The report a receipt code belongs to; a wrong code is NotFound (no hint whether it was close)."""
    normalized = receipt_normalize(receipt_code)
    if len(normalized) != RECEIPT_LENGTH:
        raise NotFound("查询码不正确,请核对后重新输入", code=CasesErrorCode.RECEIPT_UNKNOWN)
    try:
        return Report.objects.select_related("region").get(receipt_hash=receipt_hash(normalized))
    except Report.DoesNotExist:
        raise NotFound("查询码不正确,请核对后重新输入", code=CasesErrorCode.RECEIPT_UNKNOWN) from None


def _current_case(report: Report) -> Case | None:
    """The report's open case, else its latest closed one."""
    return report.cases.exclude(status=CaseStatus.CLOSED).order_by("-pk").first() or \
        report.cases.order_by("-pk").first()


def _check_region(region) -> None:
    if region is not None and region.level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE, RegionLevel.GROUP):
        raise ApplicationError("请选择乡镇(街道)或村(社区)", code=CasesErrorCode.REGION_LEVEL)


def _store_attachments(*, report: Report, files, message: Message | None = None) -> list[Attachment]:
    """Check and store uploads under MEDIA_ROOT at random paths.

    The intake helper's `sunshine.cases.attachments.check_upload(upload)` (if present) inspects the content and
    raises ApplicationError for a refused file; it may return the detected content type.
    """
    files = list(files or ())
    if not files:
        return []
    if len(files) > conf.get("MAX_ATTACHMENTS"):
        raise ApplicationError(f"附件最多{conf.get('MAX_ATTACHMENTS')}个", code=CasesErrorCode.TOO_MANY_ATTACHMENTS)
    try:
        from ..attachments import check_upload
    except ImportError:
        check_upload = None
    stored = []
    for upload in files:
        size = getattr(upload, "size", 0) or 0
        if size > conf.get("MAX_ATTACHMENT_BYTES"):
            raise ApplicationError(f"附件“{upload.name}”超过{conf.get('MAX_ATTACHMENT_BYTES') // (1024 * 1024)}MB",
                                   code=CasesErrorCode.ATTACHMENT_TOO_LARGE)
        content_type = getattr(upload, "content_type", "") or ""
        if check_upload is not None:
            content_type = check_upload(upload) or content_type
        # Size and digest of what is stored: the check above may have re-encoded the file (metadata removed).
        digest, size = hashlib.sha256(), 0
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
        upload.seek(0)
        attachment = Attachment(report=report, message=message, original_name=(upload.name or "")[-200:],
                                content_type=content_type[:100], size=size, sha256=digest.hexdigest())
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _suggest(report: Report) -> None:
    """Ask the classifier (intake helper's sunshine.cases.classifier.suggest) for problem-type suggestions."""
    try:
        from ..classifier import suggest
    except ImportError:
        return
    suggestions = [(int(n), float(s)) for n, s in (suggest(report.text) or [])][:5]
    if not suggestions:
        return
    report.suggestions = [[n, round(s, 4)] for n, s in suggestions]
    best_number, best_score = suggestions[0]
    report.suggested_problem_type = ProblemType.objects.filter(number=best_number).first()
    report.suggestion_score = best_score


def _link_similar(report: Report) -> None:
    """Link likely duplicates (intake helper's sunshine.cases.similarity.find_similar) and flag a repeat report."""
    try:
        from ..similarity import find_similar
    except ImportError:
        find_similar = None
    threshold = conf.get("SIMILARITY_THRESHOLD")
    links = []
    if find_similar is not None:
        for other, score in find_similar(report) or []:
            if other.pk != report.pk and score >= threshold:
                links.append(ReportSimilarity(report=report, similar_to=other, score=float(score)))
        ReportSimilarity.objects.bulk_create(links, ignore_conflicts=True)
    # 重复举报: the same matter again after its case was closed, or again by the same real-name reporter.
    similar_ids = [link.similar_to_id for link in links]
    repeat = Case.objects.filter(report_id__in=similar_ids, status=CaseStatus.CLOSED).exists()
    if not repeat and similar_ids and report.is_real_name:
        fingerprint = ReporterIdentity.objects.filter(report=report).values_list("fingerprint", flat=True).first()
        repeat = bool(fingerprint) and ReporterIdentity.objects.filter(
            fingerprint=fingerprint, report_id__in=similar_ids).exists()
    if repeat:
        report.is_repeat = True
        report.save(update_fields=["is_repeat", "updated_at"])


@transaction.atomic
def report_submit(*, channel: str, text: str, region=None, about_person_name: str = "", about_unit=None,
                  problem_type_number: int | None = None, real_name: dict | None = None, attachments=(),
                  about_type: str = "", about_id: int | None = None, actor=None,
                  source_ip: str = "", api_client=None) -> tuple[Report, str]:
    """Take in one report from any channel and return it with its receipt code (shown once, stored as a hash).

    Online reports come from the public (actor None); other channels are entered at the desk by staff with
    cases.enter (the actor and their unit are recorded); the red-flag engine uses channel "redflag" without an
    actor. `source_ip` is used by the portal's anti-abuse checks and is never stored with a report.
    """
    if channel not in Channel.values:
        raise ApplicationError("举报渠道无效", code=CasesErrorCode.CHANNEL)
    if channel not in PUBLIC_CHANNELS and channel not in SYSTEM_CHANNELS:
        require_capability(actor, Capability.ENTER)
    if actor is not None and getattr(actor, "is_authenticated", False) and channel != Channel.ONLINE:
        require_capability(actor, Capability.ENTER)
    text = clean_text(text, field="反映内容", max_length=conf.get("MAX_TEXT_LENGTH"))
    _check_region(region)
    about_person_name = clean_text(about_person_name, field="被反映人", max_length=60, required=False)
    if about_id is not None and not about_type:
        raise ApplicationError("异议对象类型缺失", code=CasesErrorCode.ABOUT_TYPE)
    if about_type and region is None:
        # An objection is a report from the record's place: routed by the same rules as any report from there.
        subject = record_subject(about_type=about_type, about_id=about_id)
        region = subject.region if subject is not None else None
    problem_type = None
    if problem_type_number:
        problem_type = ProblemType.objects.filter(number=problem_type_number).first()
        if problem_type is None:
            raise ApplicationError("问题类型无效", code=CasesErrorCode.PROBLEM_TYPE)
    identity_view = clean_real_name(real_name) if real_name else None
    staff = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    received_by = staff.unit if staff is not None else None

    code = receipt_new()
    report = Report(
        channel=channel, text=text, region=region, about_person_name=about_person_name, about_unit=about_unit,
        about_type=about_type[:40], about_id=about_id, receipt_hash=receipt_hash(code),
        receipt_hint=receipt_normalize(code)[-4:], is_real_name=identity_view is not None,
        problem_type=problem_type, problem_type_confirmed_by=staff if problem_type is not None else None,
        received_by=received_by, entered_by=staff, api_client=api_client,
    )
    _suggest(report)
    report.save()
    if identity_view is not None:
        identity_create(report=report, view=identity_view)
    _store_attachments(report=report, files=attachments)

    number = problem_type.number if problem_type else (
        report.suggested_problem_type.number if report.suggested_problem_type_id else None)
    clue = routing.Clue(region=region, about_unit=about_unit, problem_type_number=number)
    route = routing.route(clue)
    competent = routing.competent_unit(clue)
    report.skipped_level = routing.skipped_level(channel=channel, received_by=received_by, competent=competent)
    if report.skipped_level:
        report.save(update_fields=["skipped_level", "updated_at"])

    today = today_local()
    case = Case.objects.create(report=report, handling_unit=route.unit, priority=case_priority_for(report),
                               suspected_violation=routing.is_discipline_matter(clue), received_on=today)
    case.number = f"{conf.get('CASE_NUMBER_PREFIX')}{today:%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    events.submitted(case=case, actor=staff, channel=channel, real_name=report.is_real_name)
    transfer_record(case=case, to_unit=route.unit, kind=TransferKind.ROUTED, actor=staff, reason=route.reason,
                    rule=route.rule, from_unit=received_by)
    case_copy_to_office(case=case)
    deadline_open(case=case, kind=DeadlineKind.TRANSFER, starts_on=today)
    if report.is_real_name:
        deadline_open(case=case, kind=DeadlineKind.ACCEPT_NOTICE, starts_on=today)
    _link_similar(report)
    return report, code


@transaction.atomic
def reporter_reply(*, receipt_code: str, text: str, attachments=()) -> Message:
    """The reporter answers the handler (or adds information) with the receipt code; no identity is involved."""
    report = report_for_receipt(receipt_code=receipt_code)
    text = clean_text(text, field="补充内容", max_length=conf.get("MAX_TEXT_LENGTH"))
    case = _current_case(report)
    message = Message.objects.create(report=report, case=case, side=MessageSide.REPORTER, kind=MessageKind.ANSWER,
                                     text=text)
    _store_attachments(report=report, files=attachments, message=message)
    # Reading the handler's questions is implied by answering them.
    report.messages.filter(side=MessageSide.HANDLER, read_by_reporter_at__isnull=True).update(
        read_by_reporter_at=timezone.now())
    if case is not None:
        events.reporter_answered(case=case)
    return message


@transaction.atomic
def handler_ask(*, case: Case, actor, text: str) -> Message:
    """The handler asks the (anonymous) reporter a question; they read it on the status page with their code."""
    require_capability(actor, Capability.HANDLE)
    case = _lock(case=case, actor=actor)
    _require_handler(case=case, actor=actor)
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError("已结案的案件不能再向举报人询问", code=CasesErrorCode.CLOSED)
    text = clean_text(text, field="询问内容", max_length=2000)
    message = Message.objects.create(report=case.report, case=case, side=MessageSide.HANDLER,
                                     kind=MessageKind.QUESTION, text=text, author=actor)
    events.question_asked(case=case, actor=actor)
    return message


def messages_mark_read_by_reporter(*, receipt_code: str) -> int:
    """The reporter opened the status page: the handler's messages are read."""
    report = report_for_receipt(receipt_code=receipt_code)
    return report.messages.filter(side=MessageSide.HANDLER, read_by_reporter_at__isnull=True).update(
        read_by_reporter_at=timezone.now())


def messages_mark_read_by_handler(*, case: Case, actor) -> int:
    """A handler opened the case: the reporter's messages are read (only the handling unit's reads count)."""
    if not (actor.unit_id == case.handling_unit_id):
        return 0
    return case.report.messages.filter(side=MessageSide.REPORTER, read_by_handler_at__isnull=True).update(
        read_by_handler_at=timezone.now())


@transaction.atomic
def report_confirm_type(*, report: Report, actor, problem_type_number: int) -> Report:
    """Staff confirm or change the problem type; the choice becomes a training example for the classifier."""
    require_capability(actor, Capability.HANDLE)
    report = get_visible(Report.objects.select_for_update(of=("self",)), actor=actor, pk=report.pk)
    problem_type = ProblemType.objects.filter(number=problem_type_number).first()
    if problem_type is None:
        raise ApplicationError("问题类型无效", code=CasesErrorCode.PROBLEM_TYPE)
    case = _current_case(report)
    if case is not None:
        _require_handler(case=case, actor=actor)
    previous = report.problem_type
    report.problem_type = problem_type
    report.problem_type_confirmed_by = actor
    report.save(update_fields=["problem_type", "problem_type_confirmed_by", "updated_at"])
    corrected = report.suggested_problem_type_id is not None and report.suggested_problem_type_id != problem_type.pk
    ClassifierExample.objects.update_or_create(
        report=report,
        defaults={"text": report.text, "problem_type": problem_type, "created_by": actor,
                  "source": ExampleSource.STAFF_CORRECTED if corrected else ExampleSource.STAFF_CONFIRMED},
    )
    if case is not None:
        events.type_confirmed(case=case, actor=actor, number=problem_type.number,
                              previous=previous.number if previous else None,
                              suggested=(report.suggested_problem_type.number if report.suggested_problem_type_id
                                         else None))
        priority = case_priority_for(report)
        if priority != case.priority:
            Case.objects.filter(pk=case.pk).update(priority=priority)
    return report


@transaction.atomic
def report_mark_duplicate(*, report: Report, duplicate_of: Report, actor, reason: str = "") -> Report:
    """Staff confirm that `report` repeats `duplicate_of`; its case can then be closed with a reply."""
    require_capability(actor, Capability.HANDLE)
    report = get_visible(Report.objects.select_for_update(of=("self",)), actor=actor, pk=report.pk)
    if duplicate_of.pk == report.pk:
        raise ApplicationError("不能标记为与自身重复", code=CasesErrorCode.SELF_DUPLICATE)
    report.duplicate_of = duplicate_of
    report.save(update_fields=["duplicate_of", "updated_at"])
    case = _current_case(report)
    if case is not None:
        events.duplicate_marked(case=case, actor=actor, duplicate_of_report_id=duplicate_of.pk, reason=reason)
    return report


__all__ = [
    "report_submit", "reporter_reply", "handler_ask", "report_for_receipt", "report_confirm_type",
    "report_mark_duplicate", "messages_mark_read_by_reporter", "messages_mark_read_by_handler", "receipt_hash",
]
