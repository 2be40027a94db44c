"""SMS the report desk sends to a real-name reporter (notify outbox, written in the caller's transaction)."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from ..choices import EventKind
from ..models import Case
from ._common import sms, status_url
from .protection import identity_phone_for_notice

ACCEPTED = "accepted"
CLOSED = "closed"
_TEMPLATES = {ACCEPTED: "report_accepted", CLOSED: "report_closed"}


def reporter_notify(*, case: Case, notice: str) -> None:
    """Tell a real-name reporter their report was accepted (受理) or closed (办结); anonymous reporters read
    the status page with their receipt code instead."""
    report = case.report
    if not report.is_real_name:
        return
    phone = identity_phone_for_notice(report=report)
    if not phone:
        return
    # A reopened case may be accepted and closed again: each occurrence is its own message.
    occurrence = case.events.filter(kind=EventKind.TRANSITION, to_status=case.status).count()
    sms(phone=phone, template=_TEMPLATES[notice],
        params={"receipt_hint": report.receipt_hint, "date": f"{timezone.localdate():%Y-%m-%d}",
                "hotline": settings.SUNSHINE["HOTLINE"], "status_url": status_url()},
        idempotency_key=f"cases:case:{case.pk}:{notice}:{occurrence}", purpose="举报办理告知",
        related=("cases.case", case.pk), is_reporter=True)
