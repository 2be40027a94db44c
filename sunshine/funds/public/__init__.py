"""Public reads for the portal (三(二)3): only published records, every personal field masked.

Nothing here takes an actor: these are the declared public exceptions. Every function returns plain
dataclasses (never model instances with unmasked fields), so a page or an API answer cannot leak a full
ID number, phone or card number by accident.

One module per subject: `common` (a page of a list, money, names and phones), `regions` (townships and villages),
`records` (the four record types' public read models), `notices` (公示 and their ledger), `villages` (a township's
and a village's disclosure pages), `households` (the self-check), `verify` (a notice checked against the ledger),
`objections` (what an objection is about). This package re-exports what the portal and the API call.
"""
from .common import MAX_LIMIT, MAX_OFFSET, PAGE_SIZE, ZERO, Page, page_bounds, public_name, public_phone, yuan
from .households import (
    INVALID_MESSAGE,
    LOOKUP_FAILURES_PER_REQUESTER,
    LOOKUP_PER_IP,
    MAX_HOUSEHOLD_PAYMENTS,
    NOT_FOUND_MESSAGE,
    HouseholdCheck,
    household_check,
    household_find,
    household_payments,
    normalize_name,
)
from .notices import (
    NOTICE_PAGE_SIZE,
    PublicLedgerEntry,
    PublicNotice,
    PublicNoticeRecord,
    normalize_notice_code,
    notice_get,
    notice_records,
)
from .objections import describe_record, objection_hint
from .records import (
    PUBLISHED_SQL,
    PublicAllocation,
    PublicPayment,
    PublicProject,
    PublicTransaction,
    public_allocation,
    public_payment,
    public_project,
    public_record,
    public_transaction,
)
from .regions import (
    PublicRegion,
    TownshipVillages,
    township_get,
    township_list,
    village_choices,
    village_get,
    village_list,
)
from .verify import PublicVerification, notice_check_code, notice_verify
from .villages import (
    SECTION_PAGE_SIZE,
    VILLAGE_SECTIONS,
    VillageSummary,
    allocation_page,
    notice_page,
    payment_page,
    project_page,
    transaction_page,
    village_disclosure,
    village_summary,
)

__all__ = [
    "INVALID_MESSAGE", "LOOKUP_FAILURES_PER_REQUESTER", "LOOKUP_PER_IP", "MAX_HOUSEHOLD_PAYMENTS", "MAX_LIMIT",
    "MAX_OFFSET", "NOTICE_PAGE_SIZE", "NOT_FOUND_MESSAGE", "PAGE_SIZE", "PUBLISHED_SQL", "SECTION_PAGE_SIZE",
    "VILLAGE_SECTIONS", "ZERO", "HouseholdCheck", "Page", "PublicAllocation", "PublicLedgerEntry", "PublicNotice",
    "PublicNoticeRecord", "PublicPayment", "PublicProject", "PublicRegion", "PublicTransaction",
    "PublicVerification", "TownshipVillages", "VillageSummary", "allocation_page", "describe_record",
    "household_check", "household_find", "household_payments", "normalize_name", "normalize_notice_code",
    "notice_check_code", "notice_get", "notice_page", "notice_records", "notice_verify", "objection_hint",
    "page_bounds", "payment_page", "project_page", "public_allocation", "public_name", "public_payment",
    "public_phone", "public_project", "public_record", "public_transaction", "township_get", "township_list",
    "transaction_page", "village_choices", "village_disclosure", "village_get", "village_list", "village_summary",
    "yuan",
]
