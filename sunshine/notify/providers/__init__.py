"""SMS gateways behind one interface; the one in use is chosen by settings.SMS_PROVIDER (console|aliyun|tencent)."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import (  # noqa: F401 (re-exported)
    OutgoingSms,
    QueryOutcome,
    QueryResult,
    Receipt,
    SendOutcome,
    SendResult,
    SmsProvider,
)

PROVIDER_NAMES = ("console", "aliyun", "tencent")


def build_provider(name: str | None = None) -> SmsProvider:
    """A client for gateway `name` (default settings.SMS_PROVIDER), configured from settings."""
    name = name or getattr(settings, "SMS_PROVIDER", "console")
    if name == "console":
        from .console import ConsoleProvider

        path = getattr(settings, "SMS_CONSOLE_FILE", "")
        return ConsoleProvider(path=Path(path) if path else None)
    if name == "aliyun":
        from .aliyun import AliyunProvider

        return AliyunProvider.from_settings()
    if name == "tencent":
        from .tencent import TencentProvider

        return TencentProvider.from_settings()
    raise ImproperlyConfigured(f"SMS_PROVIDER must be one of {', '.join(PROVIDER_NAMES)}, not {name!r}")
