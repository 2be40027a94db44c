"""Helpers shared by the domain table modules."""
from __future__ import annotations

from django.db.models import Func, IntegerField
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode


class DayDiff(Func):
    """Whole days from the second date to the first (a - b), on PostgreSQL and SQLite."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                           arg_joiner=") - julianday(", **extra)


def as_date(field: str):
    """The date of a DateTimeField in the current time zone."""
    from django.db.models.functions import TruncDate

    return TruncDate(field)


def url(name: str, *args, **query) -> str:
    try:
        base = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def period(qs, field: str, params):
    if params.date_from:
        qs = qs.filter(**{f"{field}__gte": params.date_from})
    if params.date_to:
        qs = qs.filter(**{f"{field}__lte": params.date_to})
    return qs


def township_id(index, region) -> int | None:
    """The township to filter a domain list by: the region itself, or a village's township."""
    if region is None:
        return None
    from sunshine.org.choices import RegionLevel

    if region.level == RegionLevel.TOWNSHIP:
        return region.id
    if region.level == RegionLevel.VILLAGE:
        return region.parent_id
    return None
