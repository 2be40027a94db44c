"""Helpers shared by i13b's services: the actor's unit and the audited write context."""
from __future__ import annotations

import contextlib

from django.db import transaction

from sunshine.core.errors import ApplicationError

from ..errors import OversightErrorCode


def actor_unit(actor):
    """The unit an actor writes for; a write by an account without a unit is refused."""
    from sunshine.org.models import Unit

    if not getattr(actor, "unit_id", None):
        raise ApplicationError("您的账号未关联单位,不能登记", code=OversightErrorCode.BAD_INPUT)
    return Unit.objects.get(pk=actor.unit_id)


@contextlib.contextmanager
def audited(actor):
    """One transaction whose field changes (django-auditlog) carry the acting user."""
    from auditlog.context import set_actor

    with transaction.atomic(), set_actor(actor):
        yield


def clean_text(value: str, *, label: str, max_length: int, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ApplicationError(f"请填写{label}", code=OversightErrorCode.BAD_INPUT)
    if len(text) > max_length:
        raise ApplicationError(f"{label}不能超过 {max_length} 个字", code=OversightErrorCode.BAD_INPUT)
    return text
