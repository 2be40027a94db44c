"""In embedded mode (no Redis), run Celery beat's schedule in-process so retries and deadline checks still happen.

Started by the server process only (`sunshine runserver`/gunicorn with SUNSHINE_EMBEDDED_BEAT=1, as `make demo`
sets it), never by tests or one-off commands. Each entry runs its task through the same thread pool as
`enqueue`; the tasks are idempotent, so a run at start-up and one a minute later do no harm.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)
_started = False
_lock = threading.Lock()
TICK_SECONDS = 5


def _interval(schedule) -> float:
    if isinstance(schedule, (int, float)):
        return float(schedule)
    seconds = getattr(schedule, "run_every", None)
    return seconds.total_seconds() if seconds is not None else 3600.0


def _loop(entries: list[tuple[str, str, float]]) -> None:
    from sunshine.celery import app

    from .tasks import _dispatch

    app.loader.import_default_modules()  # register every app's tasks.py, as a worker does at start

    next_run = {name: time.monotonic() + 10 for name, _, _ in entries}  # let the server finish starting
    while True:
        now = time.monotonic()
        for name, task_name, every in entries:
            if now >= next_run[name]:
                next_run[name] = now + every
                task = app.tasks.get(task_name)
                if task is None:
                    logger.warning("embedded beat: no task %s", task_name)
                    continue
                _dispatch(task, (), {})
        time.sleep(TICK_SECONDS)


def start_if_wanted() -> bool:
    """Start the in-process scheduler once, if this process is an embedded-mode server that asked for it."""
    global _started
    if not settings.SUNSHINE_EMBEDDED_TASKS or os.environ.get("SUNSHINE_EMBEDDED_BEAT") != "1":
        return False
    with _lock:
        if _started:
            return False
        _started = True
    entries = [(name, entry["task"], _interval(entry["schedule"]))
               for name, entry in settings.CELERY_BEAT_SCHEDULE.items()]
    threading.Thread(target=_loop, args=(entries,), name="sunshine-embedded-beat", daemon=True).start()
    logger.info("embedded beat started: %s", ", ".join(name for name, _, _ in entries))
    return True
