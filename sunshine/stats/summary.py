"""Precomputed base rows (Summary): a table's city-wide figures are computed once and read by every request,
whoever asks, until they are older than SUNSHINE_STATS_MAX_AGE_SECONDS (then the next reader recomputes them) or
`sunshine stats_refresh` recomputes them ahead (the beat runs it every few minutes). Every page shows when its
figures were computed."""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Summary
from .registry import MONEY, Params, StatTable


def max_age() -> int:
    return int(getattr(settings, "SUNSHINE_STATS_MAX_AGE_SECONDS", 600))


def _dump(table: StatTable, rows: list[dict]) -> list[dict]:
    money = {m.key for m in table.measures if m.kind == MONEY}
    return [{k: (str(v) if k in money and v is not None else v) for k, v in row.items()} for row in rows]


def _load(table: StatTable, rows: list[dict]) -> list[dict]:
    money = {m.key for m in table.measures if m.kind == MONEY}
    if not money:
        return rows
    return [{k: (Decimal(v) if k in money and v is not None else v) for k, v in row.items()} for row in rows]


# Rows already read from the database in this process, by (table, key): (computed_at, rows). A reader only asks
# the database when the summary was computed (one indexed read) and parses the rows again only when it changed.
_MEMO: dict[tuple[str, str], tuple[dt.datetime, list[dict]]] = {}


def base_rows(table: StatTable, dim: str, params: Params, *, refresh: bool = False) -> tuple[list[dict], dt.datetime]:
    key = params.base_key(dim)
    now = timezone.now()
    if not refresh and max_age() > 0:
        stamp = Summary.objects.filter(table=table.slug, key=key).values_list("computed_at", flat=True).first()
        if stamp is not None and (now - stamp).total_seconds() < max_age():
            memo = _MEMO.get((table.slug, key))
            if memo is not None and memo[0] == stamp:
                return memo[1], stamp
            kept = Summary.objects.filter(table=table.slug, key=key, computed_at=stamp).values_list(
                "rows", flat=True).first()
            if kept is not None:
                rows = _load(table, kept)
                _MEMO[(table.slug, key)] = (stamp, rows)
                return rows, stamp
    return compute(table, dim, params)


def compute(table: StatTable, dim: str, params: Params) -> tuple[list[dict], dt.datetime]:
    started = time.perf_counter()
    rows = table.base(dim, params)
    seconds = time.perf_counter() - started
    now = timezone.now()
    if max_age() > 0:
        try:
            with transaction.atomic():
                Summary.objects.update_or_create(table=table.slug, key=params.base_key(dim),
                                                 defaults={"rows": _dump(table, rows), "computed_at": now,
                                                           "seconds": seconds})
        except IntegrityError:  # two readers computed it at once: either copy will do
            pass
    return rows, now


def refresh_all(*, today: dt.date | None = None) -> list[tuple[str, str, float]]:
    """Recompute every table's default views (each dimension, no period) — what the pages open with — and the
    staff home page's kept totals (sunshine.core.kept, listed as `kept/<name>`)."""
    from sunshine.core import kept

    from .registry import tables

    done = []
    for t in tables():
        for d in t.dims:
            params = Params(dim=d.key, today=today)
            started = time.perf_counter()
            compute(t, d.key, params)
            done.append((t.slug, d.key, time.perf_counter() - started))
    done += [("kept", name, seconds) for name, seconds in kept.refresh_all()]
    return done
