"""Content versions for cached pages: a token per key (e.g. one per region), replaced by every write that changes
what a page built from that key shows. A cached page is stored under the tokens it was built from, so a write makes
the next request build the page afresh and an old page is never found again.

Tokens are random, not counters: a token evicted from the cache comes back as a new one, never as an old value
that would find an old page. Kept in the default cache (Redis in production, shared by every worker). Without the
cache the page is simply built every time.
"""
from __future__ import annotations

import functools
import logging
import secrets

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
PREFIX = "version:"


def versions(keys: list[str]) -> dict[str, str] | None:
    """The current token of every key (new ones for keys never seen or evicted); None when the cache is down."""
    try:
        found = cache.get_many([PREFIX + key for key in keys])
        missing = {PREFIX + key: secrets.token_hex(6) for key in keys if PREFIX + key not in found}
        for name, token in missing.items():
            # add(): two workers starting the same key agree on one token (the first one written)
            if not cache.add(name, token, timeout=None):
                missing[name] = cache.get(name) or token
        found.update(missing)
    except Exception:  # noqa: BLE001 - a cache outage costs speed, never the page
        logger.warning("content versions unavailable: pages are built uncached", exc_info=True)
        return None
    return {key: found[PREFIX + key] for key in keys}


def bump(keys: list[str]) -> None:
    """Give every key a new token now."""
    try:
        cache.set_many({PREFIX + key: secrets.token_hex(6) for key in keys}, timeout=None)
    except Exception:  # noqa: BLE001 - cached pages then expire by their own timeout (portal.caching)
        logger.warning("could not bump content versions %s", keys, exc_info=True)


def bump_on_commit(keys: list[str]) -> None:
    """Bump once the transaction commits (a rolled-back write changes nothing; a page built meanwhile from the
    old data is stored under the old token and never served after the bump)."""
    transaction.on_commit(functools.partial(bump, list(keys)))
