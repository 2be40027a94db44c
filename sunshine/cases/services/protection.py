"""Whistleblower protection: the identity is encrypted apart from the report; every read is checked and logged."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from sunshine.cases.errors import CasesErrorCode
from sunshine.core import crypto
from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError, Forbidden, NotFound
from sunshine.core.validators import normalize_id_number, normalize_mobile
from sunshine.org.choices import Role
from sunshine.org.jurisdiction import get_visible

from ..capabilities import Capability
from ..models import Case, IdentityAccessLog, Report, ReporterIdentity
from ._common import require_capability

MIN_REASON_LENGTH = 4


@dataclass(frozen=True)
class IdentityView:
    """The decrypted identity, handed only to the discipline officer who asked with a reason."""

    name: str
    phone: str
    id_number: str


def clean_real_name(real_name: dict) -> IdentityView:
    """Normalise and validate a reporter's name, mobile (required) and ID number (optional)."""
    name = (real_name.get("name") or "").strip()
    if not name:
        raise ApplicationError("实名举报请填写姓名", code=CasesErrorCode.IDENTITY_NAME)
    if len(name) > 40:
        raise ApplicationError("姓名过长", code=CasesErrorCode.IDENTITY_NAME)
    try:
        phone = normalize_mobile(real_name.get("phone") or "")
    except ValidationError as exc:
        raise ApplicationError("实名举报请填写正确的手机号码，以便告知办理结果", code=CasesErrorCode.IDENTITY_PHONE) from exc
    id_number = ""
    if real_name.get("id_number"):
        try:
            id_number = normalize_id_number(real_name["id_number"])
        except ValidationError as exc:
            raise ApplicationError(exc.messages[0], code=CasesErrorCode.IDENTITY_ID_NUMBER) from exc
    return IdentityView(name=name, phone=phone, id_number=id_number)


def fingerprint(view: IdentityView) -> str:
    """Keyed hash that matches one person's reports without decrypting (ID number, else phone)."""
    basis = view.id_number or view.phone
    return hmac.new(settings.SECRET_KEY.encode(), f"reporter:{basis}".encode(), hashlib.sha256).hexdigest()


def identity_create(*, report: Report, view: IdentityView) -> ReporterIdentity:
    return ReporterIdentity.objects.create(
        report=report,
        name_encrypted=crypto.encrypt(view.name),
        phone_encrypted=crypto.encrypt(view.phone),
        id_number_encrypted=crypto.encrypt(view.id_number),
        fingerprint=fingerprint(view),
    )


def identity_phone_for_notice(*, report: Report) -> str:
    """The reporter's phone for a system SMS (acceptance, closure): no person reads it, so nothing is logged."""
    identity = ReporterIdentity.objects.filter(report=report).first()
    return crypto.decrypt(identity.phone_encrypted) if identity else ""


@transaction.atomic
def identity_read(*, case: Case, actor, reason: str) -> IdentityView:
    """Decrypt the reporter's identity for the handling discipline officer, with a stated reason; logged."""
    require_capability(actor, Capability.READ_IDENTITY)
    # The capability alone is not enough: only discipline staff of the unit that handles this very case.
    if getattr(actor, "role", None) != Role.DISCIPLINE:
        raise Forbidden("只有承办案件的纪检监察干部可以查阅举报人身份")
    case = get_visible(Case.objects.select_related("report"), actor=actor, pk=case.pk)
    if case.handling_unit_id != actor.unit_id:
        raise Forbidden("只有承办本案的纪检监察机构可以查阅举报人身份")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ApplicationError("请说明查阅举报人身份的理由", code=CasesErrorCode.REASON_REQUIRED)
    identity = ReporterIdentity.objects.filter(report_id=case.report_id).first()
    if identity is None:
        raise NotFound("该举报为匿名举报，没有举报人身份信息", code=CasesErrorCode.ANONYMOUS)
    # The access log is the case file's own record, shown to the governance office with the stated reason; the
    # audit record is the security trail (no reason text: it may name people).
    IdentityAccessLog.objects.create(identity=identity, case=case, actor=actor, actor_unit_id=actor.unit_id,
                                     reason=reason)
    audit_record(event=AuditEvent.IDENTITY_READ, actor=actor, obj=case)
    return IdentityView(name=crypto.decrypt(identity.name_encrypted), phone=crypto.decrypt(identity.phone_encrypted),
                        id_number=crypto.decrypt(identity.id_number_encrypted))
