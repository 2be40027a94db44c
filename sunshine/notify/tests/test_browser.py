"""The outbox page in a real browser (Debian's Chromium), on a phone-sized screen."""
import pytest

from sunshine.notify.services import sms_queue
from sunshine.org.testing import browser_login, build_mini_city

from .conftest import PAYMENT_PARAMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


def test_township_officer_filters_the_outbox_to_failed_messages(page, live_server):
    city = build_mini_city()
    sms_queue(phone="13800138001", template="payment_notice", params=PAYMENT_PARAMS, idempotency_key="pay:b1",
              region_path=city.villages[0].path)  # sent at once: there is no surrounding transaction
    sms_queue(phone="0731-123", template="payment_notice", params=PAYMENT_PARAMS, idempotency_key="pay:b2",
              region_path=city.villages[1].path)
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, city.accounts["township1"])
    page.goto(f"{live_server.url}/desk/sms/")
    assert page.get_by_text("138****8001").is_visible()
    page.select_option("select[name=status]", "failed")
    page.wait_for_url("**status=failed**")
    page.get_by_text("号码无效").first.wait_for()
    assert page.get_by_text("138****8001").count() == 0
    page.screenshot(path="/tmp/notify-outbox-phone.png", full_page=True)
