"""Jurisdiction scoping: the one mechanism every selector filters through.

A model declares where its records sit with a class attribute ``jurisdiction = ScopedBy(region_path=..., unit=...)``
(lookups from the model to a Region.path and to a Unit). An actor's ``Scope`` (built by
``sunshine.org.jurisdiction.scope_for``) turns that into one ``Q``. Records a scope cannot place are invisible.

Small tables (regions, units) declare ``resolve_ids=True``. When another model's region path runs through a
foreign key to such a table (``handling_unit__territory__path``, ``village__path``), the scope first resolves the
small table's rows under its paths to a list of ids and filters the big table by a plain ``fk IN (ids)``, merged
with the unit ids when both name the same column: PostgreSQL answers that from the foreign key's index, where
``path LIKE … OR unit IN …`` across a join had to join and test every row of the big table. The rows selected are
the same; the resolved ids are kept on the scope (one request's actor) until a region or unit changes
(`forget_resolved`, called by the org app's signals and by the region move).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class ScopedBy:
    """Lookups from a model to the region path and/or the unit that own a record."""

    region_path: str | None = None
    unit: str | None = None
    # A small table: a reference to it from another model is scoped through a list of its ids (see the module note).
    resolve_ids: bool = False


# Bumped when a region or unit is saved, deleted or moved in this process: resolved ids are then recomputed.
_GENERATION = [0]


def forget_resolved(**_signal) -> None:
    """Regions or units changed: every scope resolves its ids again at its next query."""
    _GENERATION[0] += 1


@dataclass(frozen=True)
class _Hop:
    prefix: str  # the lookup from the scoped model to the foreign key ("handling_unit", "case__handling_unit")
    target: type[Model]  # the small table it points to
    rest: str  # the rest of the region-path lookup, from the small table ("territory__path", "path")


_HOPS: dict[tuple[type[Model], str], _Hop | None] = {}


def _hop(model: type[Model], lookup: str) -> _Hop | None:
    """The first foreign key on `lookup`'s way that points to a table declaring resolve_ids, if any."""
    key = (model, lookup)
    if key not in _HOPS:
        parts = lookup.split("__")
        found, current = None, model
        for i, name in enumerate(parts[:-1]):
            try:
                f = current._meta.get_field(name)
            except FieldDoesNotExist:
                break
            if not f.is_relation or f.related_model is None:
                break
            current = f.related_model
            spec = getattr(current, "jurisdiction", None)
            # Only a direct foreign key or a reverse/many-to-many hop *before* it; the hop itself must be a
            # forward one-column key (`<prefix>__in` then tests that column without joining the small table).
            if spec is not None and spec.resolve_ids and current is not model and (f.many_to_one or f.one_to_one) \
                    and getattr(f, "concrete", False):
                found = _Hop(prefix="__".join(parts[:i + 1]), target=current, rest="__".join(parts[i + 1:]))
                break
        _HOPS[key] = found
    return _HOPS[key]


def _same_column(unit_lookup: str, prefix: str) -> bool:
    return unit_lookup == prefix or unit_lookup == f"{prefix}_id"


@dataclass(frozen=True)
class Scope:
    """What an actor may see: the whole city, or some region subtrees and some units."""

    whole_city: bool = False
    region_paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    # (small table, lookup) -> (generation, ids under region_paths): filled on first use.
    _resolved: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def everything(cls) -> Scope:
        return cls(whole_city=True)

    @classmethod
    def nothing(cls) -> Scope:
        return cls()

    def covers_region_path(self, path: str) -> bool:
        return self.whole_city or any(path.startswith(p) for p in self.region_paths)

    def ids_under(self, model: type[Model], lookup: str) -> frozenset[int]:
        """The ids of `model`'s rows whose `lookup` (a region path) lies under one of the scope's paths."""
        key = (model, lookup)
        kept = self._resolved.get(key)
        if kept is not None and kept[0] == _GENERATION[0]:
            return kept[1]
        generation = _GENERATION[0]
        if self.region_paths:
            where = reduce(or_, [Q(**{f"{lookup}__startswith": p}) for p in self.region_paths])
            ids = frozenset(model._base_manager.filter(where).values_list("pk", flat=True))  # as a join would
        else:
            ids = frozenset()
        self._resolved[key] = (generation, ids)
        return ids

    def q_for(self, model: type[Model]) -> Q | None:
        """The filter for `model`, or None when the scope sees everything."""
        if self.whole_city:
            return None
        spec: ScopedBy | None = getattr(model, "jurisdiction", None)
        if spec is None:
            raise TypeError(f"{model.__name__} declares no `jurisdiction = ScopedBy(...)`; it cannot be scoped")
        parts: list[Q] = []
        units_left = bool(spec.unit and self.unit_ids)
        if spec.region_path and self.region_paths:
            hop = _hop(model, spec.region_path)
            if hop is None:
                parts += [Q(**{f"{spec.region_path}__startswith": p}) for p in self.region_paths]
            else:
                ids = self.ids_under(hop.target, hop.rest)
                if units_left and _same_column(spec.unit, hop.prefix):
                    ids, units_left = ids | self.unit_ids, False
                if ids:
                    parts.append(Q(**{f"{hop.prefix}__in": sorted(ids)}))
        if units_left:
            parts.append(Q(**{f"{spec.unit}__in": sorted(self.unit_ids)}))
        if not parts:
            return Q(pk__in=[])
        return reduce(or_, parts)

    def apply(self, qs: QuerySet) -> QuerySet:
        q = self.q_for(qs.model)
        return qs if q is None else qs.filter(q)
