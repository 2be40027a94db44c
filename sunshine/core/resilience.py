"""Calls to the cache (Redis in production) that survive Redis being down: the caller gets a fallback, never a 500.

After a failure the cache is not tried again for CACHE_RETRY_SECONDS in this process, so a dead Redis costs one
connection attempt per process and half-minute, not one per request (a host that drops packets would otherwise
hold every request for the socket timeout).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)
T = TypeVar("T")
CACHE_RETRY_SECONDS = 30.0
_down_until = 0.0
_lock = threading.Lock()


class CacheUnavailable(Exception):
    """The cache did not answer (or was given up on a moment ago)."""


def cache_marked_down() -> bool:
    return time.monotonic() < _down_until


def cache_reset() -> None:
    """Forget a recorded failure (tests, and the health check that has just seen the cache answer)."""
    global _down_until
    _down_until = 0.0


def cache_call(operation: Callable[..., T], *args, **kwargs) -> T:
    """`operation(*args, **kwargs)` on the cache, or CacheUnavailable (logged once per retry period)."""
    global _down_until
    if cache_marked_down():
        raise CacheUnavailable("cache marked down")
    try:
        return operation(*args, **kwargs)
    except Exception as exc:  # redis-py's ConnectionError/TimeoutError and whatever a backend raises when down
        with _lock:
            first = not cache_marked_down()
            _down_until = time.monotonic() + CACHE_RETRY_SECONDS
        if first:
            logger.warning("cache unavailable (%s: %s); falling back for %ss", type(exc).__name__, exc,
                           int(CACHE_RETRY_SECONDS))
        raise CacheUnavailable(str(exc)) from exc


def cache_get(key: str, default=None):
    """cache.get, or `default` when the cache is down."""
    try:
        return cache_call(cache.get, key, default)
    except CacheUnavailable:
        return default


def cache_set(key: str, value, timeout: float | None = None) -> bool:
    """cache.set; False (nothing raised) when the cache is down."""
    try:
        cache_call(cache.set, key, value, timeout)
        return True
    except CacheUnavailable:
        return False


def cache_delete(key: str) -> None:
    try:
        cache_call(cache.delete, key)
    except CacheUnavailable:
        pass
