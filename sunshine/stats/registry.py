"""The registry of statistics tables: each domain's figures are a module in `sunshine.stats.tables`, and the pages,
the API, the exports and the brief iterate the registry, so adding a domain's tables never touches them.

A table computes *base rows* city-wide (no actor): each row places its figures (`path`: the village or township
the figures are about; `spath`/`unit`: what jurisdiction scoping reads, the same rule as the domain's
`ScopedBy`) and carries its dimension value and measures. The base rows are precomputed and kept
(sunshine.stats.summary) and each request only filters them by the actor's scope and rolls them up to the level
asked for (city → township → village, or by unit, type, channel, month …).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

INT, MONEY, PCT, DAYS = "int", "money", "pct", "days"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str = INT
    # For a share: (numerator key, denominator key); computed after the roll-up, never summed.
    ratio: tuple[str, str] | None = None
    # For an average: (sum key, count key).
    mean: tuple[str, str] | None = None
    hidden: bool = False  # a helper column (the sum behind an average)

    @property
    def derived(self) -> bool:
        return self.ratio is not None or self.mean is not None


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str


REGION = Dimension("region", _("乡镇 / 村"))
UNIT = Dimension("unit", _("承办单位"))


@dataclass
class Params:
    """What a reader asks of a table: where (a region to drill into), along which dimension, which period."""

    dim: str = "region"
    region_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    today: dt.date | None = None

    def base_key(self, dim: str) -> str:
        return f"{dim}|{self.date_from or ''}|{self.date_to or ''}|{self.today or ''}"


@dataclass
class Row:
    key: object  # the dimension value (region id, unit id, type number, month …)
    label: str
    values: dict
    drill_url: str = ""  # one level down (a township → its villages)
    list_url: str = ""  # the list behind the figures


@dataclass
class Result:
    table: StatTable
    params: Params
    dim: Dimension
    rows: list[Row]
    total: dict
    computed_at: dt.datetime | None
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)  # (label, url) city → township
    region: object = None

    @property
    def measures(self) -> list[Measure]:
        return [m for m in self.table.measures if not m.hidden]

    def chart(self) -> dict:
        """The chart's data (read by static/stats/charts.js from a json_script)."""
        keys = self.table.chart_measures or [m.key for m in self.measures if m.kind == INT][:3]
        labels = {m.key: str(m.label) for m in self.table.measures}
        return {
            "type": self.table.chart_type, "title": str(self.table.title),
            "categories": [r.label for r in self.rows],
            "series": [{"name": labels[k], "data": [_plain(r.values.get(k)) for r in self.rows]} for k in keys],
        }


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


class StatTable:
    """One table of figures. Subclasses set the attributes and implement `base(dim, params)`."""

    slug: str
    title: str
    domain: str  # the app whose records it counts ("cases", "funds", …)
    clause: str = ""  # the work plan's clause
    description: str = ""
    dims: tuple[Dimension, ...] = (REGION,)
    measures: tuple[Measure, ...] = ()
    chart_type: str = "bar"
    chart_measures: tuple[str, ...] = ()
    capability: str = ""  # the domain's view capability the reader must hold
    public: bool = False
    order: int = 100

    def allowed(self, actor) -> bool:
        from sunshine.org.capabilities import has_capability

        return not self.capability or has_capability(actor, self.capability)

    def base(self, dim: str, params: Params) -> list[dict]:
        """City-wide rows: {"path": where, "spath": scope path, "unit": scope unit id, "k": dim value, measures}."""
        raise NotImplementedError

    def label(self, dim: str, key) -> str:
        return str(key) if key not in (None, "") else str(_("未填写"))

    def list_url(self, dim: str, key, params: Params, region=None) -> str:
        """The list behind a row (e.g. the case list filtered to it); '' when there is none."""
        return ""

    def dimension(self, key: str) -> Dimension:
        return next((d for d in self.dims if d.key == key), self.dims[0])


_REGISTRY: dict[str, StatTable] = {}


def register(cls: type[StatTable]) -> type[StatTable]:
    table = cls()
    if table.slug in _REGISTRY and type(_REGISTRY[table.slug]) is not cls:
        raise ValueError(f"statistics table {table.slug} registered twice")
    _REGISTRY[table.slug] = table
    return cls


def tables() -> list[StatTable]:
    autodiscover()
    return sorted(_REGISTRY.values(), key=lambda t: (t.order, t.slug))


def table(slug: str) -> StatTable | None:
    autodiscover()
    return _REGISTRY.get(slug)


_loaded = False


def autodiscover() -> None:
    """Import every module of sunshine.stats.tables (each registers its tables)."""
    global _loaded
    if _loaded:
        return
    import importlib
    import pkgutil

    from . import tables as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    _loaded = True
