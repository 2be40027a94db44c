"""An actor's jurisdiction (what they may see): the one scoping mechanism every selector goes through.

- The special governance office, city leaders, inspection, audit and administrators see the whole city.
- A discipline room or dispatched discipline group sees the units it supervises and their territories (三(一)3).
- Everyone else sees their own unit and, for a territorial unit, everything under its territory.
"""
from __future__ import annotations

from django.db.models import Model, QuerySet

from sunshine.core.errors import NotFound
from sunshine.core.scoping import Scope

from .choices import SUPERVISORY_UNIT_KINDS, WHOLE_CITY_ROLES

_CACHE_ATTR = "_sunshine_scope"


def scope_for(actor) -> Scope:
    """The actor's scope, computed once per actor object (one request)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Scope.nothing()
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(actor)
    setattr(actor, _CACHE_ATTR, scope)
    return scope


def _compute_scope(actor) -> Scope:
    from .models import Unit

    if actor.is_superuser or actor.role in WHOLE_CITY_ROLES:
        return Scope.everything()
    if not actor.unit_id:
        return Scope.nothing()
    unit = Unit.objects.select_related("territory").get(pk=actor.unit_id)
    units = [unit]
    if unit.kind in SUPERVISORY_UNIT_KINDS:
        units += list(unit.supervised_units.select_related("territory"))
    paths = tuple(sorted({u.territory.path for u in units if u.territory_id}))
    if any(u.territory_id and u.territory.parent_id is None for u in units):
        return Scope.everything()  # a unit whose territory is the city itself
    return Scope(region_paths=_drop_nested(paths), unit_ids=frozenset(u.pk for u in units))


def _drop_nested(paths: tuple[str, ...]) -> tuple[str, ...]:
    kept: list[str] = []
    for p in sorted(paths):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)


def visible(qs: QuerySet, *, actor) -> QuerySet:
    """Restrict `qs` to what `actor` may see."""
    return scope_for(actor).apply(qs)


def get_visible(qs: QuerySet, *, actor, **lookup) -> Model:
    """Fetch one record the actor may see; missing and out-of-jurisdiction both raise NotFound (404)."""
    try:
        return visible(qs, actor=actor).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
