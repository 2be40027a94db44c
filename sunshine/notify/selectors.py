"""Reads of the SMS outbox; every list takes the actor and goes through jurisdiction scoping."""
from __future__ import annotations

from django.db.models import Count, QuerySet

from sunshine.org.jurisdiction import get_visible, visible

from .choices import SmsStatus
from .models import SmsAttempt, SmsMessage, SmsTemplate


def sms_list_visible_to(*, actor, status: str | None = None, template: str | None = None,
                        q: str = "") -> QuerySet[SmsMessage]:
    qs = visible(SmsMessage.objects.all(), actor=actor)
    if status in SmsStatus.values:
        qs = qs.filter(status=status)
    if template:
        qs = qs.filter(template_code=template)
    if q:
        # A phone number (whole) or an idempotency key prefix, e.g. "payment:" for one import's messages.
        qs = qs.filter(phone=q) if q.isdigit() else qs.filter(idempotency_key__startswith=q)
    # By id, newest first: ids follow the queueing order, and the primary key serves the sort.
    return qs.select_related("body").defer("body__params").order_by("-id")


def sms_status_counts(*, actor, template: str | None = None) -> dict[str, int]:
    """Messages per status the actor may see: every status present, zero for the rest (one GROUP BY)."""
    qs = visible(SmsMessage.objects.all(), actor=actor)
    if template:
        qs = qs.filter(template_code=template)
    counts = {s: 0 for s in SmsStatus.values}
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def sms_get_for(*, actor, pk: int) -> SmsMessage:
    return get_visible(SmsMessage.objects.select_related("body"), actor=actor, pk=pk)


def sms_attempts_of(*, message: SmsMessage) -> QuerySet[SmsAttempt]:
    return message.attempt_log.order_by("at", "id")


def sms_template_list(*, actor) -> QuerySet[SmsTemplate]:
    """The city's SMS templates (one set for the whole city): for those who read the outbox or edit templates."""
    from sunshine.org.capabilities import has_capability, require

    from .capabilities import Capability

    if not has_capability(actor, Capability.VIEW_OUTBOX):
        require(actor, Capability.EDIT_TEMPLATES)
    return SmsTemplate.objects.select_related("updated_by").order_by("code")


def sms_template_get(*, actor, pk: int) -> SmsTemplate:
    """One template, for its editor (403 without the capability, 404 when it does not exist)."""
    from sunshine.core.errors import NotFound
    from sunshine.org.capabilities import require

    from .capabilities import Capability

    require(actor, Capability.EDIT_TEMPLATES)
    template = SmsTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise NotFound()
    return template


def sms_template_names() -> dict[str, str]:
    return dict(SmsTemplate.objects.values_list("code", "name"))
