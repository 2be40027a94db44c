"""通报曝光 (三(三)2): proposed by the handling office, approved by a second person of the special governance
office before anything is public, or sent back with a comment and proposed again.

Exposure.status has one writer, `_exposure_set_status`, which checks the edge against EXPOSURE_TRANSITIONS;
`exposure_propose` and `exposure_review` are the two services that call it.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError, Forbidden
from sunshine.core.masking import mask_name, mask_text

from .. import events
from ..capabilities import Capability
from ..choices import CONCLUDED_STATUSES, ExposureStatus, Finding
from ..models import Case, Exposure, ExposurePerson, ReporterIdentity
from ._access import lock_case
from ._common import clean_text, require_capability

MAX_PEOPLE = 5

# from -> allowed targets ("" is a new exposure).
EXPOSURE_TRANSITIONS: dict[str, set[str]] = {
    "": {ExposureStatus.PENDING},
    ExposureStatus.RETURNED: {ExposureStatus.PENDING},
    ExposureStatus.PENDING: {ExposureStatus.PUBLISHED, ExposureStatus.RETURNED},
    ExposureStatus.PUBLISHED: set(),
}


def _exposure_set_status(exposure: Exposure, *, source: str, to: str, actor) -> list[str]:
    """The one writer of Exposure.status: checks the edge, sets the fields that go with the new status."""
    if to not in EXPOSURE_TRANSITIONS[source]:
        raise ApplicationError("该通报不在待审核状态", code=CasesErrorCode.NOT_PENDING)
    exposure.status = to
    if to == ExposureStatus.PUBLISHED:
        exposure.published_at = timezone.now()
        exposure.published_by = actor
    return ["status", "published_at", "published_by"]


@dataclass(frozen=True)
class ExposedPerson:
    name: str
    title: str = ""
    is_named_official: bool = False  # an official the exposure names in full; everyone else is masked
    measure: str = ""


def _minimise(body: str, *, people: list[ExposedPerson], reporter_terms: list[str]) -> str:
    for term in sorted((t for t in reporter_terms if t), key=len, reverse=True):
        body = body.replace(term, "***")
    for person in people:
        if not person.is_named_official and person.name:
            body = body.replace(person.name, mask_name(person.name))
    # No ID, mobile or card number in a public notice, whoever it belongs to: the one free-text masking.
    return mask_text(body)


def _reporter_terms(case: Case) -> list[str]:
    """The reporter's name and phone, decrypted only to scrub them from the public text (never shown or logged)."""
    from sunshine.core import crypto

    identity = ReporterIdentity.objects.filter(report_id=case.report_id).first()
    if identity is None:
        return []
    return [crypto.decrypt(identity.name_encrypted), crypto.decrypt(identity.phone_encrypted),
            crypto.decrypt(identity.id_number_encrypted)]


@transaction.atomic
def exposure_propose(*, case: Case, actor, title: str, body: str, people: list[ExposedPerson]) -> Exposure:
    """Propose (or, once sent back, propose again) a concluded, substantiated case for 通报曝光.

    The text is stored minimised (names masked unless officials named in it); nothing is public until
    `exposure_review` approves it.
    """
    require_capability(actor, Capability.PUBLISH_EXPOSURE)
    case = lock_case(case=case, actor=actor)
    if case.status not in CONCLUDED_STATUSES:
        raise ApplicationError("案件办结后才能登记处理结果", code=CasesErrorCode.NOT_CONCLUDED)
    if case.finding not in (Finding.SUBSTANTIATED, Finding.PARTLY):
        raise ApplicationError("只有查实的案件可以通报曝光", code=CasesErrorCode.NOT_SUBSTANTIATED)
    exposure = Exposure.objects.select_for_update().filter(case=case).first()
    source = exposure.status if exposure is not None else ""
    if ExposureStatus.PENDING not in EXPOSURE_TRANSITIONS[source]:
        raise ApplicationError("该案件的通报已提交审核或已发布", code=CasesErrorCode.ALREADY_EXPOSED)
    title = clean_text(title, field="标题", max_length=120)
    body = clean_text(body, field="通报内容", max_length=10000)
    people = [p for p in people if p.name][:MAX_PEOPLE]
    terms = _reporter_terms(case)
    if exposure is None:
        exposure = Exposure(case=case)
    exposure.title = _minimise(title, people=people, reporter_terms=terms)
    exposure.body = _minimise(body, people=people, reporter_terms=terms)
    _exposure_set_status(exposure, source=source, to=ExposureStatus.PENDING, actor=actor)
    exposure.proposed_by = actor
    exposure.save()
    exposure.people.all().delete()
    ExposurePerson.objects.bulk_create([
        ExposurePerson(exposure=exposure, shown_name=p.name if p.is_named_official else mask_name(p.name),
                       title=p.title[:80], is_named_official=p.is_named_official, measure=p.measure)
        for p in people
    ])
    events.exposure_proposed(case=case, actor=actor, exposure_id=exposure.pk)
    return exposure


@transaction.atomic
def exposure_review(*, exposure: Exposure, actor, approve: bool, comment: str = "") -> Exposure:
    """The special governance office approves a proposed exposure (it becomes public) or sends it back with a
    comment. The approver must be a second person, not the one who proposed it."""
    require_capability(actor, Capability.REVIEW_EXPOSURE)
    case = lock_case(case=exposure.case, actor=actor)
    exposure = Exposure.objects.select_for_update().get(pk=exposure.pk, case=case)
    if exposure.status != ExposureStatus.PENDING:
        raise ApplicationError("该通报不在待审核状态", code=CasesErrorCode.NOT_PENDING)
    if exposure.proposed_by_id == actor.pk:
        raise Forbidden("通报须由拟稿人以外的人员审核")
    comment = clean_text(comment, field="退回意见", max_length=1000, required=not approve)
    exposure.review_comment = comment
    exposure.reviewed_at = timezone.now()
    fields = _exposure_set_status(exposure, source=exposure.status,
                                  to=ExposureStatus.PUBLISHED if approve else ExposureStatus.RETURNED, actor=actor)
    exposure.save(update_fields=[*fields, "review_comment", "reviewed_at", "updated_at"])
    events.exposure_reviewed(case=case, actor=actor, exposure_id=exposure.pk, approved=approve, comment=comment)
    return exposure


__all__ = ["ExposedPerson", "exposure_propose", "exposure_review"]
