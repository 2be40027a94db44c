"""The funds demo seeds true-looking, verifiable data; concurrent publishes never fork the ledger."""
from __future__ import annotations

import datetime as dt
import random
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from sunshine.core.demo import DemoContext
from sunshine.funds import demo, public
from sunshine.funds.models import (
    AccountTransaction,
    FundAllocation,
    HouseholdPayment,
    LedgerEntry,
    Notice,
    Project,
)
from sunshine.funds.verification import ledger_verify
from sunshine.notify.models import SmsMessage

from .factories import households, today


class _LastPicks(random.Random):
    """Random, except that samples are the last k: the demo publishes a village of the city's last township (the
    half of the townships whose allocations the demo publishes anyway are the first)."""

    def sample(self, population, k, **kwargs):
        return list(population)[-k:]


@pytest.mark.django_db
def test_the_demo_seeds_every_record_type_publishes_some_and_the_ledger_verifies(city):
    for index in range(4):
        households(city, 5, index)
    ctx = DemoContext(rng=_LastPicks(7), faker=None, today=today(), households=20, scale=0.001,
                      write=lambda *_: None, accounts={"admin": city.accounts["admin"]})

    demo.seed(ctx)

    assert set(FundAllocation.objects.values_list("level", flat=True)) == {"national", "provincial", "city", "county"}
    assert Project.objects.values("status").distinct().count() >= 4
    assert HouseholdPayment.objects.filter(version=1).count() >= 40
    assert SmsMessage.objects.filter(template_code="payment_notice").count() >= 40
    assert AccountTransaction.objects.count() == 4 * demo.TRANSACTIONS_PER_VILLAGE
    assert Notice.objects.filter(status="published").exists() and LedgerEntry.objects.exists()
    assert HouseholdPayment.objects.filter(version=2).exists()
    assert ledger_verify().ok
    # Published as it happened: the ledger follows the notices' dates, and a payment's publication date is its
    # notice's (so the disclosure lag on the statistics desk is a city's, not the seeding day's).
    from django.utils import timezone

    from sunshine.funds.models import NoticeItem

    starts = [e.notice.starts_on for e in LedgerEntry.objects.filter(kind="publish").select_related("notice")
              .order_by("seq")]
    assert starts == sorted(starts)
    items = NoticeItem.objects.filter(payment__isnull=False, payment__version=1).select_related("notice", "payment")
    assert items and all(timezone.localdate(i.payment.published_at) == i.notice.starts_on for i in items)
    assert {timezone.localdate(i.notice.published_at) for i in items} == {i.notice.starts_on for i in items}
    # 三(二)3 资金使用情况: started projects have spending, within their allocations.
    from sunshine.funds.models import ProjectSpending

    assert ProjectSpending.objects.exists()
    # A village page with published projects also shows the money it received (not "收到扶贫资金 ¥0.00").
    published_villages = set(Project.objects.filter(published_at__isnull=False).values_list("village_id", flat=True))
    assert published_villages
    for village_id in published_villages:
        assert public.village_summary(village_id=village_id).allocated_total > 0, village_id


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publishes_extend_the_chain_one_after_the_other(city):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are a PostgreSQL matter; SQLite serialises writers itself")
    from sunshine.funds.services.notices import notice_create, notice_publish
    from sunshine.funds.services.records import payment_create

    actor = city.accounts["township1"]
    drafts = []
    for index in (0, 1):
        [h] = households(city, 1, index)
        payment = payment_create(actor=actor, household=h, fund_item="产业奖补", amount=Decimal("100"),
                                 paid_on=dt.date(2026, 1, 5), bank_card=f"621700000000000{index}")
        drafts.append(notice_create(actor=actor, kind="payment", scope_region=city.villages[index],
                                    record_ids=[payment.pk], starts_on=today()))
    barrier = threading.Barrier(2)
    errors = []

    def publish(notice):
        try:
            barrier.wait()
            notice_publish(actor=actor, notice=notice)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(n,)) for n in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    first, second = LedgerEntry.objects.order_by("seq")
    assert (first.seq, second.seq) == (1, 2) and second.prev_hash == first.entry_hash
    assert ledger_verify().ok
