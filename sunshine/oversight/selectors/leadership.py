"""The leading group's membership (三(一)3): current seats and the history. Not personal data beyond names and
titles, and the same for every staff member, so it is not scoped by jurisdiction."""
from __future__ import annotations

from django.db.models import QuerySet

from sunshine.org.capabilities import require

from ..capabilities import FieldCapability
from ..models import LeadingGroupMember

_ROLE_ORDER = ["leader", "deputy", "office_director", "office_deputy", "member_unit"]


def leading_group(*, actor, current: bool = True) -> list[LeadingGroupMember]:
    require(actor, FieldCapability.VIEW)
    qs: QuerySet = LeadingGroupMember.objects.select_related("person", "unit")
    qs = qs.filter(end_date__isnull=True) if current else qs.filter(end_date__isnull=False)
    return sorted(qs, key=lambda m: (_ROLE_ORDER.index(m.role), (m.unit.member_order or 99) if m.unit_id else 0,
                                     m.start_date))
