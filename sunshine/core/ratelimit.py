"""Rate limits for public endpoints (household lookup, report form): fixed windows counted in the cache, and in
the database while the cache is down (a report is never refused or lost because Redis is).

Written here rather than taken from django-ratelimit because we need the same limiter from views, ninja routes and
services, keyed by our own scopes, with a clear Chinese message with the wait time, and a database fallback.

No store ever holds an address: a key is an HMAC of the address (and scope) under a key derived from SECRET_KEY
and the day, so the digests of one day cannot be linked to the next day's, nor reversed by hashing every IPv4
address (which a plain hash would allow).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sunshine.core.errors import CoreErrorCode

from .errors import ApplicationError
from .resilience import CacheUnavailable, cache_call

logger = logging.getLogger(__name__)
DIGEST_CHARS = 40
PURGE_CHANCE = 0.01  # share of database-counted hits that also delete expired counters


class RateLimited(ApplicationError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__(f"操作过于频繁，请 {retry_after} 秒后再试", code=CoreErrorCode.RATE_LIMITED, extra={"retry_after": retry_after})
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


def client_ip(request) -> str:
    """The client's address: the socket's, or behind SUNSHINE_TRUSTED_PROXY_COUNT proxies the entry that the
    outermost of them appended to X-Forwarded-For.

    Every proxy appends the address it was connected from (nginx: `$proxy_add_x_forwarded_for`), so with N trusted
    proxies the client is the N-th entry from the right; anything to its left was written by the client and is
    ignored. A header shorter than that (a request that did not come through the proxies) counts the socket's
    address. Hand-written rather than django-ipware: ipware counts proxies by the entries it finds in the header
    and, with a spoofed extra entry, either gives up (strict) or returns the spoofed value, while this rule is
    three lines and the one nginx documents (docs/deploy-proxy.md).
    """
    socket_address = request.META.get("REMOTE_ADDR", "")
    trusted = settings.SUNSHINE_TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return socket_address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return socket_address
    try:
        return str(ipaddress.ip_address(hops[-trusted]))
    except ValueError:  # not an address: the proxies are misconfigured; never key a limit on free text
        return socket_address


def day_key(day: dt.date) -> bytes:
    """The day's secret: derived from SECRET_KEY, so it is never stored, and different every day (UTC)."""
    return salted_hmac("sunshine.core.ratelimit.day", day.isoformat()).digest()


def keyed_digest(scope: str, key: str, *, at: float | None = None) -> str:
    """The HMAC of `key` within `scope` under the secret of the day `at` falls on (now by default)."""
    day = dt.datetime.fromtimestamp(time.time() if at is None else at, dt.UTC).date()
    return hmac.new(day_key(day), f"{scope}\x1f{key}".encode(), hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def _window(limit: Limit) -> tuple[int, str]:
    window = int(time.time()) // limit.seconds
    return window, f"{limit.name}:{window}"


def _retry_after(limit: Limit) -> int:
    return max(limit.seconds - int(time.time()) % limit.seconds, 1)


def _db_count(digest: str) -> int:
    from .models import RateCounter

    return RateCounter.objects.filter(key=digest, expires_at__gt=timezone.now()).values_list(
        "count", flat=True).first() or 0


def _db_hit(digest: str, *, seconds: int) -> int:
    """Count one in the database (the cache is down); returns the new count."""
    from .models import RateCounter

    now = timezone.now()
    with transaction.atomic():
        if not RateCounter.objects.filter(key=digest).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=digest, count=1,
                                               expires_at=now + dt.timedelta(seconds=seconds + 1))
            except IntegrityError:  # another request created it first
                RateCounter.objects.filter(key=digest).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=digest).values_list("count", flat=True).first() or 1
    if random.random() < PURGE_CHANCE:
        RateCounter.objects.filter(expires_at__lt=now).delete()
    return count


def hit(limit: Limit, key: str) -> None:
    """Count one attempt for `key` under `limit`; raise RateLimited when the window is full."""
    _, scope = _window(limit)
    digest = keyed_digest(scope, key)
    cache_key = f"rl:{scope}:{digest}"
    try:
        added = cache_call(cache.add, cache_key, 1, timeout=limit.seconds + 1)
        count = 1 if added else cache_call(cache.incr, cache_key)
    except CacheUnavailable:
        count = _db_hit(digest, seconds=limit.seconds)
    except ValueError:  # the key expired between add and incr: a fresh window
        count = 1
    if count > limit.count:
        raise RateLimited(_retry_after(limit))


def hit_request(limit: Limit, request, *extra: str) -> None:
    hit(limit, "|".join([client_ip(request), *extra]))


def check(limit: Limit, key: str) -> None:
    """Raise RateLimited if `key` has already used up `limit` in this window, without counting an attempt.

    For limits that count only failures (e.g. wrong answers to the household self-check): check before the
    attempt, `hit` after a failure, so a right answer after the limit is refused too.
    """
    _, scope = _window(limit)
    digest = keyed_digest(scope, key)
    try:
        count = cache_call(cache.get, f"rl:{scope}:{digest}", 0)
    except CacheUnavailable:
        count = _db_count(digest)
    if count >= limit.count:
        raise RateLimited(_retry_after(limit))


def first_use(name: str, key: str, *, seconds: int) -> bool:
    """True the first time `key` is presented under `name` within `seconds` (a one-use token), else False; in the
    cache, or in the database while the cache is down."""
    digest = keyed_digest(name, key)
    try:
        return bool(cache_call(cache.add, f"once:{name}:{digest}", 1, timeout=seconds))
    except CacheUnavailable:
        from .models import RateCounter

        try:
            with transaction.atomic():
                RateCounter.objects.create(key=f"once:{digest}"[:DIGEST_CHARS + 5], count=1,
                                           expires_at=timezone.now() + dt.timedelta(seconds=seconds))
            return True
        except IntegrityError:
            return False
