"""Staff tables on a phone (390x844): each row a card, each cell under its column's name."""
import datetime as dt
from decimal import Decimal

import pytest

from sunshine.funds.services.records import payment_create
from sunshine.org.testing import browser_login, build_mini_city, make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


def test_the_payments_list_on_a_phone_shows_each_row_as_a_card_with_column_names(page, live_server):
    city = build_mini_city()
    actor = city.accounts["township1"]
    for n in range(2):
        household = make_household(city.villages[0], head_name=f"周{n}福", phone=f"1390000001{n}")
        payment_create(actor=actor, household=household, fund_item="教育资助（雨露计划）", amount=Decimal("12400"),
                       paid_on=dt.date(2026, 4, 3), bank_card=f"62170000111122224{n}")
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, actor)

    page.goto(f"{live_server.url}/desk/funds/payments/")
    row = page.locator(".desk .table tbody tr").first
    row.wait_for()
    cells = row.locator("td")
    labels = [cells.nth(i).get_attribute("data-label") for i in range(cells.count())]
    # The amount says its unit once: "金额：¥12,400.00", not "金额（元）：¥12,400.00".
    assert labels and all(label is not None for label in labels) and "金额" in labels
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    assert "¥12,400.00" in row.inner_text()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/desk-cards-phone.png", full_page=True)
