"""Reads of the organisation domain; every list takes the actor and goes through jurisdiction scoping."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .capabilities import Capability, require
from .choices import RegionLevel
from .jurisdiction import get_visible, scope_for, visible
from .models import Household, Person, Position, ProblemType, Region, Unit


def region_subtree(*, region: Region) -> QuerySet[Region]:
    """Everything under `region` (itself included): one prefix query on the indexed path."""
    return Region.objects.filter(path__startswith=region.path)


def region_list_visible_to(*, actor, parent_id: int | None = None, level: int | None = None) -> QuerySet[Region]:
    require(actor, Capability.VIEW_ORG)
    qs = visible(Region.objects.all(), actor=actor)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if level is not None:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def region_get_for(*, actor, pk: int) -> Region:
    require(actor, Capability.VIEW_ORG)
    return get_visible(Region.objects.select_related("parent"), actor=actor, pk=pk)


def region_roots_for(*, actor) -> QuerySet[Region]:
    """The top regions an actor's home page starts from: the city, or their own townships/villages."""
    scope = scope_for(actor)
    if scope.whole_city:
        return Region.objects.filter(level=RegionLevel.CITY)
    return Region.objects.filter(path__in=scope.region_paths).order_by("code")


def unit_list_visible_to(*, actor, kind: str | None = None, q: str = "") -> QuerySet[Unit]:
    require(actor, Capability.VIEW_ORG)
    qs = visible(Unit.objects.select_related("territory"), actor=actor)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q))
    return qs


def unit_get_for(*, actor, pk: int) -> Unit:
    require(actor, Capability.VIEW_ORG)
    return get_visible(Unit.objects.select_related("territory", "parent"), actor=actor, pk=pk)


def member_units() -> QuerySet[Unit]:
    """三(一)2: the 31 member units in the plan's order (public reference data)."""
    return Unit.objects.filter(member_order__isnull=False).order_by("member_order")


def person_list_visible_to(*, actor, unit_id: int | None = None, post: str | None = None, q: str = ""):
    require(actor, Capability.VIEW_ORG)
    qs = visible(Person.objects.select_related("unit"), actor=actor)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if post:
        qs = qs.filter(positions__post=post, positions__end_date__isnull=True).distinct()
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("name", "id")


def person_get_for(*, actor, pk: int) -> Person:
    require(actor, Capability.VIEW_ORG)
    return get_visible(Person.objects.select_related("unit"), actor=actor, pk=pk)


def positions_of(*, person: Person) -> QuerySet[Position]:
    return person.positions.select_related("unit").order_by("-start_date")


def household_list_visible_to(
    *, actor, region_id: int | None = None, status: str | None = None, q: str = ""
) -> QuerySet[Household]:
    require(actor, Capability.VIEW_HOUSEHOLDS)
    qs = visible(Household.objects.select_related("village", "village__parent", "pairing_cadre"), actor=actor)
    if region_id is not None:
        region = region_get_for(actor=actor, pk=region_id)
        qs = qs.filter(village__path__startswith=region.path)
    if status:
        qs = qs.filter(poverty_status=status)
    if q:
        qs = qs.filter(Q(head_name__contains=q) | Q(code__startswith=q) | Q(members__name=q)).distinct()
    return qs.order_by("village__code", "code")


def household_get_for(*, actor, pk: int) -> Household:
    require(actor, Capability.VIEW_HOUSEHOLDS)
    qs = Household.objects.select_related("village", "village__parent", "group", "pairing_cadre").prefetch_related(
        "members"
    )
    return get_visible(qs, actor=actor, pk=pk)


def household_counts_by_village() -> list[dict]:
    """The whole city's households by village and poverty status, for the kept home-page totals
    (sunshine.core.kept): no actor, because every reader's share is taken from these rows by its jurisdiction."""
    paths = dict(Region.objects.values_list("id", "path"))
    rows = (Household.objects.order_by().values("village_id", "poverty_status")
            .annotate(n=Count("id")).values_list("village_id", "poverty_status", "n"))
    return [{"spath": paths.get(village_id, ""), "unit": None, "k": status, "n": n}
            for village_id, status, n in rows]


def problem_types() -> QuerySet[ProblemType]:
    return ProblemType.objects.select_related("group").order_by("number")


def account_list_for_role_management(*, actor):
    """Every staff account, for the security administrator who assigns roles (三权分立)."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import Account

    require(actor, Capability.MANAGE_ACCOUNTS)
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (Account.objects.select_related("unit").annotate(has_second_factor=Exists(enrolled))
            .order_by("username"))


def audit_records_for(*, actor, event: str = "", limit: int | None = 200):
    """The newest security audit records, for the audit administrator alone (三权分立)."""
    from sunshine.core.models import AuditRecord

    require(actor, Capability.VIEW_AUDIT_LOG)
    records = AuditRecord.objects.order_by("-id")
    if event:
        records = records.filter(event=event)
    return records[:limit]
