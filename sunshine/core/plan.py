"""The plan's numbers, one place per year: quotas, thresholds and deadlines that the work plan sets.

Every quantitative rule of the plan (visit quotas, leader-led petition quotas, idle-money days, the data
comparison's thresholds, assessment weights …) reads its number here, never from a constant in its own module, so
next year's plan changes data, not code. Each app declares its parameters once, with the plan's value as the
default and the clause it comes from (`plan_param(...)` at import time of the app's `plan.py`, which its
AppConfig.ready imports); the special governance office sets a different value for a year (`plan_value_set`),
which is audited as a configuration change.

    VISITS_CITY_LEADER = plan_param("oversight.visits.city_leader", 4, clause="三(二)1", label=_("市级领导每年调研次数"))
    quota = plan_value(VISITS_CITY_LEADER, year=2026)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .audit import AuditEvent, audit_record
from .errors import ApplicationError, CoreErrorCode


@dataclass(frozen=True)
class PlanParam:
    key: str  # "<app>.<subject>.<name>", stable: stored rows refer to it
    default: Decimal
    clause: str  # the work plan's clause, e.g. "三(二)1"
    label: str  # what the office reads on the settings page (lazy translation allowed)
    unit: str = ""
    minimum: Decimal = Decimal(0)

    def __str__(self) -> str:
        return self.key


_REGISTRY: dict[str, PlanParam] = {}


def plan_param(key: str, default, *, clause: str, label, unit: str = "", minimum=0) -> PlanParam:
    """Declare one of the plan's numbers (once, at import time). Re-declaring the same key must agree."""
    param = PlanParam(key=key, default=Decimal(str(default)), clause=clause, label=label, unit=unit,
                      minimum=Decimal(str(minimum)))
    known = _REGISTRY.get(key)
    if known is not None and (known.default, known.clause) != (param.default, param.clause):
        raise ValueError(f"plan parameter {key} declared twice with different defaults")
    _REGISTRY[key] = param
    return param


def plan_params() -> list[PlanParam]:
    return sorted(_REGISTRY.values(), key=lambda p: p.key)


def _key(param: PlanParam | str) -> PlanParam:
    key = param.key if isinstance(param, PlanParam) else param
    try:
        return _REGISTRY[key]
    except KeyError:
        raise ApplicationError(f"未知的工作方案参数：{key}", code=CoreErrorCode.PLAN_PARAM_UNKNOWN) from None


def current_year() -> int:
    return timezone.localdate().year


def plan_value(param: PlanParam | str, *, year: int | None = None) -> Decimal:
    """The value in force for `year` (default: this year): the office's value for that year, else the default."""
    from .models import PlanValue

    spec = _key(param)
    year = year or current_year()
    stored = PlanValue.objects.filter(year=year, key=spec.key).values_list("value", flat=True).first()
    return spec.default if stored is None else stored


def plan_int(param: PlanParam | str, *, year: int | None = None) -> int:
    return int(plan_value(param, year=year))


def plan_values(*, year: int | None = None) -> dict[str, Decimal]:
    """Every declared parameter's value for a year, in one query (for settings pages and run records)."""
    from .models import PlanValue

    year = year or current_year()
    stored = dict(PlanValue.objects.filter(year=year).values_list("key", "value"))
    return {p.key: stored.get(p.key, p.default) for p in plan_params()}


@transaction.atomic
def plan_value_set(*, actor, year: int, param: PlanParam | str, value) -> None:
    """Set a parameter for one year (the office's decision for that year's plan); audited as a configuration change."""
    from .models import PlanValue

    spec = _key(param)
    try:
        number = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparsable input is the same user error
        raise ApplicationError(f"{spec.label}：请输入数字", code=CoreErrorCode.PLAN_VALUE_INVALID) from None
    if not number.is_finite() or number < spec.minimum:
        raise ApplicationError(f"{spec.label}：不能小于 {spec.minimum}", code=CoreErrorCode.PLAN_VALUE_INVALID)
    if not (2000 <= int(year) <= 2100):
        raise ApplicationError("年度无效", code=CoreErrorCode.PLAN_VALUE_INVALID)
    previous = PlanValue.objects.filter(year=year, key=spec.key).values_list("value", flat=True).first()
    PlanValue.objects.update_or_create(year=year, key=spec.key,
                                       defaults={"value": number, "set_by": actor, "set_at": dt.datetime.now(dt.UTC)})
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, object_type="core.planvalue",
                 object_id=f"{year}:{spec.key}",
                 detail={"year": int(year), "key": spec.key,
                         "from": str(spec.default if previous is None else previous), "to": str(number)})
