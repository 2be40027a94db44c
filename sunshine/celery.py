"""Celery application. Tasks are thin wrappers around services (see sunshine.core.tasks.enqueue).

Queues (settings.CELERY_TASK_ROUTES): `sms`, `imports` and `default`, one worker each in production. When a worker
or beat starts it sends settings.SUNSHINE_TASKS_ON_START (the task outbox, the SMS dispatch, the import-job reaper),
so work left by a dead worker or recorded while Redis was down resumes at once, not at the next beat tick.
"""
import logging
import os

from celery import Celery
from celery.signals import beat_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunshine.settings.local")

logger = logging.getLogger(__name__)
app = Celery("sunshine")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def kick_start_tasks(**_signal) -> None:
    """Drain the task outbox here (this process has the broker and the database), then send the start-up tasks."""
    from django.conf import settings

    from sunshine.core.tasks import task_outbox_drain

    try:
        task_outbox_drain(grace_seconds=0)
        for name in settings.SUNSHINE_TASKS_ON_START:
            app.send_task(name)
    except Exception:  # a start-up kick must never stop the worker; beat's ticks do the same work later
        logger.exception("start-up tasks not sent")


worker_ready.connect(kick_start_tasks, weak=False)
beat_init.connect(kick_start_tasks, weak=False)
