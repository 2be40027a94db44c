"""Lasting mechanisms (三(四)): micro-power lists, grids, weak village party organisations, sector tasks."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from sunshine.core.errors import ApplicationError
from sunshine.funds.pageversions import public_content_changed
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel
from sunshine.org.jurisdiction import get_visible
from sunshine.org.models import Person, Region

from ..capabilities import Capability
from ..choices import RectificationStatus
from ..choices_i13b import TaskStatus
from ..errors import OversightErrorCode
from ..models import DeptTask, Grid, MicroPower, MicroPowerStep, WeakOrganisation
from ._i13b_common import actor_unit, audited, clean_text


def _village(actor, village: Region) -> Region:
    village = get_visible(Region.objects.all(), actor=actor, pk=village.pk)
    if village.level != RegionLevel.VILLAGE:
        raise ApplicationError("请选择一个村(社区)", code=OversightErrorCode.NOT_A_VILLAGE)
    return village


# ---- micro-power lists (小微权力清单) -----------------------------------------------------------------------

def micro_power_add(*, actor, village: Region, category: str, title: str, responsible_post: str,
                    steps: list[tuple[str, str]], basis: str = "") -> MicroPower:
    """Add an item to a village's micro-power list with its procedure steps; it shows on the village's page."""
    require(actor, Capability.MECHANISM)
    village = _village(actor, village)
    clean_steps = [(clean_text(n, label="环节", max_length=120), clean_text(p, label="责任岗位", max_length=40))
                   for n, p in steps if str(n or "").strip()]
    if not clean_steps:
        raise ApplicationError("请至少填写一个办理环节", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        order = (MicroPower.objects.select_for_update().filter(village=village)
                 .order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = MicroPower.objects.create(
            village=village, order=order, category=clean_text(category, label="类别", max_length=40),
            title=clean_text(title, label="事项", max_length=120), basis=clean_text(basis, label="依据",
                                                                                    max_length=200, required=False),
            responsible_post=clean_text(responsible_post, label="责任岗位", max_length=40))
        MicroPowerStep.objects.bulk_create([MicroPowerStep(item=item, order=i, name=n, responsible_post=p)
                                            for i, (n, p) in enumerate(clean_steps, start=1)])
        public_content_changed(region_ids=[village.pk])
    return item


def micro_power_remove(*, actor, item: MicroPower) -> None:
    require(actor, Capability.MECHANISM)
    item = get_visible(MicroPower.objects.all(), actor=actor, pk=item.pk)
    with audited(actor):
        village_id = item.village_id
        item.delete()
        public_content_changed(region_ids=[village_id])


def micro_power_list_copy(*, actor, source: Region, villages: list[Region]) -> int:
    """Copy a village's list to villages that have none yet (the township's standard list); returns villages done."""
    require(actor, Capability.MECHANISM)
    items = list(MicroPower.objects.filter(village=source).prefetch_related("steps"))
    if not items:
        raise ApplicationError("来源村还没有小微权力清单", code=OversightErrorCode.BAD_INPUT)
    targets = [v for v in villages if v.level == RegionLevel.VILLAGE and v.pk != source.pk]
    having = set(MicroPower.objects.filter(village__in=targets).values_list("village_id", flat=True))
    targets = [get_visible(Region.objects.all(), actor=actor, pk=v.pk) for v in targets if v.pk not in having]
    with audited(actor):
        new_items = MicroPower.objects.bulk_create([
            MicroPower(village=v, order=i.order, category=i.category, title=i.title, basis=i.basis,
                       responsible_post=i.responsible_post) for v in targets for i in items])
        steps_of = [list(i.steps.all()) for i in items]
        MicroPowerStep.objects.bulk_create([
            MicroPowerStep(item=new, order=s.order, name=s.name, responsible_post=s.responsible_post)
            for index, new in enumerate(new_items) for s in steps_of[index % len(items)]])
        public_content_changed(region_ids=[v.pk for v in targets])
    return len(targets)


# ---- grids (网格) --------------------------------------------------------------------------------------------

def grid_create(*, actor, village: Region, name: str, groups: list[Region] = (), workers: list[Person] = ()) -> Grid:
    """A grid of a village with its villager groups and grid workers; a group belongs to one grid only."""
    require(actor, Capability.MECHANISM)
    village = _village(actor, village)
    name = clean_text(name, label="网格名称", max_length=60)
    bad = [g.name for g in groups if g.parent_id != village.pk]
    if bad:
        raise ApplicationError(f"这些村民小组不属于{village.name}:{'、'.join(bad)}", code=OversightErrorCode.BAD_INPUT)
    taken = list(Grid.objects.filter(village=village, groups__in=groups).values_list("name", flat=True).distinct())
    if taken:
        raise ApplicationError(f"所选村民小组已划入网格:{'、'.join(taken)}", code=OversightErrorCode.BAD_INPUT)
    if Grid.objects.filter(village=village, name=name).exists():
        raise ApplicationError("该村已有同名网格", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        grid = Grid.objects.create(village=village, name=name)
        grid.groups.set(groups)
        grid.workers.set(workers)
    return grid


# ---- weak village party organisations (软弱涣散) ------------------------------------------------------------

def weak_org_designate(*, actor, village: Region, year: int, reasons: str, designated_on: dt.date) -> WeakOrganisation:
    require(actor, Capability.WEAK_ORG)
    village = _village(actor, village)
    reasons = clean_text(reasons, label="主要问题", max_length=2000)
    if WeakOrganisation.objects.filter(village=village, lifted_on__isnull=True).exists():
        raise ApplicationError(f"{village.name}党组织已被认定为软弱涣散,尚未销号", code=OversightErrorCode.WEAK_ORG_ACTIVE)
    with audited(actor):
        return WeakOrganisation.objects.create(village=village, year=year, reasons=reasons,
                                               designated_on=designated_on, designated_by=actor)


def weak_org_lift(*, actor, weak_org: WeakOrganisation, lifted_on: dt.date, note: str) -> WeakOrganisation:
    """Lift the designation (销号) once the rectification is done; the date and who lifted it are kept."""
    from ..selectors.mechanisms import weak_org_items

    require(actor, Capability.WEAK_ORG)
    note = clean_text(note, label="销号情况", max_length=300)
    with audited(actor):
        locked = get_visible(WeakOrganisation.objects.select_for_update(), actor=actor, pk=weak_org.pk)
        if locked.lifted_on:
            raise ApplicationError("已销号", code=OversightErrorCode.ALREADY_DONE)
        unfinished = [i.title for i in weak_org_items(weak_org=locked) if i.status != RectificationStatus.CONFIRMED]
        if unfinished:
            raise ApplicationError(f"还有 {len(unfinished)} 项整改未经回头看销号:{'、'.join(unfinished[:5])}",
                                   code=OversightErrorCode.WEAK_ORG_ACTIVE)
        if lifted_on < locked.designated_on or lifted_on > timezone.localdate():
            raise ApplicationError("销号日期应在认定日期之后、今天之前", code=OversightErrorCode.BAD_INPUT)
        locked.lifted_on, locked.lift_note, locked.lifted_by = lifted_on, note, actor
        locked.save(update_fields=["lifted_on", "lift_note", "lifted_by", "updated_at"])
    return locked


def weak_org_rectification_add(*, actor, weak_org: WeakOrganisation, title: str, deadline: dt.date,
                               description: str = ""):
    """A rectification item of a weak organisation: owned by the village committee, placed in the village."""
    from sunshine.org.choices import UnitKind
    from sunshine.org.models import Unit

    from ..choices import SourceKind
    from .rectifications import rectification_create

    require(actor, Capability.WEAK_ORG)
    weak_org = get_visible(WeakOrganisation.objects.select_related("village"), actor=actor, pk=weak_org.pk)
    if weak_org.lifted_on:
        raise ApplicationError("已销号", code=OversightErrorCode.ALREADY_DONE)
    owner = Unit.objects.filter(kind=UnitKind.VILLAGE_COMMITTEE, territory=weak_org.village).first()
    if owner is None:
        raise ApplicationError("该村没有村(社区)两委单位", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        return rectification_create(actor=actor, source_kind=SourceKind.OTHER, source_id=weak_org.pk,
                                    title=title, description=description or f"软弱涣散村党组织整顿:{weak_org.reasons}",
                                    owner_unit=owner, deadline=deadline, region=weak_org.village)


# ---- sector departments' annual tasks (行业扶贫年度任务) ----------------------------------------------------

def _amount(value, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"{label}请填数字", code=OversightErrorCode.BAD_INPUT) from None
    if not number.is_finite() or number < 0:
        raise ApplicationError(f"{label}不能为负数", code=OversightErrorCode.BAD_INPUT)
    return number


def dept_task_create(*, actor, year: int, title: str, target, due_on: dt.date, measure: str = "项") -> DeptTask:
    require(actor, Capability.TASKS)
    target = _amount(target, "目标")
    if target <= 0:
        raise ApplicationError("目标应大于零", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        return DeptTask.objects.create(unit=actor_unit(actor), year=year, title=clean_text(title, label="任务",
                                                                                           max_length=200),
                                       measure=clean_text(measure, label="计量单位", max_length=20), target=target,
                                       due_on=due_on, created_by=actor)


def dept_task_progress(*, actor, task: DeptTask, completed, note: str = "", on_date: dt.date | None = None) -> DeptTask:
    """Record how much of a task is done; reaching the target marks it done on that date."""
    require(actor, Capability.TASKS)
    completed = _amount(completed, "已完成")
    on_date = on_date or timezone.localdate()
    with audited(actor):
        locked = get_visible(DeptTask.objects.select_for_update(), actor=actor, pk=task.pk)
        locked.completed = completed
        locked.note = clean_text(note, label="进展说明", max_length=300, required=False)
        if completed >= locked.target and locked.status == TaskStatus.OPEN:
            locked.status, locked.completed_on = TaskStatus.DONE, on_date
        elif completed < locked.target:
            locked.status, locked.completed_on = TaskStatus.OPEN, None
        locked.save(update_fields=["completed", "note", "status", "completed_on", "updated_at"])
    return locked
