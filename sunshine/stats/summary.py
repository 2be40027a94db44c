"""Precomputed base rows: a table's city-wide figures are computed once and read by every request, whoever asks,
until they are older than SUNSHINE_STATS_MAX_AGE_SECONDS (then the next reader recomputes them) or
`sunshine stats_refresh` recomputes them ahead (the beat runs it every few minutes). Every page shows when its
figures were computed. They are kept where the staff home's counts are (core.Kept through sunshine.core.kept,
named "stats.<table>" and keyed by dimension and period)."""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from sunshine.core import kept

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


def kept_name(slug: str) -> str:
    """The name a table's summaries are kept under (core.Kept)."""
    return f"stats.{slug}"


def base_rows(table: StatTable, dim: str, params: Params, *, refresh: bool = False) -> tuple[list[dict], dt.datetime]:
    if not refresh:
        found = kept.read(kept_name(table.slug), params.base_key(dim), max_age=max_age(),
                          load=lambda rows: _load(table, rows))
        if found is not None:
            return found
    return compute(table, dim, params)


def compute(table: StatTable, dim: str, params: Params) -> tuple[list[dict], dt.datetime]:
    started = time.perf_counter()
    rows = table.base(dim, params)
    seconds = time.perf_counter() - started
    now = timezone.now()
    if max_age() > 0:
        kept.keep(kept_name(table.slug), params.base_key(dim), _dump(table, rows), computed_at=now, seconds=seconds)
    return rows, now


def refresh_all(*, today: dt.date | None = None) -> list[tuple[str, str, float]]:
    """Recompute every table's default views (each dimension, no period) — what the pages open with — and the
    staff home page's kept totals (sunshine.core.kept, listed as `kept/<name>`)."""
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
