"""Schedule background work after commit: Celery + Redis in production, in-process in embedded mode.

With a broker (production) every task goes through a transactional outbox (`core.TaskOutbox`): the row is written
in the caller's transaction, the task is handed to the broker after commit and the row deleted. While the broker is
down the row stays, and `task_outbox_drain` sends it when the broker is back: at worker and beat start-up (signals
in sunshine/celery.py), on a beat tick, or by `sunshine tasks_drain`. A write never fails because Redis is down,
and the work it needs is never lost. Every task is idempotent, so a task sent twice (a crash between the send and
the row's deletion) does no harm.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)
# A row younger than this may still be on its way to the broker from the request that wrote it.
OUTBOX_GRACE_SECONDS = 10
OUTBOX_DRAIN_BATCH = 1000
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


def broker_mode() -> bool:
    """True when tasks go to Celery through a broker (production), not in-process or inline (embedded, tests)."""
    return not getattr(settings, "SUNSHINE_TASKS_SYNC", False) and not settings.SUNSHINE_EMBEDDED_TASKS


def enqueue(task, *args, **kwargs) -> None:
    """Run `task(*args, **kwargs)` once the current transaction commits (immediately outside one).

    With a broker, the task is first recorded in the outbox in the current transaction (arguments must be JSON)."""
    if getattr(_deferred, "on", False):
        logger.debug("deferred %s", task.name)
        return
    if broker_mode():
        from .models import TaskOutbox

        row = TaskOutbox.objects.create(task=task.name, args=list(args), kwargs=kwargs)
        # robust: the caller's write is committed whatever the broker does; a failure is logged, the row kept.
        transaction.on_commit(functools.partial(_send_recorded, row.pk, task.name, args, kwargs), robust=True)
        return
    transaction.on_commit(functools.partial(_dispatch, task, args, kwargs))


def _send(name: str, args, kwargs) -> None:
    from sunshine.celery import app

    # No publish retries: a request must not wait on a dead broker (the outbox row is the retry).
    app.send_task(name, args=list(args), kwargs=dict(kwargs), retry=False)


# After a failed send, requests leave their tasks in the outbox for this long without trying the broker (a refused
# connection still costs seconds of client retries; the drain tries regardless).
BROKER_RETRY_SECONDS = 30.0
_broker_down_until = 0.0


def _send_recorded(pk: int, name: str, args, kwargs) -> None:
    global _broker_down_until
    from .models import TaskOutbox

    if time.monotonic() < _broker_down_until:
        return  # the row waits for the drain
    try:
        _send(name, args, kwargs)
    except Exception as exc:  # the broker is down or refused: the row stays for the drain
        _broker_down_until = time.monotonic() + BROKER_RETRY_SECONDS
        logger.warning("broker unavailable; task %s kept in the outbox (%s: %s)", name, type(exc).__name__, exc)
        TaskOutbox.objects.filter(pk=pk).update(attempts=F("attempts") + 1,
                                                last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return
    TaskOutbox.objects.filter(pk=pk).delete()


def broker_reset() -> None:
    """Forget a recorded broker failure (tests; the drain after it succeeded)."""
    global _broker_down_until
    _broker_down_until = 0.0


@dataclass
class DrainReport:
    sent: int = 0  # outbox rows whose task the broker now has
    tasks: int = 0  # tasks sent (identical waiting calls go once)
    left: int = 0
    error: str = ""

    def __str__(self) -> str:
        return f"sent={self.sent} tasks={self.tasks} left={self.left}" + (f" error={self.error}" if self.error else "")


def task_outbox_drain(*, limit: int = OUTBOX_DRAIN_BATCH, grace_seconds: float = OUTBOX_GRACE_SECONDS
                      ) -> DrainReport:
    """Send the tasks waiting in the outbox to the broker, oldest first; identical calls (a dispatch asked for by
    many writes while the broker was down) are sent once. Stops at the first broker failure."""
    from .models import TaskOutbox

    report = DrainReport()
    if not broker_mode():  # embedded mode runs tasks in-process and writes no outbox rows
        return report
    while True:
        cutoff = timezone.now() - dt.timedelta(seconds=grace_seconds)
        # Durable: rows handed to the broker are deleted in a commit of their own, never in a caller's transaction
        # that could roll the delete back after the broker already has the task (it would be sent twice).
        with transaction.atomic(durable=True):
            qs = TaskOutbox.objects.filter(created_at__lte=cutoff).order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                qs = qs.select_for_update(skip_locked=True)  # two drains at once take different rows
            rows = list(qs[:limit])
            groups: dict[tuple[str, str, str], list[int]] = {}
            for row in rows:
                key = (row.task, json.dumps(row.args), json.dumps(row.kwargs, sort_keys=True))
                groups.setdefault(key, []).append(row.pk)
            sent: list[int] = []
            for (name, args, kwargs), ids in groups.items():
                try:
                    _send(name, json.loads(args), json.loads(kwargs))
                except Exception as exc:
                    report.error = f"{type(exc).__name__}: {exc}"[:2000]
                    TaskOutbox.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1,
                                                                 last_error=report.error)
                    break
                sent.extend(ids)
                report.tasks += 1
            TaskOutbox.objects.filter(pk__in=sent).delete()
        report.sent += len(sent)
        if report.error or len(rows) < limit:
            break
    if not report.error:
        broker_reset()
    report.left = TaskOutbox.objects.count()
    if report.sent or report.error:
        logger.info("task outbox drained: %s", report)
    return report


@shared_task(name="core.tasks.outbox_drain", ignore_result=True)
def outbox_drain() -> str:
    """Send the tasks left in the outbox while the broker was down (beat, and worker start-up)."""
    return str(task_outbox_drain())


@shared_task(name="core.tasks.import_jobs_reap", ignore_result=True)
def import_jobs_reap() -> str:
    """Mark failed the import jobs whose process has gone silent (killed, crashed, or never started)."""
    from .importjobs import import_jobs_reap as reap

    return f"{len(reap())} jobs marked failed"


@shared_task(name="core.tasks.audit_prune", ignore_result=True)
def audit_prune() -> None:
    """Daily (CELERY_BEAT_SCHEDULE["core-audit-prune"]): delete audit records past their retention (≥ 180 days)."""
    from .audit import audit_prune as prune

    prune()
