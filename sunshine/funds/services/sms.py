"""The SMS each funds fact announces (三(二)3), written to the notify outbox in the fact's own transaction.

Idempotency keys name the record's row (a payment, or a transaction and a supervisor): a record is written once
(its natural key is unique), so re-running an import (or a retried task) can never send a household or a
supervisor the same message twice. Ids, not natural keys, because an import's ids ascend: its million keys go into
the outbox's unique index one beside the other instead of at random places.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings

from sunshine.core import public_urls
from sunshine.core.money import yuan
from sunshine.notify.services import SmsDraft, sms_queue, sms_queue_many
from sunshine.notify.services.links import PERSONAL_LINK

from ..choices import Direction

PAYMENT_TEMPLATE = "payment_notice"
TRANSACTION_TEMPLATE = "account_transaction"
PAYMENT_RELATED = "funds.payment"
PAYMENT_PURPOSE = "扶贫明白卡到账告知"
TRANSACTION_RELATED = "funds.transaction"
DIRECTION_WORDS = {Direction.RECEIPT: "收入", Direction.PAYMENT: "支出"}


def payment_sms_key(payment_id: int) -> str:
    return f"funds.payment:{payment_id}"


def transaction_sms_key(transaction_id: int, person_id: int) -> str:
    return f"funds.txn:{transaction_id}:{person_id}"


def sms_date(value: dt.date | str) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日"


def sms_amount(value: Decimal | str) -> str:
    """An amount in an SMS, written as on pages and PDFs: "¥1,200.00" (core.money.yuan)."""
    return yuan(Decimal(value))


def check_url() -> str:
    """Where a household checks its payments (the portal's self-check page)."""
    return public_urls.check_url()


def hotline() -> str:
    return settings.SUNSHINE["HOTLINE"]


def payment_params(*, fund_item: str, amount_text: str, date_text: str, village_name: str, url: str,
                   line: str) -> dict[str, str]:
    """The payment_notice parameters; amount and date already formatted (sms_amount, sms_date). The household's
    personal link is a stand-in here, put in when the message is sent (payment_personal_link)."""
    return {"item": fund_item, "amount": amount_text, "date": date_text, "village": village_name,
            "link": PERSONAL_LINK, "check_url": url, "hotline": line}


def payment_personal_link(payment_id: int) -> str | None:
    """The personal link of the household a payment went to (the dispatcher asks, one message at a time)."""
    from sunshine.org.household_links import household_link
    from sunshine.org.models import FIRST_LINK_GENERATION

    from ..models import HouseholdPayment

    row = (HouseholdPayment.objects.filter(pk=payment_id)
           .values_list("household_id", "household__link_generation").first())
    return household_link(household_id=row[0], generation=row[1] or FIRST_LINK_GENERATION) if row else None


def transaction_drafts(*, transaction_id: int, supervisors: Iterable, village_name: str,
                       village_path: str, direction: str, amount, counterparty: str, purpose: str, balance,
                       occurred_on) -> Iterator[SmsDraft]:
    has_balance = balance not in (None, "")
    params = {
        "village": village_name, "direction": DIRECTION_WORDS[Direction(direction)], "amount": sms_amount(amount),
        "counterparty": counterparty or "无", "purpose": purpose, "date": sms_date(occurred_on),
        # Without a balance the clause is left out ("余额未列明" said nothing); {balance} stays for texts staff
        # edited before the clause existed.
        "balance": sms_amount(balance) if has_balance else "未列明",
        "balance_clause": f"，余额{sms_amount(balance)}" if has_balance else "",
    }
    for person in supervisors:
        yield SmsDraft(
            phone=person.phone, template=TRANSACTION_TEMPLATE, params=params,
            idempotency_key=transaction_sms_key(transaction_id, person.person_id), purpose="村级账户收支告知",
            related_type=TRANSACTION_RELATED, related_id=transaction_id, region_path=village_path,
        )


def payment_sms_queue(payment) -> None:
    """The household's SMS for one payment (hand entry, correction), in the caller's transaction."""
    household = payment.household
    village = payment.village
    sms_queue(
        phone=household.phone, template=PAYMENT_TEMPLATE, idempotency_key=payment_sms_key(payment.pk),
        params=payment_params(fund_item=payment.fund_item, amount_text=sms_amount(payment.amount),
                              date_text=sms_date(payment.paid_on), village_name=village.name, url=check_url(),
                              line=hotline()),
        purpose=PAYMENT_PURPOSE, related=(PAYMENT_RELATED, payment.pk), region_path=village.path,
    )


def transaction_sms_queue(txn) -> int:
    """One SMS per current village supervisor for one account movement, in the caller's transaction."""
    from ..selectors import village_supervisors

    village = txn.village
    drafts = transaction_drafts(
        transaction_id=txn.pk, supervisors=village_supervisors(village=village),
        village_name=village.name, village_path=village.path, direction=txn.direction, amount=txn.amount,
        counterparty=txn.counterparty, purpose=txn.purpose, balance=txn.balance, occurred_on=txn.occurred_on,
    )
    return sms_queue_many(drafts)
