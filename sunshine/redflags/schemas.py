"""API schemas of the data comparison: explicit fields, never __all__."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class EvidenceLine(Schema):
    label: str
    value: str


class HitOut(Schema):
    id: int
    rule_code: str
    rule_title: str
    subject_key: str
    region_name: str
    amount: Decimal | None
    event_date: dt.date | None
    note: str
    review: str
    review_reason: str
    reviewed_by: str
    reviewed_at: dt.datetime | None
    case_number: str
    created_at: dt.datetime


class HitDetailOut(HitOut):
    explanation: str
    evidence: list[EvidenceLine]


class HitFilter(Schema):
    rule: str = Field("", description="规则编号,如 R02")
    review: str = Field("", description="pending / confirmed / false")


class ReviewIn(Schema):
    verdict: str = Field(..., description="confirmed(属实)或 false(误报)")
    reason: str = Field(..., max_length=300)


class ThresholdOut(Schema):
    name: str
    key: str
    label: str
    unit: str
    clause: str
    value: Decimal


class RuleOut(Schema):
    code: str
    title: str
    explanation: str
    problem_type: int
    enabled: bool
    incremental: bool
    hits: int
    confirmed: int
    false_positive: int
    pending: int
    precision: Decimal | None = Field(None, description="属实占已核实的百分比;尚无核实时为空")
    thresholds: list[ThresholdOut]
    changed_by: str
    changed_at: dt.datetime | None


class RuleSwitchIn(Schema):
    enabled: bool


class ThresholdIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    name: str
    value: Decimal


class RunIn(Schema):
    full: bool = False


class RunOut(Schema):
    id: int
    engine: str
    full: bool
    status: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict
    inputs: dict


class BatchOut(Schema):
    id: int
    kind: str
    kind_label: str
    source: str
    data_date: dt.date
    rows: int
    created_at: dt.datetime


class QueuedOut(Schema):
    detail: str
