"""Celery tasks of the notify app: thin wrappers around services."""
from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(name="notify.tasks.dispatch_pending", ignore_result=True)
def dispatch_pending() -> str:
    """Deliver due SMS for a while; if more are due when the budget runs out, continue in a fresh task."""
    from sunshine.core.tasks import enqueue

    from .services import sms_dispatch_pending, sms_next_due_at

    report = sms_dispatch_pending(time_budget=getattr(settings, "SMS_DISPATCH_TIME_BUDGET", 50))
    logger.info("SMS dispatch: %s", report)
    if not report.throttled and report.claimed:
        due = sms_next_due_at()
        from django.utils import timezone

        if due is not None and due <= timezone.now():
            enqueue(dispatch_pending)
    return str(report)
