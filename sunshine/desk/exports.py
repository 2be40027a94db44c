"""Every desk list, and every table inside a desk page, exports to XLSX with the filters the reader applied on the
page (issue 14's export rule; the office's 信息综合 of 三(一)3 works from these lists). The guard is
desk/tests/test_exports.py: a desk route without a list export, or a table without `data-rows` and its link beside
it, fails unless it says why.

A list page and its export call the same query function, `(actor, GET) -> Listing`: the rows come from the same
selector with the same parsed filters and the same jurisdiction, so "with its filters applied" holds by
construction. Each list is declared once, beside its view, with `@desk_list(name, title=…, page=…, columns=…)`:
a column is a header, an accessor (a dotted attribute path or a function of the row) and, for a personal number,
its kind (id_number, phone, bank_card), which sunshine.stats.export masks unless the reader holds stats.unmask and
states a reason (recorded). The page caps a long list for reading; the export carries every row.

The registry round trip of the households (`sunshine export_households` and its desk download) is not here: it
writes personal numbers in full for holders of the registry capability (sunshine.org.exports).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

EXPORT_CHUNK = 2000
SENSITIVE_KINDS = ("id_number", "phone", "bank_card", "text")


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation or a string
    value: str | Callable[[Any], Any]  # "village.name" (a method at the end is called) or a function of the row
    kind: str = ""  # id_number, phone, bank_card (or text quoting them): masked unless unmasked with a reason

    def of(self, row):
        if callable(self.value):
            return self.value(row)
        obj = row
        for part in self.value.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
            if obj is None:
                return ""
            if callable(obj) and not hasattr(obj, "all"):
                obj = obj()
        return obj


@dataclass
class Listing:
    """What a list page shows: its rows (a queryset or any iterable) and the filters applied, in words."""

    rows: Iterable
    filters: list[tuple[str, str]] = field(default_factory=list)
    context: dict = field(default_factory=dict)  # what else the page needs from the same query (not exported)


@dataclass(frozen=True)
class DeskList:
    name: str
    title: Any
    page: str  # the URL name of the list page ("desk:funds_payments")
    columns: tuple[Column, ...]
    query: Callable[[Any, Any], Listing]  # (actor, GET) -> Listing; the page calls the same function
    object_type: str = ""

    @property
    def sensitive(self) -> dict[int, str]:
        return {i: c.kind for i, c in enumerate(self.columns) if c.kind}

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def rows(self, listing: Listing):
        columns = self.columns
        rows = listing.rows
        if isinstance(rows, QuerySet):  # read in chunks: a long list is never held whole in memory
            rows = rows.iterator(chunk_size=EXPORT_CHUNK)
        return ([c.of(row) for c in columns] for row in rows)


REGISTRY: dict[str, DeskList] = {}


def desk_lists() -> dict[str, DeskList]:
    """Every registered list: the desk's views register theirs when the URLconf imports them."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every desk views module, which fills the registry
    return REGISTRY


def desk_list(name: str, *, title, page: str, columns, object_type: str = ""):
    """Register the decorated query function `(actor, GET) -> Listing` as the list `name`'s rows."""
    columns = tuple(columns)
    for c in columns:
        if c.kind and c.kind not in SENSITIVE_KINDS:
            raise ValueError(f"unknown sensitive kind {c.kind!r} in list {name}")

    def register(query):
        if name in REGISTRY and REGISTRY[name].query.__qualname__ != query.__qualname__:
            raise ValueError(f"desk list {name!r} registered twice")
        REGISTRY[name] = DeskList(name=name, title=title, page=page, columns=columns, query=query,
                                  object_type=object_type or f"desk.list.{name}")
        return query

    return register


def col(header, value, kind: str = "") -> Column:
    return Column(header=header, value=value, kind=kind)


# ---- small helpers the query functions share ---------------------------------------------------------------------

def yes(value) -> str:
    return _("是") if value else ""


def shown(pairs) -> list[tuple[str, str]]:
    """The filters worth writing on top of the sheet: the ones the reader set."""
    return [(str(label), str(value)) for label, value in pairs if value not in ("", None, False)]


def choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value)) if value else ""
