"""Caching of public pages: headers that let anonymous readers reuse a page for a minute, and the village page
kept whole on the server until its data changes."""
from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers

from sunshine.core.versions import versions

# Disclosures change a few times a day: a minute of caching spares a slow network the re-download on "back"
# without hiding a new notice for long.
PUBLIC_MAX_AGE = 60


def public_cache(view):
    """Cache-Control public, max-age=60 for anonymous successful GETs; anything else is not cached."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200 \
                and not request.user.is_authenticated:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            # The page differs with the 大字版 cookie: a browser must not reuse the other size after the switch.
            patch_vary_headers(response, ["Cookie"])
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapped


# ---- the village page, cached until its data changes -----------------------------------------------------------
# Villagers all open their village's page when the SMS go out; building it takes a dozen queries. It is kept whole
# in the cache under the content versions of its village and its township (funds.pageversions, replaced by every
# write that changes what it shows), so a write shows at once and nothing else expires it. The timeout only bounds
# how long a page could outlive a version bump lost while the cache was down.
PAGE_TIMEOUT = 10 * 60
CSRF_PLACEHOLDER = "__sunshine_csrf_token__"
# The 大字版 switch (larger type) keeps its choice in this cookie ("1" = on); the page differs with it.
LARGE_TYPE_COOKIE = "sunshine_large"


def page_cache_key(request, *, name: str, version_keys: list[str]) -> tuple[str, bool] | None:
    """The key of this request's page under the current versions, or None when it must not be shared: a signed-in
    or session-holding visitor (the page may show their messages), or a cache that is down."""
    from django.conf import settings

    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES \
            or "messages" in request.COOKIES:
        return None
    found = versions(version_keys)
    if found is None:
        return None
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    target = (request.headers.get("HX-Target") or "") if request.headers.get("HX-Request") else ""
    large = request.COOKIES.get(LARGE_TYPE_COOKIE) == "1"
    parts = [name, *found.values(), request.LANGUAGE_CODE, "large" if large else "normal", query, target]
    return "page:" + ":".join(parts)


def cached_page(request, key: str | None, build):
    """The page stored under `key`, or `build(csrf_token)` stored there. The page is built with a placeholder for
    the CSRF token (the language form carries one) and each visitor gets a token of their own on the way out."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    if key is None:
        return build(None)
    try:
        stored = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage costs speed, never the page
        stored = None
    if stored is None:
        response = build(CSRF_PLACEHOLDER)
        if response.status_code != 200:
            return response
        stored = (response.content, response.get("Content-Type"))
        try:
            cache.set(key, stored, PAGE_TIMEOUT)
        except Exception:  # noqa: BLE001
            pass
    content, content_type = stored
    return HttpResponse(content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode()),
                        content_type=content_type)
