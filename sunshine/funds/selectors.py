"""Reads of the funds domain. Staff lists take the actor and go through jurisdiction scoping; the few public reads
(published notices, the ledger, verification by code) take no actor and return only published data."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum

from sunshine.core.models import ImportJob
from sunshine.org.capabilities import require
from sunshine.org.choices import Post, UnitKind
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Person, Region

from .canonical import normalize_code
from .capabilities import Capability
from .choices import LedgerKind, NoticeStatus, RecordType
from .models import (
    AccountTransaction,
    FundAllocation,
    HouseholdPayment,
    LedgerEntry,
    Notice,
    NoticeItem,
    Project,
    ProjectEvent,
    VillageAccount,
)
from .registry import record_kind
from .verification import LedgerReport, Mismatch, NoticeVerification, ledger_verify, notice_verify  # noqa: F401

IMPORT_KIND_PREFIX = "funds."


def _in_region(qs: QuerySet, lookup: str, region: Region | None) -> QuerySet:
    return qs if region is None else qs.filter(**{f"{lookup}__startswith": region.path})


# ---- staff reads (scoped) ------------------------------------------------------------------------------------

def allocation_list_visible_to(*, actor, region: Region | None = None, level: str = "", year: int | None = None,
                               q: str = "", current_only: bool = True) -> QuerySet[FundAllocation]:
    require(actor, Capability.VIEW)
    qs = visible(FundAllocation.objects.select_related("region", "region__parent", "project"), actor=actor)
    qs = _in_region(qs, "region__path", region)
    if current_only:
        qs = qs.filter(is_current=True)
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(allocated_on__year=year)
    if q:
        qs = qs.filter(Q(document_number__contains=q) | Q(fund_type__contains=q) | Q(recipient_name__contains=q))
    return qs.order_by("-allocated_on", "-id")


def allocation_get_for(*, actor, pk: int) -> FundAllocation:
    require(actor, Capability.VIEW)
    return get_visible(FundAllocation.objects.select_related("region", "project", "supersedes"), actor=actor, pk=pk)


def project_list_visible_to(*, actor, region: Region | None = None, status: str = "", q: str = "",
                            current_only: bool = True) -> QuerySet[Project]:
    require(actor, Capability.VIEW)
    qs = visible(Project.objects.select_related("village", "village__parent"), actor=actor)
    qs = _in_region(qs, "village__path", region)
    if current_only:
        qs = qs.filter(is_current=True)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q) | Q(contractor__contains=q))
    return qs.order_by("-created_at", "-id")


def project_get_for(*, actor, pk: int) -> Project:
    require(actor, Capability.VIEW)
    return get_visible(Project.objects.select_related("village", "village__parent", "supersedes"), actor=actor,
                       pk=pk)


def project_events(*, project: Project) -> QuerySet[ProjectEvent]:
    """Every lifecycle step of the record, across its correction versions."""
    return ProjectEvent.objects.filter(lineage=project.lineage).select_related("actor").order_by("at", "id")


def project_funding(*, project: Project) -> QuerySet[FundAllocation]:
    return FundAllocation.objects.filter(project__lineage=project.lineage, is_current=True).order_by("allocated_on")


def payment_list_visible_to(*, actor, region: Region | None = None, fund_item: str = "", q: str = "",
                            household_id: int | None = None, current_only: bool = True
                            ) -> QuerySet[HouseholdPayment]:
    require(actor, Capability.VIEW)
    qs = visible(HouseholdPayment.objects.select_related("village", "household"), actor=actor)
    qs = _in_region(qs, "village__path", region)
    if current_only:
        qs = qs.filter(is_current=True)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if fund_item:
        qs = qs.filter(fund_item=fund_item)
    if q:
        qs = qs.filter(Q(payee_name=q) | Q(household__code__startswith=q) | Q(payee_id_number=q))
    return qs.order_by("-paid_on", "-id")


def payment_counts_by_village() -> list[dict]:
    """The whole city's current household payments by village and paying unit, for the kept home-page totals
    (sunshine.core.kept): no actor, because every reader's share is taken from these rows by its jurisdiction
    (a row counts for the village's territory and for the paying unit, as HouseholdPayment.jurisdiction says)."""
    paths = dict(Region.objects.values_list("id", "path"))
    rows = (HouseholdPayment.objects.filter(is_current=True).order_by().values("village_id", "owner_unit_id")
            .annotate(n=Count("id")).values_list("village_id", "owner_unit_id", "n"))
    return [{"spath": paths.get(village_id, ""), "unit": unit_id, "k": "", "n": n} for village_id, unit_id, n in rows]


def payment_get_for(*, actor, pk: int) -> HouseholdPayment:
    require(actor, Capability.VIEW)
    return get_visible(HouseholdPayment.objects.select_related("village", "household", "allocation", "supersedes"),
                       actor=actor, pk=pk)


def account_list_visible_to(*, actor, region: Region | None = None) -> QuerySet[VillageAccount]:
    require(actor, Capability.VIEW)
    qs = visible(VillageAccount.objects.select_related("village", "village__parent"), actor=actor)
    return _in_region(qs, "village__path", region).order_by("village__code", "account_number")


def account_get_for(*, actor, pk: int) -> VillageAccount:
    require(actor, Capability.VIEW)
    return get_visible(VillageAccount.objects.select_related("village"), actor=actor, pk=pk)


def transaction_list_visible_to(*, actor, region: Region | None = None, account_id: int | None = None,
                                direction: str = "", q: str = "", current_only: bool = True
                                ) -> QuerySet[AccountTransaction]:
    require(actor, Capability.VIEW)
    qs = visible(AccountTransaction.objects.select_related("village", "account"), actor=actor)
    qs = _in_region(qs, "village__path", region)
    if current_only:
        qs = qs.filter(is_current=True)
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if direction:
        qs = qs.filter(direction=direction)
    if q:
        qs = qs.filter(Q(purpose__contains=q) | Q(counterparty__contains=q) | Q(voucher_number=q))
    return qs.order_by("-occurred_on", "-id")


def transaction_get_for(*, actor, pk: int) -> AccountTransaction:
    require(actor, Capability.VIEW)
    return get_visible(AccountTransaction.objects.select_related("village", "account", "supersedes"), actor=actor,
                       pk=pk)


def record_get_for(*, actor, record_type: str, pk: int):
    """One record of any of the four types, fetched and authorised in one call (404 outside the jurisdiction)."""
    getter = {
        RecordType.ALLOCATION: allocation_get_for, RecordType.PROJECT: project_get_for,
        RecordType.PAYMENT: payment_get_for, RecordType.TRANSACTION: transaction_get_for,
    }.get(record_type)
    if getter is None:
        from sunshine.core.errors import NotFound

        raise NotFound()
    return getter(actor=actor, pk=pk)


def record_versions(*, record) -> QuerySet:
    """Every version of a record, oldest first (a correction never hides the version it corrects)."""
    return type(record).objects.filter(lineage=record.lineage).order_by("version")


def notice_list_visible_to(*, actor, region: Region | None = None, kind: str = "", status: str = ""
                           ) -> QuerySet[Notice]:
    require(actor, Capability.VIEW)
    qs = visible(Notice.objects.select_related("scope_region", "scope_region__parent"), actor=actor)
    qs = _in_region(qs, "scope_region__path", region)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_on", "-id")


def notice_get_for(*, actor, pk: int) -> Notice:
    require(actor, Capability.VIEW)
    return get_visible(Notice.objects.select_related("scope_region", "scope_region__parent", "created_by",
                                                     "published_by"), actor=actor, pk=pk)


def import_job_list_visible_to(*, actor, kind: str = "") -> QuerySet[ImportJob]:
    require(actor, Capability.VIEW)
    qs = visible(ImportJob.objects.select_related("created_by"), actor=actor)
    return qs.filter(kind=kind) if kind else qs.filter(kind__startswith=IMPORT_KIND_PREFIX)


def publishable_records(*, actor, kind: str, region: Region) -> QuerySet:
    """Current records of `kind` inside `region` that no published notice carries yet (the publish form's list)."""
    require(actor, Capability.VIEW)
    record = record_kind(RecordType(kind))
    qs = visible(record.model.objects.all(), actor=actor).filter(is_current=True, published_at__isnull=True,
                                                                 **{f"{record.region_path}__startswith": region.path})
    return qs.select_related(*record.related)


# ---- notices and the ledger (also used by the public portal) --------------------------------------------------

@dataclass
class NoticeRow:
    """One record of a notice as printed: the published version, and the correction that replaced it if any."""

    position: int
    record: object
    correction: object | None = None  # the current version, when the printed one was corrected
    reason: str = ""


def notice_items(*, notice: Notice) -> QuerySet[NoticeItem]:
    record = record_kind(notice.kind)
    rel = record.item_field
    return notice.items.select_related(rel, *(f"{rel}__{r}" for r in record.related)).order_by("position")


def notice_rows(*, notice: Notice) -> list[NoticeRow]:
    """The notice's records in order, each with its current correction (both stay visible)."""
    items = list(notice_items(notice=notice))
    rows = [NoticeRow(position=i.position, record=i.record) for i in items]
    superseded = [r for r in rows if not r.record.is_current]
    if superseded:
        model = type(superseded[0].record)
        current = {r.lineage: r for r in model.objects.filter(
            lineage__in=[r.record.lineage for r in superseded], is_current=True)}
        for row in superseded:
            row.correction = current.get(row.record.lineage)
            row.reason = row.correction.correction_reason if row.correction else ""
    return rows


def notice_totals(*, notice: Notice) -> dict:
    """Count and amount of the notice's records (receipts and payments apart for an account notice)."""
    record = record_kind(notice.kind)
    rel = record.item_field
    amount_field = f"{rel}__{record.amount_field}"
    totals = notice.items.aggregate(total=Sum(amount_field))
    out = {"count": notice.items.count(), "amount": totals["total"] or 0}
    if record.type == RecordType.TRANSACTION:
        out["receipts"] = notice.items.filter(transaction__direction="in").aggregate(s=Sum(amount_field))["s"] or 0
        out["payments"] = notice.items.filter(transaction__direction="out").aggregate(s=Sum(amount_field))["s"] or 0
    return out


def ledger_entry_for_code(code: str) -> LedgerEntry | None:
    """Public: the ledger entry printed on a notice as its short code (either the publication or a correction)."""
    code = normalize_code(code)
    if not code:
        return None
    return LedgerEntry.objects.select_related("notice", "notice__scope_region").filter(code=code).first()


def ledger_entries_of(*, notice: Notice) -> QuerySet[LedgerEntry]:
    """The publication entry and any correction entries of a notice, in chain order."""
    return notice.ledger_entries.order_by("seq")


def ledger_publication_entry(*, notice: Notice) -> LedgerEntry | None:
    return notice.ledger_entries.filter(kind=LedgerKind.PUBLISH).first()


def ledger_recent(*, limit: int = 20) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.select_related("notice", "notice__scope_region").order_by("-seq")[:limit]


# ---- whom an SMS goes to ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Supervisor:
    person_id: int
    name: str
    phone: str


def village_supervisors(*, village: Region) -> list[Supervisor]:
    """三(二)3: the current village supervisors (村级监督员) of the village committee governing `village`."""
    people = Person.objects.filter(
        positions__post=Post.VILLAGE_SUPERVISOR, positions__end_date__isnull=True,
        positions__unit__kind=UnitKind.VILLAGE_COMMITTEE, positions__unit__territory=village,
    ).distinct().order_by("id")
    return [Supervisor(p.pk, p.name, p.phone) for p in people]


def village_supervisors_by_village(*, village_ids: list[int]) -> dict[int, list[Supervisor]]:
    """The same for many villages in one query (the transactions import)."""
    out: dict[int, list[Supervisor]] = {}
    rows = Person.objects.filter(
        positions__post=Post.VILLAGE_SUPERVISOR, positions__end_date__isnull=True,
        positions__unit__kind=UnitKind.VILLAGE_COMMITTEE, positions__unit__territory_id__in=village_ids,
    ).values_list("positions__unit__territory_id", "id", "name", "phone").distinct().order_by("id")
    for village_id, pk, name, phone in rows:
        out.setdefault(village_id, []).append(Supervisor(pk, name, phone))
    return out


# ---- payments waiting to be published (三(二)3) ---------------------------------------------------------------

@dataclass
class VillageWaiting:
    """A village's household payments that no notice carries yet (nor an open draft): what its township owes."""

    village_id: int
    village_name: str
    township_name: str
    count: int
    total: object
    oldest: object
    overdue: int  # past funds.rules.publication_due_date


def _waiting_payments(*, actor) -> QuerySet[HouseholdPayment]:
    in_draft = NoticeItem.objects.filter(payment_id=OuterRef("pk"), notice__status=NoticeStatus.DRAFT)
    return (visible(HouseholdPayment.objects.all(), actor=actor)
            .filter(is_current=True, published_at__isnull=True).exclude(Exists(in_draft)))


def payments_waiting_by_village(*, actor, today=None) -> list[VillageWaiting]:
    """Per village the actor sees: unpublished payments not in a draft, their total, the oldest, how many overdue
    (the one due-date rule, funds.rules). Most overdue first."""
    from django.utils import timezone

    from .rules import publication_overdue_before

    require(actor, Capability.VIEW)
    before = publication_overdue_before(today or timezone.localdate())
    rows = (_waiting_payments(actor=actor).order_by()
            .values("village_id", "village__name", "village__parent__name")
            .annotate(n=Count("id"), total=Sum("amount"), oldest=Min("paid_on"),
                      overdue=Count("id", filter=Q(paid_on__lt=before))))
    waiting = [VillageWaiting(village_id=r["village_id"], village_name=r["village__name"],
                              township_name=r["village__parent__name"], count=r["n"], total=r["total"],
                              oldest=r["oldest"], overdue=r["overdue"]) for r in rows]
    return sorted(waiting, key=lambda w: (-w.overdue, w.oldest, w.village_name))


def payments_waiting_ids(*, actor, village: Region, limit: int) -> list[int]:
    """The ids of a village's payments waiting to be published, oldest first (the one-step draft's records)."""
    require(actor, Capability.VIEW)
    return list(_waiting_payments(actor=actor).filter(village_id=village.pk).order_by("paid_on", "id")
                .values_list("id", flat=True)[:limit])


def payments_waiting_count(*, actor) -> int:
    require(actor, Capability.VIEW)
    return _waiting_payments(actor=actor).count()


# ---- project spending (三(二)3 资金使用情况) ---------------------------------------------------------------------

def project_spendings(*, project: Project) -> QuerySet:
    """The project's payments out (every correction version of the project keeps them), newest first."""
    from .models import ProjectSpending

    return (ProjectSpending.objects.filter(project__lineage=project.lineage, is_current=True)
            .select_related("allocation", "transaction").order_by("-paid_on", "-id"))


@dataclass(frozen=True)
class ProjectMoney:
    """Allocated / paid / remaining of one project, with the chain filing → acceptance → payment."""

    allocated: object
    paid: object
    remaining: object
    paid_before_acceptance: int  # spendings flagged
    filed_on: object
    accepted_on: object
    first_paid_on: object
    last_paid_on: object


def project_money(*, project: Project) -> ProjectMoney:
    from decimal import Decimal

    from django.db.models import Max

    allocated = project_funding(project=project).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    agg = project_spendings(project=project).aggregate(
        t=Sum("amount"), first=Min("paid_on"), last=Max("paid_on"),
        flagged=Count("id", filter=Q(paid_before_acceptance=True)))
    paid = agg["t"] or Decimal(0)
    return ProjectMoney(allocated=allocated, paid=paid, remaining=allocated - paid,
                        paid_before_acceptance=agg["flagged"], filed_on=project.filed_on,
                        accepted_on=project.accepted_on, first_paid_on=agg["first"], last_paid_on=agg["last"])


def projects_money(*, projects: list[Project]) -> dict[int, ProjectMoney]:
    """`project_money` of many projects in two queries (allocations and spending grouped by lineage), by project id:
    a list or export of projects reads its money per page or chunk, not per project."""
    from decimal import Decimal

    from django.db.models import Max

    from .models import ProjectSpending

    lineages = {p.lineage for p in projects}
    allocated = dict(FundAllocation.objects.filter(project__lineage__in=lineages, is_current=True).order_by()
                     .values("project__lineage").annotate(t=Sum("amount")).values_list("project__lineage", "t"))
    spent = {r["project__lineage"]: r for r in ProjectSpending.objects.filter(
        project__lineage__in=lineages, is_current=True).order_by().values("project__lineage").annotate(
        t=Sum("amount"), first=Min("paid_on"), last=Max("paid_on"),
        flagged=Count("id", filter=Q(paid_before_acceptance=True)))}
    out = {}
    for p in projects:
        a = allocated.get(p.lineage) or Decimal(0)
        agg = spent.get(p.lineage, {})
        paid = agg.get("t") or Decimal(0)
        out[p.pk] = ProjectMoney(allocated=a, paid=paid, remaining=a - paid,
                                 paid_before_acceptance=agg.get("flagged", 0), filed_on=p.filed_on,
                                 accepted_on=p.accepted_on, first_paid_on=agg.get("first"),
                                 last_paid_on=agg.get("last"))
    return out


def spending_list_visible_to(*, actor, region: Region | None = None, flagged: bool = False,
                             project_id: int | None = None) -> QuerySet:
    from .models import ProjectSpending

    require(actor, Capability.VIEW)
    qs = visible(ProjectSpending.objects.select_related("project", "village", "village__parent", "allocation"),
                 actor=actor).filter(is_current=True)
    qs = _in_region(qs, "village__path", region)
    if flagged:
        qs = qs.filter(paid_before_acceptance=True)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("-paid_on", "-id")


def project_allocation_choices(*, project: Project) -> QuerySet[FundAllocation]:
    """Allocations spending on this project may draw on: the project's own, its village's and its township's."""
    codes = [c for c in project.village.path.split("/") if c]
    paths = ["".join(f"{c}/" for c in codes[:i]) for i in range(1, len(codes) + 1)]
    return (FundAllocation.objects.filter(is_current=True)
            .filter(Q(project__lineage=project.lineage) | Q(project__isnull=True, region__path__in=paths))
            .select_related("region").order_by("allocated_on", "id"))
