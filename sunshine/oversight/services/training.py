"""Training (三(二)5): the city plan, sessions, attendance entered by hand or imported from a sign-in sheet."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError
from django.utils import timezone

from sunshine.core.errors import ApplicationError
from sunshine.core.tabular import Column, RowErrors, open_table
from sunshine.org.capabilities import require
from sunshine.org.models import Person

from ..capabilities import Capability
from ..errors import OversightErrorCode
from ..models import TrainingAttendance, TrainingPlan, TrainingSession
from ._i13b_common import actor_unit, audited, clean_text

SIGN_IN_COLUMNS = [
    Column("name", ("姓名",)),
    Column("id_number", ("身份证号", "身份证号码", "证件号码"), required=False),
    Column("phone", ("手机号", "手机号码", "联系电话"), required=False),
    Column("unit", ("单位", "工作单位"), required=False),
]


def training_plan_create(*, actor, year: int, title: str, content: str = "") -> TrainingPlan:
    require(actor, Capability.TRAINING)
    title = clean_text(title, label="名称", max_length=120)
    if TrainingPlan.objects.filter(year=year).exists():
        raise ApplicationError(f"{year} 年培训计划已登记", code=OversightErrorCode.ALREADY_DONE)
    with audited(actor):
        return TrainingPlan.objects.create(year=year, title=title, content=content, organiser=actor_unit(actor),
                                           created_by=actor)


def training_session_create(*, actor, title: str, held_on: dt.date, plan: TrainingPlan | None = None,
                            place: str = "", topics: str = "", covers_governance: bool = True) -> TrainingSession:
    require(actor, Capability.TRAINING)
    title = clean_text(title, label="班次名称", max_length=120)
    if held_on > timezone.localdate() + dt.timedelta(days=366):
        raise ApplicationError("培训日期无效", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        return TrainingSession.objects.create(
            plan=plan, organiser=actor_unit(actor), title=title, held_on=held_on,
            place=clean_text(place, label="地点", max_length=120, required=False),
            topics=clean_text(topics, label="内容", max_length=300, required=False),
            covers_governance=covers_governance, created_by=actor)


def attendance_add(*, actor, session: TrainingSession, people: list[Person], source: str = "") -> int:
    """Record that `people` attended `session`; people already signed in are left as they are. Returns the new."""
    require(actor, Capability.TRAINING)
    if session.held_on > timezone.localdate():
        raise ApplicationError("培训尚未举行,不能签到", code=OversightErrorCode.BAD_INPUT)
    known = set(TrainingAttendance.objects.filter(session=session).values_list("person_id", flat=True))
    new = [p for p in {p.pk: p for p in people}.values() if p.pk not in known]
    try:
        with audited(actor):
            for person in new:
                TrainingAttendance.objects.create(session=session, person=person, recorded_by=actor, source=source)
    except IntegrityError:
        raise ApplicationError("签到记录已被他人修改,请刷新后重试", code=OversightErrorCode.ALREADY_DONE) from None
    return len(new)


def attendance_import(*, actor, session: TrainingSession, content: bytes, filename: str) -> int:
    """Import a sign-in sheet (XLSX/CSV): every row must name one known person, else nothing is recorded and the
    bad rows are named (ApplicationError with `errors`)."""
    require(actor, Capability.TRAINING)
    table = open_table(content, filename=filename, columns=SIGN_IN_COLUMNS)
    rows = list(table.rows())
    errors = RowErrors()
    wanted_ids = {r.get("id_number").upper() for r in rows if r.get("id_number")}
    wanted_phones = {r.get("phone") for r in rows if r.get("phone")}
    wanted_names = {r.get("name") for r in rows if r.get("name")}
    by_id = {p.id_number.upper(): p for p in Person.objects.filter(id_number__in=wanted_ids)}
    by_phone: dict[str, list[Person]] = {}
    for p in Person.objects.filter(phone__in=wanted_phones):
        by_phone.setdefault(p.phone, []).append(p)
    by_name: dict[str, list[Person]] = {}
    for p in Person.objects.filter(name__in=wanted_names).select_related("unit"):
        by_name.setdefault(p.name, []).append(p)
    people: list[Person] = []
    seen: dict[int, int] = {}
    headings = table.headings
    for row in rows:
        errors.add_row_problems(row, headings)
        name = row.get("name")
        if not name:
            errors.add(row.number, headings.get("name", "姓名"), "姓名为空")
            continue
        person = _match(row, name, by_id, by_phone, by_name, errors, headings)
        if person is None:
            continue
        if person.pk in seen:
            errors.add(row.number, headings.get("name", "姓名"), f"与第 {seen[person.pk]} 行是同一人")
            continue
        seen[person.pk] = row.number
        people.append(person)
    if errors:
        raise ApplicationError(errors.summary(), code=OversightErrorCode.ATTENDANCE_FILE,
                               extra={"errors": errors.as_list()})
    if not people:
        raise ApplicationError("签到表没有数据行", code=OversightErrorCode.ATTENDANCE_FILE)
    return attendance_add(actor=actor, session=session, people=people, source=filename[:120])


def _match(row, name, by_id, by_phone, by_name, errors: RowErrors, headings) -> Person | None:
    id_number = row.get("id_number").upper()
    if id_number:
        person = by_id.get(id_number)
        if person is None or person.name != name:
            errors.add(row.number, headings.get("id_number", "身份证号"), "身份证号与姓名对不上平台人员名册")
            return None
        return person
    phone = row.get("phone")
    if phone:
        matches = [p for p in by_phone.get(phone, []) if p.name == name]
        if len(matches) != 1:
            errors.add(row.number, headings.get("phone", "手机号"), "手机号与姓名对不上平台人员名册")
            return None
        return matches[0]
    matches = by_name.get(name, [])
    unit = row.get("unit")
    if unit:
        matches = [p for p in matches if p.unit and unit in (p.unit.name, p.unit.short_name)]
    if len(matches) == 1:
        return matches[0]
    reason = "平台人员名册中没有此人" if not matches else f"名册中有 {len(matches)} 人同名,请填写身份证号或手机号"
    errors.add(row.number, headings.get("name", "姓名"), reason)
    return None
