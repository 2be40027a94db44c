"""Celery tasks of the report desk: thin wrappers around services."""
from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="cases.tasks.check_deadlines", ignore_result=True)
def check_deadlines() -> str:
    """Write due deadline reminders and escalations (one of each per deadline, however often it runs)."""
    from .services import deadlines_check

    run = deadlines_check()
    logger.info("case deadlines: %s reminders, %s escalations", run.reminders, run.escalations)
    return f"{run.reminders} reminders, {run.escalations} escalations"


@shared_task(name="cases.tasks.classifier_retrain_if_due", ignore_result=True)
def classifier_retrain_if_due() -> bool:
    """Retrain the problem-type classifier once enough staff corrections have accumulated."""
    from .classifier import retrain_if_due

    return retrain_if_due()
