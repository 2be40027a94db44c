"""One-time codes by SMS (三(二)3): the self-check by name and ID digits shows only what is public anyway (published
payments; the lists print those names and digits). To see more, the household's own page, a code is sent to the
phone on the household's record.

- Asking never tells whether a name is registered: the answer is the same, sent or not.
- A household gets a few codes a day (CODES_PER_HOUSEHOLD_PER_DAY), whoever asks: the request cannot flood a phone.
- Only a keyed hash of a code is stored; a code expires, serves once, and only in the browser session that asked
  for it. Someone else's wrong guesses therefore never spoil the owner's code, and each code takes a few tries at
  most (MAX_TRIES_PER_CODE): with 3 codes a day, guessing a household's 6 digits is hopeless.
- Failures are counted per requester (portal view), never per name: nobody can lock a villager out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sunshine.notify.defaults import HOUSEHOLD_CODE
from sunshine.notify.services import sms_queue
from sunshine.org.models import Household

from .models import HouseholdAccessCode

CODE_DIGITS = 6
CODE_TTL = dt.timedelta(minutes=10)
CODES_PER_HOUSEHOLD_PER_DAY = 3
MAX_TRIES_PER_CODE = 5
SALT = "sunshine.funds.household_code"


def _code_hash(code: str) -> str:
    return salted_hmac(SALT, code, algorithm="sha256").hexdigest()


def session_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def household_code_send(*, household: Household | None, session_key: str) -> bool:
    """Send a code to the household's phone unless it has none or has had its codes for today; True if sent.
    Callers show the same answer either way."""
    if household is None or not household.phone:
        return False
    now = timezone.now()
    with transaction.atomic():
        # The household row locked: two simultaneous requests cannot both pass the daily count.
        Household.objects.select_for_update().filter(pk=household.pk).values_list("pk", flat=True).first()
        today = HouseholdAccessCode.objects.filter(household_id=household.pk, created_at__gte=now - dt.timedelta(days=1))
        if today.count() >= CODES_PER_HOUSEHOLD_PER_DAY:
            return False
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        row = HouseholdAccessCode.objects.create(
            household_id=household.pk, code_hash=_code_hash(code), session_hash=session_hash(session_key),
            created_at=now, expires_at=now + CODE_TTL)
        # Protected: the outbox keeps the number and the text (the code) encrypted, like a reporter's SMS.
        sms_queue(phone=household.phone, template=HOUSEHOLD_CODE,
                  params={"code": code, "minutes": str(int(CODE_TTL.total_seconds() // 60))},
                  idempotency_key=f"funds.hhcode:{row.pk}", purpose="查询验证码", related=("funds.hhcode", row.pk),
                  region_path=household.village.path if household.village_id else "", protected=True)
    return True


def household_code_verify(*, session_key: str, code: str) -> Household | None:
    """The household whose live code, asked for in this session, is `code` (the code is used up); else None,
    and each live code of the session loses a try."""
    code = "".join(code.split())
    now = timezone.now()
    with transaction.atomic():
        live = list(HouseholdAccessCode.objects.select_for_update()
                    .filter(session_hash=session_hash(session_key), used_at__isnull=True, expires_at__gt=now,
                            failed_attempts__lt=MAX_TRIES_PER_CODE).order_by("-created_at"))
        if code.isdigit() and len(code) == CODE_DIGITS:
            digest = _code_hash(code)
            for row in live:
                if hmac.compare_digest(row.code_hash, digest):
                    HouseholdAccessCode.objects.filter(pk=row.pk).update(used_at=now)
                    return Household.objects.get(pk=row.household_id)
        HouseholdAccessCode.objects.filter(pk__in=[r.pk for r in live]).update(
            failed_attempts=F("failed_attempts") + 1)
    return None
