"""阳光监督 in numbers: the public's statistics, by township, from the same kept figures as the staff pages.

Small-cell suppression: any count below SUPPRESS_BELOW (3) for a township, a problem group or a month is shown as
"<3", so a figure never points at a reporter in a small village. Money and shares are not counts and are shown.
Nothing here takes an actor: it is a declared public read (like funds.public), over published or aggregate data.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sunshine.org.choices import RegionLevel

from . import registry, summary
from .registry import Params

SUPPRESS_BELOW = 3
SUPPRESSED = "<3"


def suppress(count: int) -> int | str:
    """A count as the public sees it: the number from 3 up, "<3" below."""
    return count if count >= SUPPRESS_BELOW else SUPPRESSED


@dataclass(frozen=True)
class PublicTownship:
    code: str
    name: str
    reports: int | str
    replies_due: int | str  # reply deadlines that have come due or were met
    replied_on_time: int | str
    recovered: Decimal
    returned: Decimal
    payments_published_share: float | None
    projects_published_share: float | None
    transactions_published_share: float | None


@dataclass(frozen=True)
class PublicCount:
    label: str
    reports: int | str


@dataclass(frozen=True)
class PublicStats:
    townships: list[PublicTownship]
    groups: list[PublicCount]
    months: list[PublicCount]
    total_reports: int | str
    total_recovered: Decimal
    total_returned: Decimal
    computed_at: dt.datetime | None


def _rows(slug: str, dim: str) -> tuple[list[dict], dt.datetime]:
    table = registry.table(slug)
    return summary.base_rows(table, dim, Params(dim=dim))


def _township_of(index, path: str):
    place = index.child_of(path, index.root) if index.root else None
    return place if place is not None and place.level == RegionLevel.TOWNSHIP else None


def _share(num, den) -> float | None:
    return round(100 * float(num) / float(den), 1) if den else None


KEPT = (("reports", "region"), ("deadlines", "deadline"), ("recovery", "region"), ("disclosure", "region"),
        ("reports", "problem_group"), ("reports", "month"))


def public_stats() -> PublicStats:
    """Kept (Django cache) while the summaries behind it are unchanged: one read of their computation times."""
    from django.core.cache import cache

    from sunshine.core import kept

    keys = [Params(dim=d).base_key(d) for _, d in KEPT]
    stamps = sorted(f"{t}/{k}/{at.timestamp()}" for t, k, at in kept.stamps(
        {summary.kept_name(t) for t, _ in KEPT}, keys))
    fresh = len(stamps) >= len(KEPT) and summary.max_age() > 0
    if fresh:
        import hashlib

        key = "stats:public:" + hashlib.sha256("|".join(stamps).encode()).hexdigest()[:32]
        kept = cache.get(key)
        if kept is not None:
            return kept
    result = _public_stats()
    if fresh:
        cache.set(key, result, 60)
    return result


def _public_stats() -> PublicStats:
    from .figures import Index

    index = Index.get()
    acc: dict = defaultdict(lambda: defaultdict(lambda: 0))
    stamps = []
    rows, at = _rows("reports", "region")
    stamps.append(at)
    for r in rows:
        t = _township_of(index, r.get("path") or "")
        if t:
            acc[t.id]["reports"] += r["cases"]
    rows, at = _rows("deadlines", "deadline")
    stamps.append(at)
    for r in rows:
        t = _township_of(index, r.get("path") or "")
        if t and r.get("k") == "reply":
            acc[t.id]["replies_due"] += r["done"] + r["overdue"]
            acc[t.id]["replied_on_time"] += r["on_time"]
    rows, at = _rows("recovery", "region")
    stamps.append(at)
    for r in rows:
        t = _township_of(index, r.get("path") or "")
        if t:
            acc[t.id]["recovered"] += Decimal(r.get("recovered") or 0)
            acc[t.id]["returned"] += Decimal(r.get("returned") or 0)
    rows, at = _rows("disclosure", "region")
    stamps.append(at)
    for r in rows:
        t = _township_of(index, r.get("path") or "")
        if t:
            for key in ("payments", "payments_published", "projects", "projects_published", "transactions",
                        "transactions_published"):
                acc[t.id][key] += r.get(key) or 0
    townships = []
    for place in sorted((p for p in index.places.values() if p.level == RegionLevel.TOWNSHIP),
                        key=lambda p: p.path):
        a = acc.get(place.id, defaultdict(lambda: 0))
        townships.append(PublicTownship(
            code=place.path.rstrip("/").rsplit("/", 1)[-1], name=place.name, reports=suppress(a["reports"]),
            replies_due=suppress(a["replies_due"]), replied_on_time=suppress(a["replied_on_time"]),
            recovered=Decimal(a["recovered"]), returned=Decimal(a["returned"]),
            payments_published_share=_share(a["payments_published"], a["payments"]),
            projects_published_share=_share(a["projects_published"], a["projects"]),
            transactions_published_share=_share(a["transactions_published"], a["transactions"])))
    table = registry.table("reports")
    groups = defaultdict(int)
    rows, at = _rows("reports", "problem_group")
    for r in rows:
        groups[r.get("k")] += r["cases"]
    months = defaultdict(int)
    rows, _ = _rows("reports", "month")
    for r in rows:
        months[r.get("k")] += r["cases"]
    total = sum(a["reports"] for a in acc.values())
    return PublicStats(
        townships=townships,
        groups=[PublicCount(table.label("problem_group", k), suppress(n))
                for k, n in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))],
        months=[PublicCount(str(k), suppress(n)) for k, n in sorted(months.items(), key=lambda kv: str(kv[0]))],
        total_reports=suppress(total),
        total_recovered=sum((t.recovered for t in townships), Decimal(0)),
        total_returned=sum((t.returned for t in townships), Decimal(0)),
        computed_at=min((s for s in stamps if s), default=None))
