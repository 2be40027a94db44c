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


class FieldCapability(enum.StrEnum):
    # i13a: field work and follow-through (visits, 领办, 整改, 在岗抽查, 约谈, 监督卡, the plan's numbers).
    VIEW = "oversight.view"  # visits, quotas, 领办, 整改, presence checks, 约谈 (within the jurisdiction)
    VISIT = "oversight.visit"  # record one's own visit (调研督查), and turn its finding into a report or an item
    VISIT_FOR_OTHERS = "oversight.visit_for_others"  # record a visit on someone else's behalf (the office)
    ASSIGN_PETITION = "oversight.assign_petition"  # 三(二)2: hand a case to a city leader to lead
    INSTRUCT = "oversight.instruct"  # 批示 on a led case (the city leaders; the office records on their behalf)
    MEETING = "oversight.meeting"  # record the leader's meeting with a real-name reporter
    RECTIFY = "oversight.rectify"  # open rectification items, report them done
    FOLLOW_UP = "oversight.follow_up"  # 回头看: confirm or reopen a reported rectification
    PRESENCE = "oversight.presence"  # 在岗抽查 of work teams and pairing cadres
    INTERVIEW = "oversight.interview"  # 约谈: record the talks held with member units
    LEADING_GROUP = "oversight.leading_group"  # the leading group's membership over time
    PLAN = "oversight.plan"  # set the plan's numbers for a year
    CARDS = "oversight.cards"  # print supervision cards (监督卡)


_VIEW = {Capability.VIEW_REGISTERS}
_UNIT_WORK = {Capability.DATA_REQUEST, Capability.DOCUMENT, Capability.TASKS}
_FIELD = {FieldCapability.VIEW, FieldCapability.VISIT}
ROLE_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: set(Capability) | {FieldCapability.VIEW},
    Role.CITY_LEADER: _VIEW | _FIELD | {FieldCapability.INSTRUCT, FieldCapability.MEETING},
    Role.GOVERNANCE_OFFICE: set(Capability) | set(FieldCapability),
    Role.DISCIPLINE: _VIEW | {Capability.DOCUMENT} | _FIELD | {FieldCapability.RECTIFY, FieldCapability.FOLLOW_UP},
    # 三(三)2: inspection and audit cover every project and fund.
    Role.INSPECTION: _VIEW | {Capability.INSPECT, Capability.DOCUMENT} | _FIELD | {FieldCapability.RECTIFY,
                                                                                     FieldCapability.FOLLOW_UP},
    Role.AUDIT: _VIEW | {Capability.INSPECT, Capability.DOCUMENT} | _FIELD | {FieldCapability.RECTIFY,
                                                                                FieldCapability.FOLLOW_UP},
    Role.DEPARTMENT: _VIEW | _UNIT_WORK | {Capability.TRAINING} | _FIELD | {FieldCapability.RECTIFY},
    Role.TOWNSHIP: (_VIEW | _UNIT_WORK | {Capability.TRAINING, Capability.MECHANISM} | _FIELD
                    | {FieldCapability.RECTIFY, FieldCapability.PRESENCE, FieldCapability.CARDS}),
    Role.VILLAGE: _VIEW | _FIELD | {FieldCapability.RECTIFY, FieldCapability.CARDS},
}
