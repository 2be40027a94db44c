"""What each role may do with funds records and notices (what they may see is their jurisdiction)."""
from __future__ import annotations

import enum

from sunshine.org.choices import Role


class Capability(enum.StrEnum):
    VIEW = "funds.view"  # allocations, projects, payments, account transactions, notices, import jobs
    IMPORT = "funds.import"  # upload files of any of the four record types
    EDIT = "funds.edit"  # hand entry, edits of drafts, corrections, project stages
    PUBLISH = "funds.publish"  # 公示: publish a notice and append it to the ledger
    VERIFY_LEDGER = "funds.verify_ledger"  # run the whole-ledger check from the staff pages


_VIEW = {Capability.VIEW}
ROLE_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: set(Capability),
    Role.CITY_LEADER: _VIEW,
    # The governance office, inspection and audit check what was published (三(三)2 covers every fund).
    Role.GOVERNANCE_OFFICE: _VIEW | {Capability.VERIFY_LEDGER},
    Role.DISCIPLINE: _VIEW | {Capability.VERIFY_LEDGER},
    Role.INSPECTION: _VIEW | {Capability.VERIFY_LEDGER},
    Role.AUDIT: _VIEW | {Capability.VERIFY_LEDGER},
    # Departments allocate and record funds for their own sector; townships run imports and notices (三(二)3).
    Role.DEPARTMENT: _VIEW | {Capability.IMPORT, Capability.EDIT},
    Role.TOWNSHIP: _VIEW | {Capability.IMPORT, Capability.EDIT, Capability.PUBLISH},
    Role.VILLAGE: _VIEW,
}
