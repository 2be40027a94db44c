"""The figures at the top of a village page (三(二)3: allocations received, projects and their money, the village
account): only current, published versions count, to the cent, on both databases (one SQL query, not the ORM)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sunshine.funds import public

pytestmark = pytest.mark.django_db


def _summary(disclosed):
    return public.village_summary(village_id=disclosed.village.pk)


def _publish(actor, kind, region, ids):
    from sunshine.funds.services.notices import notice_create, notice_publish

    draft = notice_create(actor=actor, kind=kind, scope_region=region, record_ids=ids, starts_on=timezone.localdate())
    return notice_publish(actor=actor, notice=draft)


def test_the_figures_count_the_published_records_of_the_village_only(disclosed):
    summary = _summary(disclosed)
    assert summary.allocated_total == Decimal("50000.00") and summary.allocation_count == 1  # not the township's
    assert summary.project_count == 1 and summary.project_budget == Decimal("180000.00")
    assert summary.balance == Decimal("78800.00")
    assert summary.balance_on == timezone.localdate() - dt.timedelta(days=3)
    assert isinstance(summary.balance_on, dt.date)


def test_cents_drafts_corrections_and_cancelled_projects(disclosed, city):
    from sunshine.funds.services.projects import project_transition
    from sunshine.funds.services.records import allocation_create, record_correct

    actor = city.accounts["township1"]
    village = disclosed.village
    on = timezone.localdate() - dt.timedelta(days=1)
    cents = allocation_create(actor=actor, level="city", document_number="湘乡财〔2026〕21号", fund_type="以工代赈资金",
                              amount="1234.56", allocated_on=on, recipient_kind="village", region=village)
    allocation_create(actor=actor, level="city", document_number="湘乡财〔2026〕22号", fund_type="以工代赈资金",
                      amount="999.99", allocated_on=on, recipient_kind="village", region=village)  # never published
    _publish(actor, "allocation", village, [cents.pk])
    summary = _summary(disclosed)
    assert summary.allocated_total == Decimal("51234.56") and summary.allocation_count == 2

    # A correction replaces the version it corrects: counted once, at its new amount.
    record_correct(actor=actor, record=cents, reason="文号金额核对更正", changes={"amount": "1000.10"})
    summary = _summary(disclosed)
    assert summary.allocated_total == Decimal("51000.10") and summary.allocation_count == 2

    # A cancelled project is not planned investment any more.
    project_transition(actor=actor, project=disclosed.project, to_status="cancelled", on_date=timezone.localdate(),
                       note="群众意见较大，暂缓建设")
    summary = _summary(disclosed)
    assert summary.project_count == 0 and summary.project_budget == Decimal("0.00")


def test_the_balance_is_the_latest_published_movement_that_states_one(disclosed, city):
    from sunshine.funds.models import VillageAccount
    from sunshine.funds.services.records import transaction_create

    actor = city.accounts["township1"]
    account = VillageAccount.objects.get(village=disclosed.village)
    today = timezone.localdate()
    no_balance = transaction_create(actor=actor, account=account, occurred_on=today, direction="out",
                                    amount="300.00", purpose="村级卫生保洁费", counterparty="保洁员")
    _publish(actor, "transaction", disclosed.village, [no_balance.pk])
    assert _summary(disclosed).balance == Decimal("78800.00")  # the movement states no balance
    draft = transaction_create(actor=actor, account=account, occurred_on=today, direction="out", amount="0.50",
                               purpose="手续费", counterparty="农商银行", balance="78499.50")
    assert _summary(disclosed).balance == Decimal("78800.00")  # not published yet
    _publish(actor, "transaction", disclosed.village, [draft.pk])
    summary = _summary(disclosed)
    assert summary.balance == Decimal("78499.50") and summary.balance_on == today


def test_a_village_with_nothing_published_shows_zeros_and_no_balance(city):
    summary = public.village_summary(village_id=city.villages[1].pk)
    assert summary.allocated_total == Decimal("0.00") and summary.allocation_count == 0
    assert summary.project_count == 0 and summary.project_budget == Decimal("0.00")
    assert summary.balance is None and summary.balance_on is None
