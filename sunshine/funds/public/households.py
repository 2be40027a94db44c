"""Household self-check (三(二)3: each beneficiary can see what was paid to the household)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sunshine.core.errors import ApplicationError, NotFound
from sunshine.core.masking import mask_id_number
from sunshine.core.ratelimit import Limit, check, hit
from sunshine.funds.errors import FundsErrorCode
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Household, HouseholdMember

from ..models import (
    HouseholdPayment,
)
from .common import ZERO, public_name
from .records import PublicPayment, _notice_codes, _payment, _published
from .regions import PublicRegion, _public_region

# Household self-check limits, per requester (client address): every attempt counts a little, failures count more.
# Never per name: counting by name let anyone lock a villager out of their own check. The check shows only what
# is published anyway (the lists print the same names and digits); anything more needs a code sent to the
# household's phone (funds.household_codes).
LOOKUP_PER_IP = Limit("funds_lookup_ip", count=10, seconds=60)
LOOKUP_FAILURES_PER_REQUESTER = Limit("funds_lookup_fail", count=20, seconds=3600)


@dataclass(frozen=True)
class HouseholdCheck:
    """What a household sees about itself: masked identity and its published payments."""

    village: PublicRegion
    head_name_masked: str
    id_number_masked: str
    payments: list[PublicPayment]
    total_amount: Decimal


NOT_FOUND_MESSAGE = _("未查到相符的记录。请核对所在村、姓名和身份证号后4位;确有发放却查不到,请拨打监督电话或提出异议。")
INVALID_MESSAGE = _("请选择所在村,填写姓名和身份证号码后4位(末位可以是X)")
_LAST4 = re.compile(r"^\d{3}[\dX]$")
MAX_NAME_LEN = 40
# A household's payment list in the self-check: years of monthly subsidies fit; more is a data problem.
MAX_HOUSEHOLD_PAYMENTS = 500


def normalize_name(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def household_check(*, client_ip: str, village_code: str, name: str, id_last4: str) -> HouseholdCheck:
    """A household's published payments, found by village, a member's name and the last 4 of that member's ID.

    Rate limited per requester (every attempt, and failures apart), never per name. A wrong name, wrong digits
    and an unknown village all give the same NotFound.
    """
    hit(LOOKUP_PER_IP, client_ip)
    check(LOOKUP_FAILURES_PER_REQUESTER, client_ip)
    household = household_find(village_code=village_code, name=name, id_last4=id_last4)
    if household is None:
        hit(LOOKUP_FAILURES_PER_REQUESTER, client_ip)
        raise NotFound(str(NOT_FOUND_MESSAGE), code=FundsErrorCode.LOOKUP_NOT_FOUND)
    payments = household_payments(household_id=household.pk)
    return HouseholdCheck(
        village=_public_region(household.village),
        head_name_masked=public_name(household.head_name),
        id_number_masked=mask_id_number(household.head_id_number),
        payments=payments,
        total_amount=sum((p.amount for p in payments), start=ZERO),
    )


def household_find(*, village_code: str, name: str, id_last4: str) -> Household | None:
    """The household of the self-check form's answers (normalized as typed on a phone), or None; malformed
    answers are a 400 with the form's message."""
    name = normalize_name(name)
    last4 = normalize_name(id_last4).upper()
    village_code = normalize_name(village_code)
    if not name or len(name) > MAX_NAME_LEN or not _LAST4.match(last4) or not village_code.isdigit():
        raise ApplicationError(str(INVALID_MESSAGE), code=FundsErrorCode.INVALID_LOOKUP)
    return _household_matching(village_code=village_code, name=name, last4=last4)


_HOUSEHOLD_FIELDS = ("id", "head_name", "head_id_number", "phone", "village__id", "village__code", "village__name",
                     "village__path", "village__level", "village__is_poor_village", "village__parent_id", "village__parent__code",
                     "village__parent__name")


def _household_matching(*, village_code: str, name: str, last4: str) -> Household | None:
    """The household whose head, or failing that one of whose members, has this name and ID ending.

    The village is joined by its unique code; the head is found through org_household_village_head (village,
    head_name) or org_household_head_name, a member through org_member_name. The last four characters are compared
    in Python on the handful of same-name rows, so no index on a suffix is needed.
    """
    in_village = {"village__code": village_code, "village__level": RegionLevel.VILLAGE}
    heads = (Household.objects.filter(head_name=name, **in_village)
             .select_related("village", "village__parent").only(*_HOUSEHOLD_FIELDS))
    for household in heads[:MATCH_CANDIDATES]:
        if household.head_id_number.upper().endswith(last4):
            return household
    members = (HouseholdMember.objects.filter(name=name, **{f"household__{k}": v for k, v in in_village.items()})
               .values_list("household_id", "id_number")[:MATCH_CANDIDATES])
    for household_id, id_number in members:
        if id_number.upper().endswith(last4):
            return (Household.objects.select_related("village", "village__parent").only(*_HOUSEHOLD_FIELDS)
                    .get(pk=household_id))
    return None


# Same-name rows compared per lookup; a village has at most a few people of one name.
MATCH_CANDIDATES = 50


def household_payments(*, household_id: int) -> list[PublicPayment]:
    """A household's published payments, newest first, each with the notice that published it."""
    rows = list(
        _published(HouseholdPayment.objects).filter(household_id=household_id)
        .select_related("supersedes").order_by("-paid_on", "-id")[:MAX_HOUSEHOLD_PAYMENTS]
    )
    codes = _notice_codes(rows)
    return [_payment(p, notice_code=codes.get(p.pk, "")) for p in rows]

