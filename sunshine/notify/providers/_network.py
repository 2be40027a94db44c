"""Telling a request that never reached the gateway from one whose answer was lost."""
from __future__ import annotations

# Failures before the request was written (nothing can have been sent): safe to retry without asking.
_NOT_SENT_MARKERS = (
    "NewConnectionError", "ConnectTimeoutError", "ConnectTimeout", "Connection refused", "NameResolutionError",
    "Failed to resolve", "Name or service not known", "nodename nor servname",
)


def never_reached_gateway(error_text: str) -> bool:
    """True only when the error text proves the connection was never made; anything else may have been sent."""
    return any(marker in error_text for marker in _NOT_SENT_MARKERS)


def parse_code_map(value: str | dict) -> dict[str, str]:
    """'payment_notice=SMS_123,account_transaction=SMS_456' (as in the environment) → dict."""
    if isinstance(value, dict):
        return dict(value)
    pairs = (item.split("=", 1) for item in value.split(",") if "=" in item)
    return {k.strip(): v.strip() for k, v in pairs if k.strip() and v.strip()}
