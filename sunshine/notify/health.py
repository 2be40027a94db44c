"""The SMS backlog in /api/v1/health: messages due for longer than HEALTH_SMS_BACKLOG_SECONDS mean no SMS worker
is delivering (or it is far behind)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sunshine.core.health import DEGRADED, OK, register

from .choices import SmsStatus
from .models import SmsMessage


@register("sms_backlog")
def sms_backlog() -> dict:
    now = timezone.now()
    late = now - dt.timedelta(seconds=settings.HEALTH_SMS_BACKLOG_SECONDS)
    due = SmsMessage.objects.filter(status__in=(SmsStatus.QUEUED, SmsStatus.UNKNOWN), next_attempt_at__lte=now)
    oldest = due.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    count = due.count()
    return {"status": DEGRADED if oldest is not None and oldest < late else OK, "due": count,
            "oldest_due_seconds": int((now - oldest).total_seconds()) if oldest else 0}
