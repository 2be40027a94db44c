"""Published records. A record is public once its notice is published (`published_at` set); drafts never are.

Lists show the current version; a corrected record carries the version it replaced and the reason, so both
versions are visible (三(二)3: a published disclosure is never changed silently). Each type's mapper is named
in `funds.registry` (`RecordKind.to_public`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Sum

from sunshine.core.masking import mask_bank_card, mask_id_number, mask_text

from ..choices import PROJECT_STAGE_ORDER, NoticeStatus
from ..models import (
    AccountTransaction,
    FundAllocation,
    HouseholdPayment,
    NoticeItem,
    Project,
)
from ..registry import record_kind
from .common import public_name, yuan


def _published(qs):
    return qs.filter(published_at__isnull=False, is_current=True)


# The same rule in SQL, for the one hot query written by hand (village_summary): keep the two together.
PUBLISHED_SQL = "is_current AND published_at IS NOT NULL"


@dataclass(frozen=True)
class PublicAllocation:
    id: int
    version: int
    level: str
    level_name: str
    document_number: str
    fund_type: str
    amount: Decimal
    recipient_kind_name: str
    recipient_name: str
    region_name: str
    allocated_on: dt.date
    purpose: str
    correction_reason: str = ""
    previous: PublicAllocation | None = None

    @property
    def summary(self) -> str:
        return f"{self.document_number} {self.fund_type} {self.recipient_name} {yuan(self.amount)}"


def _allocation(a: FundAllocation, *, with_previous: bool = True) -> PublicAllocation:
    previous = a.supersedes if with_previous and a.supersedes_id else None
    return PublicAllocation(
        id=a.pk, version=a.version, level=a.level, level_name=a.get_level_display(),
        document_number=a.document_number, fund_type=a.fund_type, amount=a.amount,
        recipient_kind_name=a.get_recipient_kind_display(), recipient_name=mask_text(a.recipient_name),
        region_name=a.region.name, allocated_on=a.allocated_on, purpose=mask_text(a.purpose),
        correction_reason=mask_text(a.correction_reason),
        previous=_allocation(previous, with_previous=False) if previous is not None else None,
    )


@dataclass(frozen=True)
class PublicProject:
    id: int
    version: int
    code: str
    name: str
    project_type: str
    village_name: str
    status: str
    status_name: str
    stage_number: int  # 1-based position in PROJECT_STAGE_ORDER, 0 when cancelled
    stage_total: int
    budget: Decimal
    contract_amount: Decimal | None
    allocated_amount: Decimal | None  # set in village lists, where the allocations are summed
    contractor: str
    content: str
    approval_document: str
    filing_number: str
    approved_on: dt.date | None
    started_on: dt.date | None
    accepted_on: dt.date | None
    correction_reason: str = ""
    previous: PublicProject | None = None
    # 三(二)3 资金使用情况 (village lists only): paid to contractors and suppliers, what is left, when first paid.
    paid_amount: Decimal | None = None
    remaining_amount: Decimal | None = None
    first_paid_on: dt.date | None = None

    @property
    def summary(self) -> str:
        return f"{self.name} {self.status_name} {yuan(self.budget)}"


def _project(p: Project, *, allocated: Decimal | None = None, with_previous: bool = True,
             paid: tuple | None = None) -> PublicProject:
    previous = p.supersedes if with_previous and p.supersedes_id else None
    stage = PROJECT_STAGE_ORDER.index(p.status) + 1 if p.status in PROJECT_STAGE_ORDER else 0
    return PublicProject(
        id=p.pk, version=p.version, code=p.code, name=mask_text(p.name), project_type=p.project_type,
        village_name=p.village.name, status=p.status, status_name=p.get_status_display(), stage_number=stage,
        stage_total=len(PROJECT_STAGE_ORDER), budget=p.budget, contract_amount=p.contract_amount,
        allocated_amount=allocated, contractor=mask_text(p.contractor), content=mask_text(p.content),
        approval_document=p.approval_document, filing_number=p.filing_number, approved_on=p.approved_on,
        started_on=p.started_on, accepted_on=p.accepted_on, correction_reason=mask_text(p.correction_reason),
        previous=_project(previous, with_previous=False) if previous is not None else None,
        paid_amount=paid[0] if paid else None,
        remaining_amount=(allocated - paid[0]) if paid and allocated is not None else None,
        first_paid_on=paid[1] if paid else None,
    )


def _spent_on_projects(lineages: list) -> dict:
    """Project spending (current records) per project lineage: (total, first payment date)."""
    from ..models import ProjectSpending

    if not lineages:
        return {}
    rows = (ProjectSpending.objects.filter(project__lineage__in=lineages, is_current=True)
            .values("project__lineage").annotate(total=Sum("amount"), first=Min("paid_on")))
    return {r["project__lineage"]: (r["total"], r["first"]) for r in rows}


def _allocated_to_projects(lineages: list) -> dict:
    """Published allocations to each project (by lineage, so a corrected project keeps its money)."""
    if not lineages:
        return {}
    rows = (_published(FundAllocation.objects).filter(project__lineage__in=lineages)
            .values("project__lineage").annotate(total=Sum("amount")))
    return {r["project__lineage"]: r["total"] for r in rows}


@dataclass(frozen=True)
class PublicTransaction:
    id: int
    version: int
    occurred_on: dt.date
    direction: str
    direction_name: str
    amount: Decimal
    balance: Decimal | None
    counterparty: str
    purpose: str
    voucher_number: str
    correction_reason: str = ""
    previous: PublicTransaction | None = None

    @property
    def summary(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.direction_name} {yuan(self.amount)} {self.purpose}"


def _transaction(t: AccountTransaction, *, with_previous: bool = True) -> PublicTransaction:
    previous = t.supersedes if with_previous and t.supersedes_id else None
    return PublicTransaction(
        id=t.pk, version=t.version, occurred_on=t.occurred_on, direction=t.direction,
        direction_name=t.get_direction_display(), amount=t.amount, balance=t.balance,
        counterparty=mask_text(t.counterparty), purpose=mask_text(t.purpose), voucher_number=mask_text(t.voucher_number),
        correction_reason=mask_text(t.correction_reason),
        previous=_transaction(previous, with_previous=False) if previous is not None else None,
    )


@dataclass(frozen=True)
class PublicPayment:
    id: int
    version: int
    payee_name: str
    payee_id_masked: str
    fund_item: str
    amount: Decimal
    period: str
    paid_on: dt.date
    card_masked: str
    notice_code: str = ""
    correction_reason: str = ""
    previous: PublicPayment | None = None

    @property
    def summary(self) -> str:
        return f"{self.payee_name} {self.fund_item} {yuan(self.amount)} {self.paid_on:%Y-%m-%d}"



def _payment(p: HouseholdPayment, *, notice_code: str = "", with_previous: bool = True) -> PublicPayment:
    previous = p.supersedes if with_previous and p.supersedes_id else None
    return PublicPayment(
        id=p.pk, version=p.version, payee_name=public_name(p.payee_name),
        payee_id_masked=mask_id_number(p.payee_id_number),
        fund_item=p.fund_item, amount=p.amount, period=p.period, paid_on=p.paid_on,
        card_masked=mask_bank_card(p.bank_card), notice_code=notice_code,
        correction_reason=mask_text(p.correction_reason),
        previous=_payment(previous, with_previous=False) if previous is not None else None,
    )


def _notice_codes_of_payments(payment_ids: list[int]) -> dict[int, str]:
    """The published notice each payment row appeared in (its latest one), by payment id."""
    if not payment_ids:
        return {}
    rows = (NoticeItem.objects.filter(payment_id__in=payment_ids, notice__status=NoticeStatus.PUBLISHED)
            .order_by("notice__published_at").values_list("payment_id", "notice__code"))
    return dict(rows)


# Corrections are chained one version at a time; a record corrected more often than this is shown without a code.
MAX_VERSION_WALK = 10


def _notice_codes(payments: list[HouseholdPayment]) -> dict[int, str]:
    """Notice codes by payment id. A correction version sits in no notice of its own (the ledger records it against
    the original notice), so its code is found by walking back to the version a notice listed."""
    codes = _notice_codes_of_payments([p.pk for p in payments])
    pending = {p.pk: p.supersedes_id for p in payments if p.pk not in codes and p.supersedes_id}
    for _step in range(MAX_VERSION_WALK):
        if not pending:
            break
        found = _notice_codes_of_payments(list(set(pending.values())))
        for pid, older in list(pending.items()):
            if older in found:
                codes[pid] = found[older]
                del pending[pid]
        if pending:
            parents = dict(HouseholdPayment.objects.filter(pk__in=set(pending.values()))
                           .values_list("pk", "supersedes_id"))
            pending = {pid: parents[older] for pid, older in pending.items() if parents.get(older)}
    return codes


# ---- each type's public read model (named in funds.registry: RecordKind.to_public) --------------------------

def public_allocation(record: FundAllocation, *, notice_code: str = "") -> PublicAllocation:
    return _allocation(record)


def public_project(record: Project, *, notice_code: str = "") -> PublicProject:
    return _project(record)


def public_payment(record: HouseholdPayment, *, notice_code: str = "") -> PublicPayment:
    return _payment(record, notice_code=notice_code)


def public_transaction(record: AccountTransaction, *, notice_code: str = "") -> PublicTransaction:
    return _transaction(record)


def public_record(kind: str, record, *, notice_code: str = ""):
    """The masked public dataclass of a record of any type."""
    return record_kind(kind).to_public(record, notice_code=notice_code)


def record_related(kind: str, prefix: str = "") -> list[str]:
    """select_related paths for a record and the version it corrected (both are rendered)."""
    own = record_kind(kind).public_related
    return [f"{prefix}{p}" for p in [*own, "supersedes", *(f"supersedes__{r}" for r in own)]]


def current_versions(kind: str, records: list) -> dict:
    """The published current version of each record's lineage (uses the one-current-version unique index)."""
    lineages = [r.lineage for r in records if r is not None]
    if not lineages:
        return {}
    qs = _published(record_kind(kind).model.objects).filter(lineage__in=lineages).select_related(*record_related(kind))
    return {r.lineage: r for r in qs}
