"""What /api/v1/health reports: each dependency (database, cache, broker) and each backlog that shows one is down
(tasks waiting for the broker, SMS waiting for a worker, import jobs whose process died).

Apps add their own checks with `register` (notify adds the SMS backlog), so core needs to know none of them.
Overall: "ok"; "degraded" when a check is not ok (the site serves, something is late); "down" when the database
is unreachable (nothing can be served: HTTP 503).
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .resilience import CacheUnavailable, cache_call, cache_reset

logger = logging.getLogger(__name__)
OK, DEGRADED, DOWN = "ok", "degraded", "down"
OUTBOX_LATE_SECONDS = 120
CHECKS: dict[str, Callable[[], dict]] = {}


def register(name: str):
    """Add a check: a function returning {"status": "ok" | "degraded" | "down", ...details}."""

    def decorator(function: Callable[[], dict]) -> Callable[[], dict]:
        CHECKS[name] = function
        return function

    return decorator


def _age_seconds(moment: dt.datetime | None) -> int:
    return max(int((timezone.now() - moment).total_seconds()), 0) if moment else 0


@register("database")
def database() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": OK, "vendor": connection.vendor}


@register("cache")
def cache_check() -> dict:
    key = f"health:{uuid.uuid4().hex}"
    cache_reset()  # ask the cache itself, not the memory of a failure a moment ago
    started = time.monotonic()
    try:
        cache_call(cache.set, key, 1, 10)
        cache_call(cache.delete, key)
    except CacheUnavailable as exc:
        return {"status": DOWN, "error": str(exc)[:200]}
    return {"status": OK, "ms": round((time.monotonic() - started) * 1000, 1)}


@register("broker")
def broker() -> dict:
    from .tasks import broker_mode

    if not broker_mode():
        return {"status": OK, "mode": "embedded"}
    from sunshine.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.REDIS_TIMEOUT_SECONDS)
    except Exception as exc:
        return {"status": DOWN, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"status": OK}


@register("task_outbox")
def task_outbox() -> dict:
    from django.db.models import Min

    from .models import TaskOutbox

    summary = TaskOutbox.objects.aggregate(oldest=Min("created_at"))
    waiting = TaskOutbox.objects.count()
    oldest = _age_seconds(summary["oldest"])
    return {"status": DEGRADED if oldest > OUTBOX_LATE_SECONDS else OK, "waiting": waiting,
            "oldest_seconds": oldest}


@register("stuck_jobs")
def stuck_jobs() -> dict:
    from .importjobs import import_jobs_stale

    stale = import_jobs_stale()
    return {"status": DEGRADED if stale else OK, "count": len(stale)}


def health_report() -> tuple[int, dict]:
    """(HTTP status, body) of the health answer."""
    checks: dict[str, dict] = {}
    for name, function in CHECKS.items():
        try:
            checks[name] = function()
        except Exception as exc:
            logger.warning("health check %s failed: %s", name, exc)
            checks[name] = {"status": DOWN, "error": f"{type(exc).__name__}"}
            if name == "database":
                break  # every other check reads the database
    if checks["database"]["status"] == DOWN:
        return 503, {"status": DOWN, "checks": checks}
    status = OK if all(c["status"] == OK for c in checks.values()) else DEGRADED
    return 200, {"status": status, "checks": checks}
