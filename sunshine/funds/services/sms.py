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
from django.urls import NoReverseMatch, reverse

from sunshine.notify.services import SmsDraft, sms_queue, sms_queue_many

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
    return f"{Decimal(value):.2f}"


def check_url() -> str:
    """Where a household checks its payments (the portal's self-check page)."""
    try:
        path = reverse("portal:funds_check")
    except NoReverseMatch:  # the portal page is registered by the portal's funds module
        path = "/check/"
    return settings.SUNSHINE["PUBLIC_BASE_URL"].rstrip("/") + path


def hotline() -> str:
    return settings.SUNSHINE["HOTLINE"]


def payment_params(*, fund_item: str, amount_text: str, date_text: str, village_name: str, url: str,
                   line: str) -> dict[str, str]:
    """The payment_notice parameters; amount and date already formatted (sms_amount, sms_date)."""
    return {"item": fund_item, "amount": amount_text, "date": date_text, "village": village_name, "check_url": url,
            "hotline": line}


def transaction_drafts(*, transaction_id: int, supervisors: Iterable, village_name: str,
                       village_path: str, direction: str, amount, counterparty: str, purpose: str, balance,
                       occurred_on) -> Iterator[SmsDraft]:
    params = {
        "village": village_name, "direction": DIRECTION_WORDS[Direction(direction)], "amount": sms_amount(amount),
        "counterparty": counterparty or "无", "purpose": purpose, "date": sms_date(occurred_on),
        "balance": sms_amount(balance) if balance not in (None, "") else "未列明",
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
        params={"item": payment.fund_item, "amount": sms_amount(payment.amount), "date": sms_date(payment.paid_on),
                "village": village.name, "check_url": check_url(), "hotline": hotline()},
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
