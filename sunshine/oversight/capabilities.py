"""What each role may do in oversight (what it may see is its jurisdiction)."""
from __future__ import annotations

import enum

from sunshine.org.choices import Role


class Capability(enum.StrEnum):
    # i13b: the registers of less burden, training, inspection, lasting mechanisms and assessment.
    VIEW_REGISTERS = "oversight.view_registers"
    DATA_REQUEST = "oversight.data_request"  # register a request for data addressed to villages
    DOCUMENT = "oversight.document"  # register documents issued and village assessments
    TRAINING = "oversight.training"  # training plans, sessions, attendance
    INSPECT = "oversight.inspect"  # inspections and audits, their targets and findings
    MECHANISM = "oversight.mechanism"  # micro-power lists, grids
    WEAK_ORG = "oversight.weak_org"  # designate and lift weak village party organisations
    TASKS = "oversight.tasks"  # sector departments' annual tasks
    ASSESS = "oversight.assess"  # 四责四诺 commitments and their year-end check


_VIEW = {Capability.VIEW_REGISTERS}
_UNIT_WORK = {Capability.DATA_REQUEST, Capability.DOCUMENT, Capability.TASKS}
ROLE_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: set(Capability),
    Role.CITY_LEADER: _VIEW,
    Role.GOVERNANCE_OFFICE: set(Capability),
    Role.DISCIPLINE: _VIEW | {Capability.DOCUMENT},
    # 三(三)2: inspection and audit cover every project and fund.
    Role.INSPECTION: _VIEW | {Capability.INSPECT, Capability.DOCUMENT},
    Role.AUDIT: _VIEW | {Capability.INSPECT, Capability.DOCUMENT},
    Role.DEPARTMENT: _VIEW | _UNIT_WORK | {Capability.TRAINING},
    Role.TOWNSHIP: _VIEW | _UNIT_WORK | {Capability.TRAINING, Capability.MECHANISM},
    Role.VILLAGE: _VIEW,
}
