"""Schedule background work after commit: Celery + Redis in production, in-process in embedded mode."""
from __future__ import annotations

import contextlib
import functools
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)
# Embedded mode: a small pool so a long import does not hold up SMS delivery; SQLite WAL serialises writers.
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sunshine-task")
    return _executor


def _run_in_thread(task, args: tuple, kwargs: dict) -> None:
    close_old_connections()
    try:
        task.apply(args=args, kwargs=kwargs, throw=True)
    except Exception:  # logged, never swallowed silently: the task's own rows record the failure
        logger.exception("embedded task %s failed", task.name)
    finally:
        connections.close_all()


def _dispatch(task, args: tuple, kwargs: dict) -> None:
    if getattr(settings, "SUNSHINE_TASKS_SYNC", False):
        task.apply(args=args, kwargs=kwargs, throw=True)
    elif settings.SUNSHINE_EMBEDDED_TASKS:
        try:
            _pool().submit(_run_in_thread, task, args, kwargs)
        except RuntimeError:
            # The process is exiting (a management command ended). Tasks keep their state in the database
            # (outbox rows, job rows), so the next dispatch or beat run picks the work up; nothing is lost.
            logger.info("process exiting; %s left for the next run", task.name)
    else:
        task.apply_async(args=args, kwargs=kwargs)


_deferred = threading.local()


@contextlib.contextmanager
def tasks_deferred():
    """Within the block, scheduled tasks are not run: their work stays recorded in the database (queued SMS,
    pending jobs) for the next dispatch or beat run. `seed_demo` uses it so the demo serves at once and the
    server's in-process beat delivers the demo's messages in the background."""
    previous = getattr(_deferred, "on", False)
    _deferred.on = True
    try:
        yield
    finally:
        _deferred.on = previous


def enqueue(task, *args, **kwargs) -> None:
    """Run `task(*args, **kwargs)` once the current transaction commits (immediately outside one)."""
    if getattr(_deferred, "on", False):
        logger.debug("deferred %s", task.name)
        return
    transaction.on_commit(functools.partial(_dispatch, task, args, kwargs))



from celery import shared_task  # noqa: E402  (kept beside the one task that needs it)


@shared_task(name="core.tasks.audit_prune", ignore_result=True)
def audit_prune() -> None:
    """Daily (CELERY_BEAT_SCHEDULE["core-audit-prune"]): delete audit records past their retention (≥ 180 days)."""
    from .audit import audit_prune as prune

    prune()
