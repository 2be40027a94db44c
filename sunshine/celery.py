"""Celery application. Tasks are thin wrappers around services (see sunshine.core.tasks.enqueue)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunshine.settings.local")

app = Celery("sunshine")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
