"""Field rules shared by hand entry and the importers: one place says what a valid card, amount or date is.

Each function raises ValueError with a Chinese reason a user can act on.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .choices import Direction, FundLevel

MAX_AMOUNT = Decimal("999999999999.99")  # 14 digits, 2 decimals: the column's range
CARD_RE = re.compile(r"^\d{10,25}$")  # bank cards are 16–19 digits; 一卡通 passbook accounts run 10–25
_CARD_NOISE = re.compile(r"[\s\-]+")
# Dates in the future are typing errors for payments and transactions (a payment is recorded after it is made);
# a little slack for clocks and time zones.
FUTURE_SLACK = dt.timedelta(days=1)
EARLIEST_DATE = dt.date(2013, 1, 1)  # 精准扶贫 and 建档立卡 began in 2013–2014

LEVEL_WORDS = {
    FundLevel.NATIONAL: ("中央", "国家", "中央级", "国家级", "中央财政"),
    FundLevel.PROVINCIAL: ("省", "省级", "省本级", "省财政"),
    FundLevel.CITY: ("市", "市级", "州市级", "湘潭市", "市本级"),
    FundLevel.COUNTY: ("县", "县级", "县市级", "县(市)级", "本级", "湘乡市", "县本级", "市县级"),
}
LEVEL_LOOKUP = {w: level for level, words in LEVEL_WORDS.items() for w in words}
DIRECTION_LOOKUP = {"收入": Direction.RECEIPT, "收": Direction.RECEIPT, "借方": Direction.RECEIPT,
                    "in": Direction.RECEIPT, "支出": Direction.PAYMENT, "支": Direction.PAYMENT,
                    "贷方": Direction.PAYMENT, "out": Direction.PAYMENT}


def clean_bank_card(text: str) -> str:
    card = _CARD_NOISE.sub("", text or "")
    if not card:
        raise ValueError("银行卡号为空")
    if not CARD_RE.match(card):
        raise ValueError(f"银行卡号“{text}”应为10至25位数字")
    return card


def check_amount(value: Decimal, *, label: str = "金额") -> Decimal:
    if value <= 0:
        raise ValueError(f"{label}必须大于0")
    if value > MAX_AMOUNT:
        raise ValueError(f"{label}超出范围")
    return value


def check_date(value: dt.date, *, label: str, today: dt.date | None = None, allow_future: bool = False) -> dt.date:
    from django.utils import timezone

    if value < EARLIEST_DATE:
        raise ValueError(f"{label}“{value.isoformat()}”早于{EARLIEST_DATE.year}年")
    if not allow_future and value > (today or timezone.localdate()) + FUTURE_SLACK:
        raise ValueError(f"{label}“{value.isoformat()}”晚于今天")
    return value


def clean_text(text: str, *, label: str, max_length: int, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValueError(f"{label}为空")
    if len(text) > max_length:
        raise ValueError(f"{label}超过{max_length}个字")
    return text


def parse_level(text: str) -> str:
    level = LEVEL_LOOKUP.get((text or "").replace(" ", ""))
    if level is None:
        if text in FundLevel.values:
            return text
        raise ValueError(f"资金层级“{text}”无法识别(应为中央、省级、市级或县级)")
    return level


def publication_due_date(paid_on: dt.date) -> dt.date:
    """三(二)3: the date by which a household payment is due to be published (公示): the payment date plus
    SUNSHINE_PUBLICATION_DUE_DAYS calendar days (default 30). The one definition: the household page shows it,
    statistics and the data comparison count a payment unpublished after it as overdue."""
    from django.conf import settings

    return paid_on + dt.timedelta(days=settings.SUNSHINE_PUBLICATION_DUE_DAYS)


def publication_overdue_before(today: dt.date) -> dt.date:
    """Payments made before this date and still unpublished on `today` are overdue (for queries:
    `paid_on__lt=publication_overdue_before(today)`); the same rule as publication_due_date."""
    from django.conf import settings

    return today - dt.timedelta(days=settings.SUNSHINE_PUBLICATION_DUE_DAYS)


def idle_cutoff(today: dt.date, *, days: int | None = None) -> dt.date:
    """Allocations made on or before this date and not fully spent on `today` are idle (三(四)1). `days` defaults
    to the plan's number for today's year (funds.plan.IDLE_DAYS, set by the office)."""
    if days is None:
        from sunshine.core.plan import plan_int

        from .plan import IDLE_DAYS

        days = plan_int(IDLE_DAYS, year=today.year)
    return today - dt.timedelta(days=days)


def allocations_with_spending(qs):
    """Annotate allocations with what was spent from them: `paid_households` (current household payments drawn
    on it), `paid_projects` (current project spending drawn on it), `spent` and `unspent`."""
    from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from .models import HouseholdPayment, ProjectSpending

    money = DecimalField(max_digits=16, decimal_places=2)

    def _sum(model):
        sub = (model.objects.filter(allocation_id=OuterRef("pk"), is_current=True).order_by()
               .values("allocation_id").annotate(total=Sum("amount")).values("total"))
        return Coalesce(Subquery(sub, output_field=money), Value(0, output_field=money), output_field=money)

    return (qs.annotate(paid_households=_sum(HouseholdPayment), paid_projects=_sum(ProjectSpending))
            .annotate(spent=ExpressionWrapper(F("paid_households") + F("paid_projects"), output_field=money))
            .annotate(unspent=ExpressionWrapper(F("amount") - F("spent"), output_field=money)))


def idle_allocations(*, today: dt.date, days: int | None = None, qs=None):
    """三(四)1, the one definition of idle money: current allocations made at least `days` days before `today`
    (default: the plan's funds.idle.days for today's year) of which part is still unspent — neither paid to
    households (HouseholdPayment.allocation) nor spent on projects (ProjectSpending.allocation). Annotated with
    paid_households, paid_projects, spent and unspent (see allocations_with_spending). `qs` narrows the
    allocations (e.g. an actor's visible ones); without it, every allocation (the data comparison runs city-wide)."""
    from .models import FundAllocation

    cutoff = idle_cutoff(today, days=days)
    base = FundAllocation.objects.all() if qs is None else qs
    base = base.filter(is_current=True, allocated_on__lte=cutoff)
    return allocations_with_spending(base).filter(unspent__gt=0).order_by("allocated_on", "id")
