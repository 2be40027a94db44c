"""Rate limits for public endpoints (household lookup, report form): fixed windows counted in the cache.

Written here rather than taken from django-ratelimit because we need the same limiter from views, ninja routes and
services, keyed by our own scopes, and a clear Chinese message with the wait time; the logic is a dozen lines.
"""
from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from sunshine.core.errors import CoreErrorCode

from .errors import ApplicationError


class RateLimited(ApplicationError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__(f"操作过于频繁,请 {retry_after} 秒后再试", code=CoreErrorCode.RATE_LIMITED, extra={"retry_after": retry_after})
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


def hit(limit: Limit, key: str) -> None:
    """Count one attempt for `key` under `limit`; raise RateLimited when the window is full."""
    window = int(time.time()) // limit.seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no raw IPs or names in the cache
    cache_key = f"rl:{limit.name}:{window}:{digest}"
    added = cache.add(cache_key, 1, timeout=limit.seconds + 1)
    count = 1 if added else cache.incr(cache_key)
    if count > limit.count:
        retry_after = limit.seconds - int(time.time()) % limit.seconds
        raise RateLimited(max(retry_after, 1))


def hit_request(limit: Limit, request, *extra: str) -> None:
    hit(limit, "|".join([client_ip(request), *extra]))


def check(limit: Limit, key: str) -> None:
    """Raise RateLimited if `key` has already used up `limit` in this window, without counting an attempt.

    For limits that count only failures (e.g. wrong answers to the household self-check): check before the
    attempt, `hit` after a failure, so a right answer after the limit is refused too.
    """
    window = int(time.time()) // limit.seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    count = cache.get(f"rl:{limit.name}:{window}:{digest}", 0)
    if count >= limit.count:
        retry_after = limit.seconds - int(time.time()) % limit.seconds
        raise RateLimited(max(retry_after, 1))
