"""What each role may do at the report desk (三(三)). What they may see is jurisdiction (Case.jurisdiction)."""
from __future__ import annotations

import enum

from sunshine.org.choices import Role


class Capability(enum.StrEnum):
    VIEW = "cases.view"  # the desk queue and case pages
    ENTER = "cases.enter"  # enter a report taken by phone, box, card, grid worker, visit...
    HANDLE = "cases.handle"  # move a case along its state machine, ask the reporter, confirm the problem type
    TRANSFER = "cases.transfer"  # transfer by procedure to another unit, mark 涉嫌违纪
    ESCALATE = "cases.escalate"  # 三(三)2: discipline rooms take township clues up (提级办理)
    REOPEN = "cases.reopen"
    RECORD_OUTCOME = "cases.record_outcome"  # accountability, recovered funds and their return
    RECALL = "cases.recall"  # 召回, 一案双查
    PUBLISH_EXPOSURE = "cases.publish_exposure"  # propose a 通报曝光 (public only once the office approves it)
    READ_IDENTITY = "cases.read_identity"  # the reporter's identity, for the handling discipline unit only
    GOVERNANCE = "cases.governance"  # the special governance office's views: copies, identity access log, overdue
    URGE = "cases.urge"  # 督办: the special governance office and the city leaders urge a case, with a note and a date
    REVIEW_EXPOSURE = "cases.review_exposure"  # approve or send back a proposed 通报曝光 (a second person)


_HANDLER = {Capability.VIEW, Capability.ENTER, Capability.HANDLE, Capability.TRANSFER, Capability.RECORD_OUTCOME}
ROLE_GRANTS: dict[str, set[str]] = {
    # The administrator runs the system, not cases: no identity, no handling.
    Role.ADMIN: {Capability.VIEW},
    Role.CITY_LEADER: {Capability.VIEW, Capability.URGE},
    Role.GOVERNANCE_OFFICE: _HANDLER | {
        Capability.REOPEN, Capability.RECALL, Capability.PUBLISH_EXPOSURE, Capability.GOVERNANCE, Capability.URGE,
        Capability.REVIEW_EXPOSURE,
    },
    Role.DISCIPLINE: _HANDLER | {
        Capability.ESCALATE, Capability.REOPEN, Capability.RECALL, Capability.PUBLISH_EXPOSURE,
        Capability.READ_IDENTITY,
    },
    Role.INSPECTION: {Capability.VIEW, Capability.ENTER},
    Role.AUDIT: {Capability.VIEW, Capability.ENTER},
    Role.DEPARTMENT: _HANDLER,
    Role.TOWNSHIP: _HANDLER,
    Role.VILLAGE: {Capability.ENTER},  # grid workers relay reports; the village is not the competent unit
}
