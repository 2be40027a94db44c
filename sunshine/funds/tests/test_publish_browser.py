"""The publish flow in a real browser (Debian's Chromium): choose scope and records, preview, publish."""
import datetime as dt
from decimal import Decimal

import pytest

from sunshine.funds.models import Notice
from sunshine.funds.services.records import payment_create
from sunshine.org.testing import browser_login, build_mini_city, make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


def test_township_officer_publishes_a_payment_notice_from_a_phone(page, live_server):
    city = build_mini_city()
    actor = city.accounts["township1"]
    for n in range(3):
        household = make_household(city.villages[0], head_name=f"李{n}花", phone=f"1390000000{n}")
        payment_create(actor=actor, household=household, fund_item="产业奖补", amount=Decimal("1500"),
                       paid_on=dt.date(2026, 4, 3), bank_card=f"62170000111122223{n}")
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, actor)

    page.goto(f"{live_server.url}/desk/funds/notices/new/")
    page.select_option("select[name=kind]", "payment")
    page.select_option("select[name=scope_region]", str(city.villages[0].pk))
    page.get_by_text("李2花").wait_for()  # the HTMX checklist of unpublished records
    assert page.locator("input[name=records]:checked").count() == 3
    page.screenshot(path="/tmp/funds-notice-new-phone.png", full_page=True)
    page.click("button.primary")
    page.get_by_text("确认发布").wait_for()
    page.click("text=确认发布")
    page.get_by_text("核验码").first.wait_for()

    notice = Notice.objects.get()
    assert notice.status == "published" and page.get_by_text(notice.code).first.is_visible()
    page.screenshot(path="/tmp/funds-notice-published-phone.png", full_page=True)
