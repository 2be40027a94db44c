"""Celery tasks of the statistics app: thin wrappers around its services."""
from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="stats.tasks.refresh_summaries", ignore_result=True)
def refresh_summaries() -> str:
    """Recompute every table's default summaries ahead of readers (the pages then never wait for a computation)."""
    from .summary import refresh_all

    done = refresh_all()
    total = sum(seconds for _, _, seconds in done)
    logger.info("stats summaries: %s computed in %.1f s", len(done), total)
    return f"{len(done)} summaries in {total:.1f} s"
