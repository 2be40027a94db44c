"""Figures for a reader: a table's base rows, filtered by the reader's jurisdiction and rolled up to the level
asked for. The one place that applies scoping to kept figures (the same rule as org.jurisdiction.visible: a
row is seen when its scope path lies in the reader's territory or its unit is one the reader supervises)."""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel
from sunshine.org.jurisdiction import scope_for

from . import summary
from .capabilities import Capability
from .errors import StatsErrorCode
from .registry import MONEY, Params, Result, Row, StatTable

INDEX_SECONDS = 60
_GENERATION = [0]  # bumped when a region or unit changes in this process


@dataclass(frozen=True)
class Place:
    id: int
    path: str
    name: str
    level: int
    parent_id: int | None


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    kind: str
    path: str  # its territory's path ('' for a unit without territory)


class Index:
    """Regions down to villages and every unit, by id and path; rebuilt at most once a minute per process."""

    _cached: Index | None = None
    _at = 0.0

    def __init__(self):
        from sunshine.org.models import Region, Unit

        self.places = {r[0]: Place(*r) for r in Region.objects.filter(level__lte=RegionLevel.VILLAGE)
                       .values_list("id", "path", "name", "level", "parent_id")}
        self.by_path = {p.path: p for p in self.places.values()}
        roots = [p for p in self.places.values() if p.parent_id is None]
        self.root = roots[0] if len(roots) == 1 else None  # the city, when the registry holds one
        self.units = {u[0]: UnitInfo(u[0], u[1], u[2], u[3] or "") for u in
                      Unit.objects.values_list("id", "name", "kind", "territory__path")}

    @classmethod
    def get(cls) -> Index:
        """The kept index, rebuilt when a region or unit was saved or deleted in this process (signals, see
        apps.py) or, for changes made by other processes, at most INDEX_SECONDS later."""
        if cls._cached is None or cls._generation != _GENERATION[0] or time.monotonic() - cls._at > INDEX_SECONDS:
            cls._cached, cls._generation, cls._at = cls(), _GENERATION[0], time.monotonic()
            cls._cached.sig_text = f"{_GENERATION[0]}:{cls._at}"
        return cls._cached

    _generation = -1

    @classmethod
    def forget(cls, **kwargs) -> None:
        _GENERATION[0] += 1

    def path_of(self, region_id) -> str:
        place = self.places.get(region_id)
        return place.path if place else ""

    def child_of(self, path: str, parent: Place | None) -> Place | None:
        """The region one level below `parent` (or the top region) that contains `path`."""
        codes = [c for c in path.split("/") if c]
        depth = 1 if parent is None else len([c for c in parent.path.split("/") if c]) + 1
        if len(codes) < depth:
            return None
        return self.by_path.get("".join(f"{c}/" for c in codes[:depth]))


def visible_rows(rows: list[dict], actor) -> list[dict]:
    scope = scope_for(actor)
    if scope.whole_city:
        return rows
    paths, units = scope.region_paths, scope.unit_ids
    return [r for r in rows if (r.get("unit") in units)
            or (r.get("spath") and any(r["spath"].startswith(p) for p in paths))]


def _top(actor, index: Index) -> Place | None:
    """Where an actor's figures start: the city for the whole city, else the one region of its territory."""
    scope = scope_for(actor)
    if scope.whole_city or len(scope.region_paths) != 1:
        # The city, also for a reader who sees only units (a discipline room) or several territories: the rows
        # are already only the reader's, so starting at the city shows no more than they may see.
        return index.root
    return index.by_path.get(scope.region_paths[0])


def _sum(rows: list[dict], table: StatTable) -> dict:
    out: dict = {}
    for m in table.measures:
        if m.derived:
            continue
        zero = Decimal(0) if m.kind == MONEY else 0
        out[m.key] = sum((r.get(m.key) or zero for r in rows), zero)
    for m in table.measures:
        if m.ratio:
            num, den = out.get(m.ratio[0]) or 0, out.get(m.ratio[1]) or 0
            out[m.key] = round(100 * float(num) / float(den), 1) if den else None
        elif m.mean:
            total, count = out.get(m.mean[0]) or 0, out.get(m.mean[1]) or 0
            out[m.key] = round(float(total) / float(count), 1) if count else None
    return out


def _scope_key(actor) -> str:
    import hashlib

    scope = scope_for(actor)
    if scope.whole_city:
        return "city"
    text = "|".join(sorted(scope.region_paths)) + "#" + ",".join(str(u) for u in sorted(scope.unit_ids))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def figures(table: StatTable, *, actor, params: Params, refresh: bool = False) -> Result:
    """The table's figures as `actor` may see them. A reader's result is kept (Django cache) with the summary it
    came from, keyed by the reader's scope: readers with the same jurisdiction share it; a new summary is a new key."""
    from django.core.cache import cache
    from django.utils import translation

    require(actor, Capability.VIEW)
    if not table.allowed(actor):
        raise ApplicationError(_("您没有查看该统计的权限"), code=StatsErrorCode.TABLE_FORBIDDEN)
    dim = table.dimension(params.dim)
    index = Index.get()
    rows, computed_at = summary.base_rows(table, dim.key, params, refresh=refresh)
    import hashlib

    raw = (f"{table.slug}:{dim.key}:{params.region_id}:{params.date_from}:{params.date_to}:{params.today}:"
           f"{_scope_key(actor)}:{computed_at.timestamp() if computed_at else ''}:{translation.get_language()}:"
           f"{index.sig_text}")
    key = f"stats:result:{table.slug}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
    if summary.max_age() > 0 and not refresh:
        kept = cache.get(key)
        if kept is not None:
            kept.table = table
            return kept
    result = _figures(table, actor=actor, params=params, dim=dim, index=index, rows=rows, computed_at=computed_at)
    if summary.max_age() > 0:
        cache.set(key, result, summary.max_age())
    return result


def _figures(table, *, actor, params, dim, index, rows, computed_at) -> Result:
    rows = visible_rows(rows, actor)
    region = None
    breadcrumbs: list[tuple[str, str]] = []
    if dim.key == "region":
        top = _top(actor, index)
        region = index.places.get(params.region_id) if params.region_id else top
        if region is not None and top is not None and not region.path.startswith(top.path):
            region = top  # a reader never drills above or beside its territory
        if region is not None:
            rows = [r for r in rows if (r.get("path") or "").startswith(region.path)]
            node, chain = region, []
            while node is not None:
                chain.append(node)
                if top is not None and node.id == top.id:
                    break
                node = index.places.get(node.parent_id)
            base = reverse("stats:table", args=[table.slug])
            first = chain[-1]
            breadcrumbs = [(_("全市") if first.parent_id is None else first.name,
                            base if first.parent_id is None else f"{base}?{urlencode({'region': first.id})}")]
            breadcrumbs += [(p.name, f"{base}?{urlencode({'region': p.id})}") for p in reversed(chain[:-1])]
    groups: dict = defaultdict(list)
    for r in rows:
        if dim.key == "region":
            if region is not None and region.level >= RegionLevel.VILLAGE:
                key = region.id  # a village's own figures
            else:
                child = index.child_of(r.get("path") or "", region)
                key = child.id if child else None
        elif dim.key == "unit":
            key = r.get("unit")
        else:
            key = r.get("k")
        groups[key].append(r)
    out = []
    for key, members in groups.items():
        values = _sum(members, table)
        if dim.key == "region":
            place = index.places.get(key)
            label = place.name if place else _("未定位")
            drill = ""
            if place is not None and place.level < RegionLevel.VILLAGE:
                drill = f"{reverse('stats:table', args=[table.slug])}?{urlencode({'region': place.id})}"
        elif dim.key == "unit":
            info = index.units.get(key)
            label, drill = (info.name if info else _("未指定")), ""
        else:
            label, drill = table.label(dim.key, key), ""
        out.append(Row(key=key, label=label, values=values, drill_url=drill,
                       list_url=table.list_url(dim.key, key, params, region=region) if key is not None else ""))
    out.sort(key=lambda r: _order(dim.key, r))
    return Result(table=table, params=params, dim=dim, rows=out, total=_sum(rows, table), computed_at=computed_at,
                  breadcrumbs=breadcrumbs, region=region)


def _order(dim: str, row: Row):
    if dim in ("region", "unit"):
        return (row.key is None, row.label)
    return (row.key is None, row.key if isinstance(row.key, (int, str)) else str(row.key))


def readable_tables(actor) -> list[StatTable]:
    from .registry import tables

    return [t for t in tables() if t.allowed(actor)]
