"""What a township still has to publish (三(二)3): unpublished payments per village, and a one-step draft."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sunshine.funds import rules
from sunshine.funds.models import Notice
from sunshine.funds.services.notices import notice_create, notice_publish
from sunshine.funds.services.records import payment_create

from .factories import households, today

pytestmark = pytest.mark.django_db


def _pay(actor, household, paid_on, amount="500.00"):
    return payment_create(actor=actor, household=household, fund_item="产业奖补", amount=Decimal(amount),
                          paid_on=paid_on, bank_card=f"62170000000000{household.pk:05d}")


def test_the_publication_due_date_is_the_payment_date_plus_the_configured_days(settings):
    settings.SUNSHINE_PUBLICATION_DUE_DAYS = 30
    assert rules.publication_due_date(dt.date(2026, 1, 15)) == dt.date(2026, 2, 14)
    settings.SUNSHINE_PUBLICATION_DUE_DAYS = 10
    assert rules.publication_due_date(dt.date(2026, 1, 15)) == dt.date(2026, 1, 25)
    # The query form of the same rule: paid before this and unpublished today means overdue.
    assert rules.publication_overdue_before(dt.date(2026, 1, 25)) == dt.date(2026, 1, 15)


def test_the_township_desk_lists_what_waits_per_village_and_drafts_a_notice_in_one_step(city, login):
    actor = city.accounts["township1"]
    a, b = households(city, 2, village_index=0)
    [c] = households(city, 1, village_index=1)
    old = _pay(actor, a, today() - dt.timedelta(days=45))
    recent = _pay(actor, b, today() - dt.timedelta(days=3), amount="700.00")
    published = _pay(actor, c, today() - dt.timedelta(days=5))
    notice_publish(actor=actor, notice=notice_create(actor=actor, kind="payment", scope_region=city.villages[1],
                                                     record_ids=[published.pk], starts_on=today()))
    desk = login(actor)
    home = desk.get("/desk/").content.decode()
    assert "待公示发放" in home and "待发布公示" not in home

    page = desk.get("/desk/funds/waiting/").content.decode()
    assert city.villages[0].name in page and "1,200.00" in page  # two payments waiting, one of them overdue
    assert city.villages[1].name not in page  # everything there is published
    assert 'class="tag err">1<' in page

    response = desk.post(f"/desk/funds/waiting/{city.villages[0].pk}/draft/")
    notice = Notice.objects.get(status="draft")
    assert response.status_code == 302 and response["Location"] == f"/desk/funds/notices/{notice.pk}/"
    assert notice.scope_region == city.villages[0] and notice.kind == "payment"
    assert set(notice.items.values_list("payment_id", flat=True)) == {old.pk, recent.pk}
    # Drafted payments no longer wait; publishing the draft is one more click on its page.
    assert "没有待公示的发放" in desk.get("/desk/funds/waiting/").content.decode()


def test_other_townships_payments_are_not_listed_nor_drafted(city, login):
    actor = city.accounts["township1"]
    [h] = households(city, 1, village_index=0)
    _pay(actor, h, today() - dt.timedelta(days=2))
    other = login(city.accounts["township2"])
    assert city.villages[0].name not in other.get("/desk/funds/waiting/").content.decode()
    assert other.post(f"/desk/funds/waiting/{city.villages[0].pk}/draft/").status_code == 404
    assert not Notice.objects.exists()
