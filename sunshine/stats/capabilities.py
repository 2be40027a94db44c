"""What each role may do with statistics, exports and the campaign brief (what they see is their jurisdiction)."""
from __future__ import annotations

import enum

from sunshine.org.choices import Role


class Capability(enum.StrEnum):
    VIEW = "stats.view"  # the statistics pages and API (each table also asks its domain's view capability)
    EXPORT = "stats.export"  # download any table or list as XLSX (masked)
    UNMASK = "stats.unmask"  # export ID numbers, phones and cards in full, with a stated reason (recorded)
    BRIEF = "stats.brief"  # draft, edit and issue the campaign brief (信息综合, 三(一)3)
    BRIEF_READ = "stats.brief_read"  # read issued briefs


_READ = {Capability.VIEW, Capability.EXPORT, Capability.BRIEF_READ}
ROLE_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: set(Capability),
    Role.CITY_LEADER: _READ,
    Role.GOVERNANCE_OFFICE: set(Capability),
    Role.DISCIPLINE: _READ | {Capability.UNMASK},
    Role.INSPECTION: _READ,
    Role.AUDIT: _READ,
    Role.DEPARTMENT: {Capability.VIEW, Capability.EXPORT},
    Role.TOWNSHIP: {Capability.VIEW, Capability.EXPORT},
    Role.VILLAGE: {Capability.VIEW},
    # 三员管理: the security administrator exports the accounts and the audit administrator the audit trail they
    # read; every desk list asks its own page's capability too, so this opens nothing else to them.
    Role.SECURITY_ADMIN: {Capability.EXPORT},
    Role.AUDIT_ADMIN: {Capability.EXPORT},
}
