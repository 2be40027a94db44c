"""Helpers shared by the report-desk services: validation, capability checks, SMS to reporters and staff."""
from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from sunshine.cases.errors import CasesErrorCode
from sunshine.core import public_urls
from sunshine.core.errors import ApplicationError, CoreErrorCode, Forbidden
from sunshine.org.capabilities import has_capability

logger = logging.getLogger(__name__)


def full_clean(obj, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        messages = "; ".join(" ".join(v) for v in exc.message_dict.values())
        raise ApplicationError(messages, code=CoreErrorCode.INVALID) from exc


def require_capability(actor, capability: str) -> None:
    if not has_capability(actor, capability):
        raise Forbidden()


def clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"请填写{field}", code=CasesErrorCode.REQUIRED)
    if len(text) > max_length:
        raise ApplicationError(f"{field}不能超过{max_length}字", code=CasesErrorCode.TOO_LONG)
    return text


def status_url() -> str:
    """The public status page (the reporter types the receipt code there; it never travels in a link)."""
    return public_urls.report_status_url()


def sms(*, phone: str, template: str, params: dict[str, str], idempotency_key: str, purpose: str,
        related: tuple[str, int] | None, is_reporter: bool = False) -> None:
    """Queue one SMS in the current transaction (notify outbox); the outbox records bad numbers itself."""
    from sunshine.notify.services import sms_queue

    # protected: the reporter's number and the message are whistleblower data, encrypted in the outbox too.
    sms_queue(phone=phone, template=template, params={k: str(v) for k, v in params.items()},
              idempotency_key=idempotency_key, purpose=purpose, related=related, protected=is_reporter)
