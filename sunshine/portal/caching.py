"""Cache headers for public pages: anonymous readers on slow networks may reuse a page for a minute."""
from __future__ import annotations

import functools

from django.utils.cache import patch_cache_control

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
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapped
