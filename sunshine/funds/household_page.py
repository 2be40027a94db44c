"""A household's own page (三(二)3): every payment to the household, published or not, opened by the household's
personal link (sunshine.org.household_links) or after a one-time code sent to the household's phone.

Like sunshine.funds.public, nothing here returns a model: masked dataclasses only. Names follow the public lists'
rule (public.public_name: in full, as a 公示 shows them); ID numbers and cards are masked as everywhere in public.
A payment not yet published is marked 待公示 with the date its township is due to publish it
(rules.publication_due_date).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sunshine.core.errors import NotFound
from sunshine.core.masking import mask_id_number
from sunshine.org.household_links import household_token, token_household_id, token_matches
from sunshine.org.models import FIRST_LINK_GENERATION, Household

from . import rules
from .models import HouseholdPayment
from .public.common import ZERO, public_name
from .public.households import MAX_HOUSEHOLD_PAYMENTS
from .public.records import PublicPayment, _notice_codes, _payment
from .public.regions import PublicRegion, _public_region


@dataclass(frozen=True)
class HouseholdMemberLine:
    name: str
    relation: str
    id_masked: str


@dataclass(frozen=True)
class HouseholdPaymentLine:
    payment: PublicPayment
    published: bool
    due_on: dt.date | None  # unpublished: when the township is due to publish it
    overdue: bool  # unpublished and past its due date


@dataclass(frozen=True)
class HouseholdPage:
    token: str
    village: PublicRegion
    head_name: str
    head_id_masked: str
    members: list[HouseholdMemberLine]
    lines: list[HouseholdPaymentLine]
    total_amount: Decimal
    published_amount: Decimal
    pending_count: int


def household_by_token(token: str) -> Household | None:
    """The household whose current personal link is `token`, or None (wrong, renewed or malformed alike)."""
    household_id = token_household_id(token)
    if household_id is None:
        return None
    household = (Household.objects.select_related("village", "village__parent")
                 .only("id", "head_name", "head_id_number", "link_generation", "village__id", "village__code",
                       "village__name", "village__level", "village__is_poor_village", "village__parent_id",
                       "village__parent__code", "village__parent__name")
                 .filter(pk=household_id).first())
    if household is None or not token_matches(token, household_id=household.pk,
                                              generation=household.link_generation or FIRST_LINK_GENERATION):
        return None
    return household


def household_current_token(household: Household) -> str:
    return household_token(household_id=household.pk, generation=household.link_generation or FIRST_LINK_GENERATION)


def household_page(*, household: Household, today: dt.date | None = None) -> HouseholdPage:
    """Everything paid to the household (current versions), newest first; unpublished lines marked 待公示."""
    if household is None:
        raise NotFound()
    today = today or timezone.localdate()
    rows = list(HouseholdPayment.objects.filter(household_id=household.pk, is_current=True)
                .select_related("supersedes").order_by("-paid_on", "-id")[:MAX_HOUSEHOLD_PAYMENTS])
    published_rows = [p for p in rows if p.published_at is not None]
    codes = _notice_codes(published_rows)
    lines = []
    for p in rows:
        published = p.published_at is not None
        due_on = None if published else rules.publication_due_date(p.paid_on)
        lines.append(HouseholdPaymentLine(
            # An unpublished correction's previous version is shown only once published (as on the lists).
            payment=_payment(p, notice_code=codes.get(p.pk, ""), with_previous=published),
            published=published, due_on=due_on, overdue=due_on is not None and due_on < today,
        ))
    members = [HouseholdMemberLine(name=public_name(m.name), relation=m.relation, id_masked=mask_id_number(m.id_number))
               for m in household.members.order_by("id")]
    return HouseholdPage(
        token=household_current_token(household),
        village=_public_region(household.village),
        head_name=public_name(household.head_name),
        head_id_masked=mask_id_number(household.head_id_number),
        members=members,
        lines=lines,
        total_amount=sum((line.payment.amount for line in lines), start=ZERO),
        published_amount=sum((line.payment.amount for line in lines if line.published), start=ZERO),
        pending_count=sum(1 for line in lines if not line.published),
    )
