"""Kept counts: the staff home page's totals over big tables (households, payments) computed once for the whole
city, grouped by village, owning unit and a key, and read by every home page filtered by the reader's jurisdiction
(the same rule as `Scope.q_for`: a row counts when its village path lies in the reader's territory or its unit is
one the reader may see).

An app registers a computation with `@register(name)`; the rows are kept in `core.KeptCount` and recomputed when
older than SUNSHINE_KEPT_MAX_AGE_SECONDS (the next reader does it) or ahead of readers by `refresh_all` (the
statistics beat runs it with the statistics summaries), so a reader never counts the big table itself. A page shows
when its figures were computed. With a maximum age of 0 every read computes afresh (nothing is kept).
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .scoping import Scope

# One computed row: {"spath": the village's region path ("" unplaced), "unit": owning unit id or None,
# "k": the key counted by (a status, "" when none), "n": the count}.
Row = dict

_COMPUTATIONS: dict[str, Callable[[], Iterable[Row]]] = {}
# Rows already read in this process, by name: (computed_at, rows); one indexed read tells whether they changed.
_MEMO: dict[str, tuple[dt.datetime, list[Row]]] = {}


def register(name: str) -> Callable:
    """Decorator: `compute() -> rows` is the whole city's grouped counts of `name`."""

    def wrap(compute: Callable[[], Iterable[Row]]) -> Callable[[], Iterable[Row]]:
        _COMPUTATIONS[name] = compute
        return compute

    return wrap


def max_age() -> int:
    return int(getattr(settings, "SUNSHINE_KEPT_MAX_AGE_SECONDS", 600))


@dataclass(frozen=True)
class Counts:
    """A reader's counts of one kept computation: by key, the total, and when the rows were computed."""

    by_key: dict
    computed_at: dt.datetime

    @property
    def total(self) -> int:
        return sum(self.by_key.values())

    def __getitem__(self, key) -> int:
        return self.by_key.get(key, 0)


def counts_for(name: str, *, scope: Scope) -> Counts:
    """The kept counts of `name` that `scope` may see, summed by key."""
    rows, computed_at = _rows(name)
    by_key: dict = {}
    whole, paths, units = scope.whole_city, scope.region_paths, scope.unit_ids
    for r in rows:
        if whole or (r["unit"] is not None and r["unit"] in units) or (
                r["spath"] and any(r["spath"].startswith(p) for p in paths)):
            by_key[r["k"]] = by_key.get(r["k"], 0) + r["n"]
    return Counts(by_key=by_key, computed_at=computed_at)


def _rows(name: str) -> tuple[list[Row], dt.datetime]:
    from .models import KeptCount

    if max_age() > 0:
        stamp = KeptCount.objects.filter(name=name).values_list("computed_at", flat=True).first()
        if stamp is not None and (timezone.now() - stamp).total_seconds() < max_age():
            memo = _MEMO.get(name)
            if memo is not None and memo[0] == stamp:
                return memo[1], stamp
            kept = KeptCount.objects.filter(name=name, computed_at=stamp).values_list("rows", flat=True).first()
            if kept is not None:
                _MEMO[name] = (stamp, kept)
                return kept, stamp
    return compute(name)


def compute(name: str) -> tuple[list[Row], dt.datetime]:
    """Count `name` afresh for the whole city and keep the rows (unless nothing is kept)."""
    from .models import KeptCount

    _load()
    started = time.perf_counter()
    rows = [{"spath": r.get("spath") or "", "unit": r.get("unit"), "k": r.get("k", ""), "n": int(r["n"])}
            for r in _COMPUTATIONS[name]()]
    seconds = time.perf_counter() - started
    now = timezone.now()
    if max_age() > 0:
        try:
            with transaction.atomic():
                KeptCount.objects.update_or_create(name=name, defaults={"rows": rows, "computed_at": now,
                                                                        "seconds": seconds})
        except IntegrityError:  # two readers computed it at once: either copy will do
            pass
    return rows, now


def refresh_all() -> list[tuple[str, float]]:
    """Recompute every registered count ahead of readers; (name, seconds) of each."""
    _load()
    done = []
    for name in sorted(_COMPUTATIONS):
        started = time.perf_counter()
        compute(name)
        done.append((name, time.perf_counter() - started))
    return done


def _load() -> None:
    # The computations sit beside the panels that show them (each app's desk_panels.py).
    from .panels import discover

    discover()
