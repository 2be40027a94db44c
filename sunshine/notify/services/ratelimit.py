"""Messages per second per gateway, shared by every worker through the cache (Redis in production)."""
from __future__ import annotations

import time

from django.core.cache import cache

# Indirection so tests can run the limiter on a fake clock.
clock = time.time
sleep = time.sleep


class RateLimiter:
    """A fixed one-second window: at most `per_second` sends start in any wall-clock second, across workers."""

    def __init__(self, name: str, per_second: int | None):
        self.name = name
        self.per_second = per_second or 0

    def acquire(self) -> None:
        if self.per_second <= 0:
            return
        while True:
            now = clock()
            second = int(now)
            key = f"sunshine:sms-rate:{self.name}:{second}"
            cache.add(key, 0, timeout=5)
            try:
                used = cache.incr(key)
            except ValueError:  # the key expired between add and incr
                continue
            if used <= self.per_second:
                return
            sleep(max(second + 1 - now, 0.001))
