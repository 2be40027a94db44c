"""Writes of the organisation domain. Each takes the acting account and leaves one audit record (ORG_CHANGE, or
ROLE_CHANGE for roles); imports live in sunshine.org.importers."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import Signal

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError, CoreErrorCode
from sunshine.core.scoping import forget_resolved
from sunshine.org.errors import OrgErrorCode

from .choices import RegionLevel
from .models import Account, Household, Person, Position, Region, Unit

# Sent after a region's path changed (new code or parent) with old_path and new_path, inside the transaction: an app
# that keeps a copy of region paths (notify's outbox rows) rewrites its own rows; org names no app above it.
region_path_changed = Signal()


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
                             for k, v in exc.message_dict.items())
        raise ApplicationError(messages, code=CoreErrorCode.INVALID) from exc


def _audited(*, actor, obj, action: str, **detail) -> None:
    """One ORG_CHANGE record per change a person makes (core.audit, the one audit mechanism). `actor=None` is the
    system seeding reference data (migrations, `seed_demo`, test builders): nobody acted, so nothing is recorded."""
    if actor is None:
        return
    audit_record(event=AuditEvent.ORG_CHANGE, actor=actor, obj=obj, detail={"action": action, **detail})


@transaction.atomic
def region_create(*, actor, code: str, name: str, level: int, parent: Region | None = None,
                  is_poor_village: bool = False) -> Region:
    if (parent is None) != (level == RegionLevel.CITY):
        raise ApplicationError("只有市级区划没有上级", code=OrgErrorCode.REGION_PARENT)
    if parent is not None and parent.level != level - 1:
        raise ApplicationError("上级区划层级不符", code=OrgErrorCode.REGION_PARENT_LEVEL)
    region = Region(code=code, name=name, level=level, parent=parent, is_poor_village=is_poor_village)
    region.path = (parent.path if parent else "") + code + "/"
    _full_clean(region)
    region.save()
    _audited(actor=actor, obj=region, action="region_create")
    return region


@transaction.atomic
def region_update(*, actor, region: Region, code: str | None = None, name: str | None = None,
                  parent: Region | None = None, is_poor_village: bool | None = None) -> Region:
    """Rename, recode or move a region. A new code or parent changes its path, and the path of every region under
    it is rewritten in the same transaction (jurisdiction and every prefix query read the paths); apps that keep a
    copy of a path hear it through `region_path_changed`."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    old_path = region.path
    if parent is not None and parent.pk != region.parent_id:
        if parent.level != region.level - 1:
            raise ApplicationError("上级区划层级不符", code=OrgErrorCode.REGION_PARENT_LEVEL)
        if parent.path.startswith(old_path):
            raise ApplicationError("不能移到自己的下级区划之下", code=OrgErrorCode.REGION_PARENT)
        region.parent = parent
    if code is not None:
        if not code.strip().isdigit():
            raise ApplicationError("区划代码只能是数字", code=CoreErrorCode.INVALID)
        region.code = code.strip()
    if name is not None:
        region.name = name.strip()
    if is_poor_village is not None:
        region.is_poor_village = is_poor_village
    region.path = (region.parent.path if region.parent_id else "") + region.code + "/"
    _full_clean(region)
    region.save()
    moved = region_paths_follow(region=region, old_path=old_path)
    _audited(actor=actor, obj=region, action="region_update", moved=moved)
    return region


def region_paths_follow(*, region: Region, old_path: str) -> int:
    """After `region` (already saved) changed path: rewrite the path of every region under it and tell the apps
    that keep copies (`region_path_changed`). Returns how many regions moved. Used by region_update and by the
    admin site's region form (whose save is audited as a CONFIG_CHANGE already)."""
    if region.path == old_path:
        return 0
    moved = (Region.objects.filter(path__startswith=old_path).exclude(pk=region.pk)
             .update(path=Concat(Value(region.path), Substr("path", len(old_path) + 1))))
    forget_resolved()  # an update() sends no post_save: scopes must resolve the moved paths again
    region_path_changed.send(sender=Region, old_path=old_path, new_path=region.path)
    return moved


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, territory: Region | None = None, parent: Unit | None = None,
                member_order: int | None = None, short_name: str = "") -> Unit:
    unit = Unit(name=name, kind=kind, territory=territory, parent=parent, member_order=member_order,
                short_name=short_name)
    _full_clean(unit)
    unit.save()
    _audited(actor=actor, obj=unit, action="unit_create")
    return unit


@transaction.atomic
def unit_set_supervised(*, actor, supervisor: Unit, units: list[Unit]) -> None:
    """The units a discipline room or dispatched group supervises (its jurisdiction follows them)."""
    before = set(supervisor.supervised_units.values_list("pk", flat=True))
    supervisor.supervised_units.set(units)
    after = {u.pk for u in units}
    if before != after:
        _audited(actor=actor, obj=supervisor, action="unit_set_supervised", added=len(after - before),
                 removed=len(before - after))


@transaction.atomic
def person_create(*, actor, name: str, unit: Unit | None = None, gender: str = "", id_number: str = "",
                  phone: str = "") -> Person:
    person = Person(name=name, unit=unit, gender=gender, id_number=id_number, phone=phone)
    _full_clean(person)
    person.save()
    _audited(actor=actor, obj=person, action="person_create")
    return person


@transaction.atomic
def position_start(*, actor, person: Person, unit: Unit, post: str, start_date: dt.date,
                   title: str = "") -> Position:
    """Appoint `person` to `post` in `unit`; a single-seat post must be vacated first (the database enforces it)."""
    position = Position(person=person, unit=unit, post=post, start_date=start_date, title=title)
    try:
        with transaction.atomic():
            position.save()
    except IntegrityError as exc:
        raise ApplicationError("该职务已有在任人员，请先办理离任", code=OrgErrorCode.POST_OCCUPIED) from exc
    if person.unit_id != unit.pk:
        person.unit = unit
        person.save(update_fields=["unit", "updated_at"])
    _audited(actor=actor, obj=position, action="position_start", post=str(post))
    return position


@transaction.atomic
def position_end(*, actor, position: Position, end_date: dt.date) -> Position:
    if end_date < position.start_date:
        raise ApplicationError("离任日期不能早于任职日期", code=OrgErrorCode.POSITION_DATES)
    position.end_date = end_date
    position.save(update_fields=["end_date", "updated_at"])
    _audited(actor=actor, obj=position, action="position_end", post=str(position.post))
    return position


@transaction.atomic
def account_create(*, actor, username: str, password: str, role: str, unit: Unit | None = None,
                   person: Person | None = None, is_staff: bool = False, is_superuser: bool = False) -> Account:
    account = Account(username=username, role=role, unit=unit, person=person, is_staff=is_staff,
                      is_superuser=is_superuser)
    if person is not None:
        account.first_name = person.name
    account.set_password(password)
    account.save()
    _audited(actor=actor, obj=account, action="account_create", role=str(role))
    return account


def household_link_renew(*, actor, household_id: int) -> Household:
    """Revoke a household's personal link and give it a new one (the generation goes up; the old link then opens
    nothing). The next SMS carries the new link. Audit: the household's change log records who and when."""
    from auditlog.context import set_actor

    from .capabilities import Capability, require
    from .jurisdiction import get_visible

    require(actor, Capability.EDIT_HOUSEHOLDS)
    with transaction.atomic(), set_actor(actor):
        household = get_visible(Household.objects.select_for_update(), actor=actor, pk=household_id)
        household.link_generation = household.link_generation_current + 1
        household.save(update_fields=["link_generation", "updated_at"])
    return household


@transaction.atomic
def account_role_set(*, account: Account, role: str, actor) -> Account:
    """Give `account` another role: only the security administrator may, never their own, one role per account.

    三权分立: an account holds one role, so it cannot be two of the system, security and audit administrators; a
    superuser is the system administrator and cannot be given another role (org migration 0007 holds the rule in
    the database too). Leaves one ROLE_CHANGE audit record.
    """
    from sunshine.core.errors import Forbidden

    from .capabilities import Capability, require
    from .choices import Role
    from .errors import OrgErrorCode

    require(actor, Capability.MANAGE_ACCOUNTS)
    if role not in Role.values:
        raise ApplicationError("角色无效", code=OrgErrorCode.ROLE_INVALID)
    if account.pk == actor.pk:
        raise Forbidden("不能修改自己的角色", code=OrgErrorCode.ROLE_OWN)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.is_superuser and role != Role.ADMIN:
        raise ApplicationError("超级用户即系统管理员，不能再担任其他角色（三权分立）", code=OrgErrorCode.ROLE_SEPARATION)
    previous = account.role
    if previous == role:
        return account
    account.role = role
    account.save(update_fields=["role"])
    audit_record(event=AuditEvent.ROLE_CHANGE, actor=actor, obj=account, detail={"from": previous, "to": role})
    return account


@transaction.atomic
def village_poverty_exit(*, actor, village: Region, exited_on: dt.date) -> Region:
    """摘帽: a poor village leaves the list on `exited_on` (kept on the row: the year's lists still count it)."""
    from sunshine.core.audit import AuditEvent, audit_record

    if village.level != RegionLevel.VILLAGE or not village.is_poor_village:
        raise ApplicationError("只有贫困村可以办理退出", code=CoreErrorCode.INVALID)
    village.is_poor_village = False
    village.poor_exited_on = exited_on
    village.save(update_fields=["is_poor_village", "poor_exited_on"])
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=village,
                 detail={"poor_village": "exited", "on": exited_on.isoformat()})
    return village
