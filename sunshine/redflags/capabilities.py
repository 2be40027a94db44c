"""What each role may do with the data comparison (what they may see is the hits' jurisdiction)."""
from __future__ import annotations

import enum

from sunshine.org.choices import Role


class Capability(enum.StrEnum):
    VIEW = "redflags.view"  # the hits and the rules page
    REVIEW = "redflags.review"  # mark a hit confirmed or a false positive, with a reason
    RUN = "redflags.run"  # start a run
    IMPORT = "redflags.import"  # import the registries obtained from other departments
    CONFIGURE = "redflags.configure"  # switch a rule off or on, change its thresholds


_REVIEWER = {Capability.VIEW, Capability.REVIEW}
ROLE_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: {Capability.VIEW, Capability.RUN, Capability.IMPORT},
    Role.CITY_LEADER: {Capability.VIEW},
    # The special governance office runs the comparison for the city (三(三)1 大数据平台) and owns its rules.
    Role.GOVERNANCE_OFFICE: set(Capability),
    Role.DISCIPLINE: _REVIEWER,
    Role.INSPECTION: _REVIEWER,
    Role.AUDIT: _REVIEWER,
    Role.TOWNSHIP: _REVIEWER,
}
