"""What roles may do with SMS: read the outbox (scoped by jurisdiction), edit template texts, see full numbers."""
from __future__ import annotations

import enum

from sunshine.org.choices import Role


class Capability(enum.StrEnum):
    VIEW_OUTBOX = "notify.view_outbox"
    EDIT_TEMPLATES = "notify.edit_templates"
    # Phone numbers on the outbox page are masked for everyone else (personal data).
    VIEW_FULL_PHONE = "notify.view_full_phone"


ROLE_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: set(Capability),
    Role.CITY_LEADER: {Capability.VIEW_OUTBOX},
    Role.GOVERNANCE_OFFICE: {Capability.VIEW_OUTBOX, Capability.EDIT_TEMPLATES},
    Role.DISCIPLINE: {Capability.VIEW_OUTBOX},
    Role.INSPECTION: {Capability.VIEW_OUTBOX},
    Role.AUDIT: {Capability.VIEW_OUTBOX},
    Role.TOWNSHIP: {Capability.VIEW_OUTBOX},
    Role.VILLAGE: {Capability.VIEW_OUTBOX},
}
