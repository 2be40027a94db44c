"""The data comparison's rules: each one SELECT, written once in PostgreSQL's dialect over logical table names.

Engines (`redflags.engine` for the database, `redflags.engines.spark` for a cluster) read only what is here:
`TABLES` maps each logical table to the Django table and the columns the rules use; `RULES` lists the rules.
Every rule returns the same columns (`HIT_COLUMNS`); its parameters are named placeholders (`:name`), either the
plan's numbers it declares (`Rule.params`, placeholder → core.plan parameter) or the run's values that every
engine supplies (`RUN_PARAMETERS`, computed by `redflags.engine.run_parameters`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sunshine.core.plan import PlanParam


@dataclass(frozen=True)
class Table:
    db_table: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    code: str  # "R01"
    title: str
    explanation: str  # plain Chinese, citing the problem type of the 27 (二、治理重点)
    problem_type: int  # 1–27
    sql: str  # one SELECT in PostgreSQL's dialect over TABLES' logical names, returning HIT_COLUMNS
    params: dict[str, PlanParam] = field(default_factory=dict)  # placeholder → the plan's number
    # False: the rule reads small tables (projects, allocations, village accounts) and is evaluated whole on every
    # run; True: it honours :since_payment / :since_batch and an incremental run sees only what arrived since.
    incremental: bool = True
    # PostgreSQL only, SET LOCAL for the rule's transaction in a full run: planner settings for a rule shaped to
    # probe indexes from a few rows, whose row counts PostgreSQL cannot estimate (hashed keys have no overlap
    # statistics, a payment's amount against its standard's is a join condition): it would hash whole tables
    # instead. An incremental run starts from the new rows, which PostgreSQL counts well: no settings.
    pg_settings: tuple[str, ...] = ()

    @property
    def tables(self) -> list[str]:
        import re

        return sorted({name for name in TABLES if re.search(rf"\b{name}\b", self.sql)})


# What every rule returns, in this order. subject_key is the hit's stable identity (a later run finding the same
# thing again adds nothing); region_id is the village (the township for township-wide rules) whose clue it is;
# ref_table/ref_id name the record the hit is about (a logical table name and its id), for the evidence.
HIT_COLUMNS = ("subject_key", "region_id", "household_id", "ref_table", "ref_id", "amount", "event_date", "note")

# Values each run supplies (engines fill them; redflags.engine.run_parameters computes them):
RUN_PARAMETERS = {
    "since_payment": "incremental watermark: payments with a larger id are new (0 for a full run)",
    "since_batch": "incremental watermark: registry rows of a later batch are new (0 for a full run)",
    "overdue_before": "funds.rules.publication_overdue_before(today): unpublished payments paid before are overdue",
    "prev_overdue_before": "the previous run's overdue_before (1900-01-01 for a full run)",
    "idle_cutoff": "funds.rules.idle_cutoff(today): allocations made on or before it and unspent are idle",
    "disclose_before": "today minus redflags.r13.disclose_days, as a timestamp at 00:00",
}

TABLES: dict[str, Table] = {
    "payment": Table("funds_householdpayment", (
        "id", "lineage", "household_id", "village_id", "payee_id_number", "fund_item", "amount", "period",
        "paid_on", "is_current", "published_at", "allocation_id")),
    "household": Table("org_household", ("id", "village_id", "member_count", "poverty_status")),
    "region": Table("org_region", ("id", "parent_id", "level")),
    # The slots paid twice, kept as payments arrive (services.payment_slots_refresh): R08's and R09's candidates.
    "household_slot": Table("redflags_householdslotclash", ("id", "household_id", "fund_item", "period")),
    "payee_slot": Table("redflags_payeeslotclash", ("id", "payee_id_number", "fund_item", "period", "village_id")),
    "person_key": Table("redflags_personkey", ("id", "id_number", "id_key", "household_id", "shared")),
    # The person keys some registry lists (services.registry_keys_refresh): incremental runs' registry rules start here.
    "registry_key": Table("redflags_registrykey", ("id", "household_id", "id_key")),
    "official": Table("redflags_official", ("id", "batch_id", "id_key", "kind")),
    "relative": Table("redflags_officialrelative", ("id", "batch_id", "official_id", "id_key", "relation")),
    "death": Table("redflags_deathrecord", ("id", "batch_id", "id_key", "died_on")),
    "vehicle": Table("redflags_vehicle", ("id", "batch_id", "plate", "owner_key", "vehicle_type")),
    "business": Table("redflags_businessrole", ("id", "batch_id", "credit_code", "id_key", "role")),
    "property": Table("redflags_propertypurchase", ("id", "batch_id", "certificate", "buyer_key", "amount",
                                                    "bought_on")),
    "pension": Table("redflags_pensionenrolment", ("id", "batch_id", "id_key", "enrolled_on")),
    "disability": Table("redflags_disabilityrecord", ("id", "batch_id", "id_key")),
    "standard": Table("redflags_fundstandard", ("id", "batch_id", "fund_item", "basis", "amount", "valid_from",
                                                "valid_to")),
    "allocation": Table("funds_fundallocation", ("id", "lineage", "region_id", "amount", "allocated_on",
                                                 "is_current")),
    "project": Table("funds_project", ("id", "lineage", "village_id", "budget", "contract_amount", "contractor",
                                       "status", "is_current", "published_at", "created_at")),
    "spending": Table("funds_projectspending", ("id", "project_id", "allocation_id", "village_id", "amount",
                                                "paid_on", "is_current", "paid_before_acceptance")),
    "account_txn": Table("funds_accounttransaction", ("id", "account_id", "village_id", "occurred_on", "direction",
                                                      "amount", "counterparty", "is_current")),
}

from .catalog import RULES  # noqa: E402  (the catalogue uses Rule above)

RULES_BY_CODE = {rule.code: rule for rule in RULES}


def rule_by_code(code: str) -> Rule:
    return RULES_BY_CODE[code]


__all__ = ["HIT_COLUMNS", "RULES", "RULES_BY_CODE", "RUN_PARAMETERS", "TABLES", "Rule", "Table", "rule_by_code"]
