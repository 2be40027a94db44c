"""Links that leave the site (SMS, printed notices, QR codes): one base address, fixed paths that keep resolving."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import resolve

from sunshine.core import public_urls

PROJECT_DIR = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("path", "view_name"), [
    (public_urls.CHECK_PATH, "portal:funds_check"),
    (public_urls.NOTICE_PATH.format(code="ABCD2345EFGH"), "portal:funds_notice"),
    (public_urls.REPORT_STATUS_PATH, "portal:report_status"),
])
def test_every_fixed_public_path_still_opens_its_page(path, view_name):
    # Links already printed on village boards and sent to phones must keep working when pages are renamed.
    assert resolve(path).view_name == view_name


def test_links_are_built_on_the_configured_public_address(settings):
    settings.SUNSHINE_PUBLIC_BASE_URL = "https://ygjd.example.gov.cn/"
    assert public_urls.check_url() == "https://ygjd.example.gov.cn/check/"
    assert public_urls.notice_url("ABCD") == "https://ygjd.example.gov.cn/notices/ABCD/"
    assert public_urls.report_status_url() == "https://ygjd.example.gov.cn/report/status/"


def test_a_relative_path_is_refused():
    with pytest.raises(ValueError):
        public_urls.public_url("check/")


def test_make_demo_on_another_port_points_every_link_at_that_port():
    # A dry run: every command `make demo PORT=8080` runs gets the public address of port 8080.
    result = subprocess.run(["make", "-n", "demo", "PORT=8080"], cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin"})
    commands = [line for line in result.stdout.splitlines() if "bin/sunshine " in line]
    assert commands, result.stdout + result.stderr
    assert all("SUNSHINE_PUBLIC_BASE_URL=http://127.0.0.1:8080" in line for line in commands)


@pytest.mark.django_db
def test_payment_sms_and_printed_qr_code_follow_the_public_address(city, settings, tmp_path):
    from sunshine.funds.pdf import notice_print_context
    from sunshine.funds.services.notices import notice_create, notice_publish
    from sunshine.funds.services.records import payment_create
    from sunshine.funds.tests.factories import households, today
    from sunshine.notify.models import SmsMessage
    from sunshine.notify.providers.console import ConsoleProvider
    from sunshine.notify.services import sms_dispatch_pending

    settings.SUNSHINE_PUBLIC_BASE_URL = "http://127.0.0.1:8080"
    actor = city.accounts["township1"]
    payment = payment_create(actor=actor, household=households(city, 1)[0], fund_item="光伏收益分红",
                             amount=Decimal("800.00"), paid_on=dt.date(2026, 6, 1), bank_card="6217000000000012345")
    sms = SmsMessage.objects.get(related_type="funds.payment", related_id=payment.pk)
    sent_file = tmp_path / "sms.jsonl"
    assert sms_dispatch_pending(provider=ConsoleProvider(path=sent_file)).sent == 1
    sent = json.loads(sent_file.read_text(encoding="utf-8"))
    assert sent["out_id"] == sms.idempotency_key
    assert sent["text"].startswith("光伏收益分红¥800.00已到账，详见http://127.0.0.1:8080/h/")
    notice = notice_publish(actor=actor, notice=notice_create(
        actor=actor, kind="payment", scope_region=city.villages[0], record_ids=[payment.pk], starts_on=today(),
        period_days=10))
    context = notice_print_context(notice)
    assert context["url"] == f"http://127.0.0.1:8080/notices/{context['code']}/"
