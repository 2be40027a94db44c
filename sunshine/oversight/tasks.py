"""Celery tasks of oversight: thin wrappers around services."""
from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="oversight.tasks.rectifications_check", ignore_result=True)
def rectifications_check() -> str:
    """Escalate overdue rectification items (once per item and deadline, however often it runs)."""
    from .services.rectifications import rectifications_check as check

    run = check()
    logger.info("rectification items: %s escalated", run.escalations)
    return f"{run.escalations} escalations"
