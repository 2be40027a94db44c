"""Messages per second per gateway, shared by every worker through the cache (Redis in production); counted in
this process alone while the cache is down (each dispatcher then keeps to the rate by itself)."""
from __future__ import annotations

import time
from collections import Counter

from django.core.cache import cache

from sunshine.core.resilience import CacheUnavailable, cache_call

# Indirection so tests can run the limiter on a fake clock.
clock = time.time
sleep = time.sleep


class RateLimiter:
    """A fixed one-second window: at most `per_second` sends start in any wall-clock second, across workers."""

    def __init__(self, name: str, per_second: int | None):
        self.name = name
        self.per_second = per_second or 0
        self._local: Counter[int] = Counter()

    def acquire(self) -> None:
        if self.per_second <= 0:
            return
        while True:
            now = clock()
            second = int(now)
            key = f"sunshine:sms-rate:{self.name}:{second}"
            try:
                cache_call(cache.add, key, 0, timeout=5)
                used = cache_call(cache.incr, key)
            except ValueError:  # the key expired between add and incr
                continue
            except CacheUnavailable:
                self._local = Counter({second: self._local[second] + 1})
                used = self._local[second]
            if used <= self.per_second:
                return
            sleep(max(second + 1 - now, 0.001))
