"""Fetch a case under a row lock within the actor's jurisdiction, and check that the actor may act on it."""
from __future__ import annotations

from sunshine.core.errors import Forbidden
from sunshine.org.jurisdiction import get_visible

from ..models import Case
from ..transitions import is_office


def lock_case(*, case: Case, actor) -> Case:
    """Re-read the case under a row lock, within the actor's jurisdiction (404 otherwise)."""
    qs = Case.objects.select_for_update(of=("self",)).select_related("report", "handling_unit")
    return get_visible(qs, actor=actor, pk=case.pk)


def require_handler(*, case: Case, actor) -> None:
    """Only the handling unit moves its case; the special governance office may act on any case."""
    if is_office(actor):
        return
    if actor.unit_id != case.handling_unit_id:
        raise Forbidden("本案由其他单位承办，您不能办理")
