"""Two-factor enrolment in a real browser on a phone: scan (here: read the key), type the code, keep the codes."""
import base64

import pytest
from django_otp.oath import totp

from sunshine.org.testing import TEST_PASSWORD, build_mini_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


def test_a_new_officer_enrols_an_authenticator_on_a_phone_and_reaches_the_desk(page, live_server):
    build_mini_city()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/desk/login/")
    page.fill("input[name=username]", "village1")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/2fa/setup/**")
    assert page.locator("img.qr").is_visible()
    page.screenshot(path="/tmp/desk-2fa-setup-phone.png", full_page=True)

    key = page.locator("code.secret").inner_text().strip()
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.fill("input[name=code]", f"{totp(secret):06d}")
    page.click("button[type=submit]")
    page.get_by_text("只显示这一次").wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    page.screenshot(path="/tmp/desk-2fa-recovery-phone.png", full_page=True)
    page.click("text=我已抄好，继续")
    page.wait_for_url(f"{live_server.url}/desk/")
