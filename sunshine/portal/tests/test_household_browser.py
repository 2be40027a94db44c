"""The done-when of the household page: a villager on a phone follows the link of a payment SMS and sees the
payment that is not yet published, marked 待公示. Screenshot in /tmp/portal-household.png."""
from __future__ import annotations

import json
import time

import pytest
from django.utils import timezone

from sunshine.funds import rules
from sunshine.funds.services.records import payment_create
from sunshine.notify.models import SmsMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


def disclosed_actor(disclosed):
    from sunshine.org.models import Account

    return Account.objects.get(username="township1")


def _wait_for_sms(path, key: str, timeout: float = 15.0) -> dict:
    """The message as the gateway got it (the embedded dispatcher sends on a worker thread after commit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record["out_id"] == key:
                    return record
        time.sleep(0.1)
    raise AssertionError(f"no SMS {key} sent within {timeout} s")


def test_a_villager_follows_the_payment_sms_link_and_sees_the_unpublished_payment(page, live_server, disclosed,
                                                                                   tmp_path, settings):
    # The township records a payment; its SMS leaves after the commit (the demo's console gateway writes it here).
    settings.SUNSHINE_PUBLIC_BASE_URL = live_server.url
    settings.SMS_CONSOLE_FILE = str(tmp_path / "sms.jsonl")
    zhao = disclosed.households[2]
    payment = payment_create(actor=disclosed_actor(disclosed), household=zhao, fund_item="教育资助（雨露计划）",
                             amount="3000.00", paid_on=timezone.localdate(), bank_card="6217002710000999888")
    key = SmsMessage.objects.get(related_type="funds.payment", related_id=payment.pk).idempotency_key
    sms = _wait_for_sms(tmp_path / "sms.jsonl", key)
    assert len(sms["text"]) + 8 <= 70  # one segment with an 8-character signature (the demo's longest item)
    link = sms["text"].split("详见", 1)[1]

    page.set_viewport_size(PHONE)
    page.goto(link)
    assert page.get_by_role("heading", name="我家的扶贫资金").is_visible()
    assert page.locator("li.record.pending").count() == 2  # this payment and the draft recorded earlier
    line = page.locator("li.record.pending", has_text="教育资助（雨露计划）")
    assert line.get_by_text("待公示").is_visible()
    due = rules.publication_due_date(payment.paid_on)
    assert line.get_by_text(f"乡镇应于 {due:%Y-%m-%d} 前公示").is_visible()
    assert line.get_by_role("link", name="对这笔有异议").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.screenshot(path="/tmp/portal-household.png", full_page=True)


def test_a_villager_without_the_sms_asks_for_a_code_and_opens_the_household_page(page, live_server, disclosed):
    from sunshine.notify.models import SmsMessage

    zhao = disclosed.households[2]
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/check/?village={disclosed.village.code}")
    page.fill("input[name=name]", "赵未公")
    page.fill("input[name=last4]", zhao.head_id_number[-4:])
    page.screenshot(path="/tmp/portal-check-form.png", full_page=True)
    page.click("button:has-text('发验证码到我家手机')")
    page.wait_for_selector("text=验证码已用短信发到该户登记的手机")
    sms = SmsMessage.objects.filter(template_code="household_code").latest("id")
    code = dict(sms.plain_params())["code"]
    page.fill("input[name=code]", code)
    page.screenshot(path="/tmp/portal-check-code.png", full_page=True)
    page.click("button:has-text('查看我家的全部发放')")
    page.wait_for_selector("h1:has-text('我家的扶贫资金')")
    assert "/h/" in page.url
    assert page.locator("li.record.pending").get_by_text("待公示").first.is_visible()
