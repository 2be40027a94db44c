"""`check --deploy`: the staff-account protections a Level 3 assessment (等保三级) expects cannot be switched off or
loosened through the environment without the deploy check failing (`--fail-level WARNING`, docs/deploy.md)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def staff_protections(app_configs=None, **kwargs) -> list[Warning]:
    found = []

    def warn(number: int, message: str, hint: str) -> None:
        found.append(Warning(message, hint=hint, id=f"sunshine.W{number:03d}"))

    if not getattr(settings, "SUNSHINE_REQUIRE_2FA", False):
        warn(1, "Two-factor login is off (SUNSHINE_REQUIRE_2FA).", "Remove SUNSHINE_REQUIRE_2FA=0 from the environment.")
    if not getattr(settings, "AXES_ENABLED", False):
        warn(2, "The staff login lockout is off (AXES_ENABLED).", "Remove AXES_ENABLED=0 from the environment.")
    if getattr(settings, "AXES_FAILURE_LIMIT", 5) > 5:
        warn(3, "More than 5 failed logins are allowed before the lock (AXES_FAILURE_LIMIT).", "Set it to 5 or less.")
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cooloff, dt.timedelta) and cooloff < dt.timedelta(minutes=30):
        warn(4, "The lock after failed logins lasts under 30 minutes (AXES_COOLOFF_MINUTES).", "Set it to 30 or more.")
    if getattr(settings, "SESSION_IDLE_SECONDS", 0) > 30 * 60 or not getattr(settings, "SESSION_IDLE_SECONDS", 0):
        warn(5, "Staff sessions stay open more than 30 idle minutes (SESSION_IDLE_SECONDS).", "Set it to 1800 or less.")
    absolute = getattr(settings, "SESSION_ABSOLUTE_SECONDS", 0)
    if absolute > 12 * 60 * 60 or not absolute:
        warn(6, "Staff sessions last more than 12 hours (SESSION_ABSOLUTE_SECONDS).", "Set it to 43200 or less.")
    return found
