"""The annual assessment's own records (三(四)1): 四责四诺 commitments and their year-end check."""
from __future__ import annotations

from django.utils import timezone

from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import require
from sunshine.org.jurisdiction import get_visible
from sunshine.org.models import Unit

from ..capabilities import Capability
from ..choices_i13b import CommitmentKind
from ..errors import OversightErrorCode
from ..models import Commitment
from ._i13b_common import audited, clean_text


def commitment_add(*, actor, unit: Unit, year: int, kind: str, text: str) -> Commitment:
    require(actor, Capability.ASSESS)
    if kind not in CommitmentKind.values:
        raise ApplicationError("类别无效", code=OversightErrorCode.BAD_INPUT)
    unit = get_visible(Unit.objects.all(), actor=actor, pk=unit.pk)
    with audited(actor):
        return Commitment.objects.create(unit=unit, year=year, kind=kind, created_by=actor,
                                         text=clean_text(text, label="内容", max_length=300))


def commitment_check(*, actor, commitment: Commitment, kept: bool, note: str) -> Commitment:
    """The year-end check of one commitment: kept or not, and what was found."""
    require(actor, Capability.ASSESS)
    note = clean_text(note, label="检查情况", max_length=300)
    with audited(actor):
        locked = get_visible(Commitment.objects.select_for_update(), actor=actor, pk=commitment.pk)
        locked.kept, locked.check_note, locked.checked_by = bool(kept), note, actor
        locked.checked_on = timezone.localdate()
        locked.save(update_fields=["kept", "check_note", "checked_by", "checked_on", "updated_at"])
    return locked
