"""Writes of the organisation domain. Each knows its actor; imports live in sunshine.org.importers."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sunshine.core.errors import ApplicationError, CoreErrorCode
from sunshine.org.errors import OrgErrorCode

from .choices import RegionLevel
from .models import Account, Household, Person, Position, Region, Unit


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
                             for k, v in exc.message_dict.items())
        raise ApplicationError(messages, code=CoreErrorCode.INVALID) from exc


def region_create(*, code: str, name: str, level: int, parent: Region | None = None,
                  is_poor_village: bool = False) -> Region:
    if (parent is None) != (level == RegionLevel.CITY):
        raise ApplicationError("只有市级区划没有上级", code=OrgErrorCode.REGION_PARENT)
    if parent is not None and parent.level != level - 1:
        raise ApplicationError("上级区划层级不符", code=OrgErrorCode.REGION_PARENT_LEVEL)
    region = Region(code=code, name=name, level=level, parent=parent, is_poor_village=is_poor_village)
    region.path = (parent.path if parent else "") + code + "/"
    _full_clean(region)
    region.save()
    return region


def unit_create(*, name: str, kind: str, territory: Region | None = None, parent: Unit | None = None,
                member_order: int | None = None, short_name: str = "") -> Unit:
    unit = Unit(name=name, kind=kind, territory=territory, parent=parent, member_order=member_order,
                short_name=short_name)
    _full_clean(unit)
    unit.save()
    return unit


def unit_set_supervised(*, supervisor: Unit, units: list[Unit]) -> None:
    supervisor.supervised_units.set(units)


def person_create(*, name: str, unit: Unit | None = None, gender: str = "", id_number: str = "",
                  phone: str = "") -> Person:
    person = Person(name=name, unit=unit, gender=gender, id_number=id_number, phone=phone)
    _full_clean(person)
    person.save()
    return person


@transaction.atomic
def position_start(*, person: Person, unit: Unit, post: str, start_date: dt.date, title: str = "") -> Position:
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
    return position


def position_end(*, position: Position, end_date: dt.date) -> Position:
    if end_date < position.start_date:
        raise ApplicationError("离任日期不能早于任职日期", code=OrgErrorCode.POSITION_DATES)
    position.end_date = end_date
    position.save(update_fields=["end_date", "updated_at"])
    return position


def account_create(*, username: str, password: str, role: str, unit: Unit | None = None,
                   person: Person | None = None, is_staff: bool = False, is_superuser: bool = False) -> Account:
    account = Account(username=username, role=role, unit=unit, person=person, is_staff=is_staff,
                      is_superuser=is_superuser)
    if person is not None:
        account.first_name = person.name
    account.set_password(password)
    account.save()
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
    from sunshine.core.audit import AuditEvent, audit_record
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
