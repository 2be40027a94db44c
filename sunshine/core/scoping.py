"""Jurisdiction scoping: the one mechanism every selector filters through.

A model declares where its records sit with a class attribute ``jurisdiction = ScopedBy(region_path=..., unit=...)``
(lookups from the model to a Region.path and to a Unit). An actor's ``Scope`` (built by
``sunshine.org.jurisdiction.scope_for``) turns that into one ``Q``. Records a scope cannot place are invisible.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class ScopedBy:
    """Lookups from a model to the region path and/or the unit that own a record."""

    region_path: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Scope:
    """What an actor may see: the whole city, or some region subtrees and some units."""

    whole_city: bool = False
    region_paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def everything(cls) -> Scope:
        return cls(whole_city=True)

    @classmethod
    def nothing(cls) -> Scope:
        return cls()

    def covers_region_path(self, path: str) -> bool:
        return self.whole_city or any(path.startswith(p) for p in self.region_paths)

    def q_for(self, model: type[Model]) -> Q | None:
        """The filter for `model`, or None when the scope sees everything."""
        if self.whole_city:
            return None
        spec: ScopedBy | None = getattr(model, "jurisdiction", None)
        if spec is None:
            raise TypeError(f"{model.__name__} declares no `jurisdiction = ScopedBy(...)`; it cannot be scoped")
        parts: list[Q] = []
        if spec.region_path:
            parts += [Q(**{f"{spec.region_path}__startswith": p}) for p in self.region_paths]
        if spec.unit and self.unit_ids:
            parts.append(Q(**{f"{spec.unit}__in": sorted(self.unit_ids)}))
        if not parts:
            return Q(pk__in=[])
        return reduce(or_, parts)

    def apply(self, qs: QuerySet) -> QuerySet:
        q = self.q_for(qs.model)
        return qs if q is None else qs.filter(q)
