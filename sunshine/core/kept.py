"""Kept counts (三(一)3: the special governance office's 信息综合, the figures every desk reads): the staff home
page's totals over big tables (households, payments) computed once for the whole city, grouped by village, owning unit and a key, and read by every home page filtered by the reader's jurisdiction
(the same rule as `Scope.q_for`: a row counts when its village path lies in the reader's territory or its unit is
one the reader may see).

An app registers a computation with `@register(name)`; the rows are kept in `core.Kept` and recomputed when
older than SUNSHINE_KEPT_MAX_AGE_SECONDS (the next reader does it) or ahead of readers by `refresh_all` (the
statistics beat runs it with the statistics summaries), so a reader never counts the big table itself. A page shows
when its figures were computed. With a maximum age of 0 every read computes afresh (nothing is kept).

The storage (`read`, `keep`, `stamps`) is shared with the statistics tables' summaries (sunshine.stats.summary,
names "stats.<table>"): one table of figures kept with the time they were computed, one way to read them.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .scoping import Scope

# One computed row: {"spath": the village's region path ("" unplaced), "unit": owning unit id or None,
# "k": the key counted by (a status, "" when none), "n": the count}.
Row = dict

_COMPUTATIONS: dict[str, Callable[[], Iterable[Row]]] = {}
# Rows already read in this process, by (name, key): (computed_at, rows); one indexed read tells whether they changed.
_MEMO: dict[tuple[str, str], tuple[dt.datetime, Any]] = {}


# ---- storage: figures kept with the time they were computed ---------------------------------------------------

def read(name: str, key: str = "", *, max_age: int, load: Callable[[list], Any] | None = None
         ) -> tuple[Any, dt.datetime] | None:
    """The kept rows of (name, key) and when they were computed, if computed less than `max_age` seconds ago.

    Rows parsed once (`load`) are reused in this process until the kept row changes: a reader pays one indexed
    read of the computation time."""
    from .models import Kept

    if max_age <= 0:
        return None
    stamp = Kept.objects.filter(name=name, key=key).values_list("computed_at", flat=True).first()
    if stamp is None or (timezone.now() - stamp).total_seconds() >= max_age:
        return None
    memo = _MEMO.get((name, key))
    if memo is not None and memo[0] == stamp:
        return memo[1], stamp
    rows = Kept.objects.filter(name=name, key=key, computed_at=stamp).values_list("rows", flat=True).first()
    if rows is None:  # recomputed between the two reads: the caller computes too
        return None
    if load is not None:
        rows = load(rows)
    _MEMO[(name, key)] = (stamp, rows)
    return rows, stamp


def keep(name: str, key: str, rows: list, *, computed_at: dt.datetime, seconds: float) -> None:
    """Keep (name, key)'s rows computed at `computed_at` (replacing the previous ones)."""
    from .models import Kept

    try:
        with transaction.atomic():
            Kept.objects.update_or_create(name=name, key=key, defaults={"rows": rows, "computed_at": computed_at,
                                                                        "seconds": seconds})
    except IntegrityError:  # two readers computed it at once: either copy will do
        pass


def stamps(names: Iterable[str], keys: Iterable[str]) -> list[tuple[str, str, dt.datetime]]:
    """(name, key, computed_at) of the kept rows among `names` × `keys` (to tell whether any changed)."""
    from .models import Kept

    return list(Kept.objects.filter(name__in=set(names), key__in=set(keys)).values_list("name", "key", "computed_at"))


# ---- the staff home page's kept counts --------------------------------------------------------------------------

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
    rows, computed_at = read(name, max_age=max_age()) or compute(name)
    by_key: dict = {}
    whole, paths, units = scope.whole_city, scope.region_paths, scope.unit_ids
    for r in rows:
        if whole or (r["unit"] is not None and r["unit"] in units) or (
                r["spath"] and any(r["spath"].startswith(p) for p in paths)):
            by_key[r["k"]] = by_key.get(r["k"], 0) + r["n"]
    return Counts(by_key=by_key, computed_at=computed_at)


def compute(name: str) -> tuple[list[Row], dt.datetime]:
    """Count `name` afresh for the whole city and keep the rows (unless nothing is kept)."""
    _load()
    started = time.perf_counter()
    rows = [{"spath": r.get("spath") or "", "unit": r.get("unit"), "k": r.get("k", ""), "n": int(r["n"])}
            for r in _COMPUTATIONS[name]()]
    seconds = time.perf_counter() - started
    now = timezone.now()
    if max_age() > 0:
        keep(name, "", rows, computed_at=now, seconds=seconds)
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
