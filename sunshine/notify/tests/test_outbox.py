"""Queueing SMS: in the caller's transaction, one per idempotency key, bad numbers recorded, clear errors."""
from __future__ import annotations

import pytest
from django.db import transaction

from sunshine.core.errors import ApplicationError
from sunshine.core.money import yuan
from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import SmsMessage, SmsTemplate
from sunshine.notify.services import sms_queue, sms_render
from sunshine.notify.services.links import PERSONAL_LINK, sms_segments
from sunshine.notify.services.templates import PLACEHOLDER

pytestmark = pytest.mark.django_db


def test_a_queued_payment_notice_is_sent_after_the_transaction_commits(
        payment_params, console_sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = sms_queue(phone="138 0013 8000", template="payment_notice", params=payment_params,
                                idempotency_key="payment:1", purpose="payment", related=("funds.payment", 1))
            assert console_sent() == []  # nothing leaves before commit
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert message.phone == "13800138000"
    assert message.attempts == 1 and message.provider == "console" and message.provider_message_id
    sent = console_sent()
    assert [s["out_id"] for s in sent] == ["payment:1"]
    assert sent[0]["text"] == "产业发展补助¥1,200.00已到账，详见http://127.0.0.1:8000/check/"


def test_a_rolled_back_transaction_leaves_no_message_and_sends_nothing(
        payment_params, console_sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                sms_queue(phone="13800138000", template="payment_notice", params=payment_params,
                          idempotency_key="payment:2")
                raise RuntimeError("the payment import failed")
    assert callbacks == []
    assert not SmsMessage.objects.exists()
    assert console_sent() == []


def test_the_same_idempotency_key_twice_returns_the_first_message(payment_params, console_sent,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sms_queue(phone="13800138000", template="payment_notice", params=payment_params,
                          idempotency_key="payment:3")
        again = sms_queue(phone="13900139000", template="payment_notice", params=payment_params,
                          idempotency_key="payment:3")
    assert again.pk == first.pk
    assert SmsMessage.objects.count() == 1
    assert len(console_sent()) == 1


def test_many_messages_in_one_transaction_schedule_one_dispatch(payment_params, caplog,
                                                                django_capture_on_commit_callbacks):
    caplog.set_level("INFO", logger="sunshine.notify.tasks")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for n in range(5):
                sms_queue(phone="13800138000", template="payment_notice", params=payment_params,
                          idempotency_key=f"payment:batch:{n}")
    runs = [r for r in caplog.records if r.name == "sunshine.notify.tasks"]
    assert len(runs) == 1 and "claimed=5" in runs[0].getMessage()
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == 5


def test_a_bad_phone_number_is_recorded_as_failed_without_raising(payment_params, console_sent):
    message = sms_queue(phone="0731-5551234", template="payment_notice", params=payment_params,
                        idempotency_key="payment:4")
    assert message.status == SmsStatus.FAILED
    assert "号码无效" in message.last_error and message.failed_at is not None
    assert console_sent() == []


def test_missing_template_parameters_are_a_clear_error_at_queue_time(payment_params):
    del payment_params["amount"]
    payment_params["link"] = ""
    with pytest.raises(ApplicationError) as caught:
        sms_queue(phone="13800138000", template="payment_notice", params=payment_params,
                  idempotency_key="payment:5")
    assert caught.value.code == "sms_params_missing"
    assert "amount" in caught.value.message and "link" in caught.value.message
    assert not SmsMessage.objects.exists()


def test_an_unknown_template_code_is_a_clear_error():
    with pytest.raises(ApplicationError) as caught:
        sms_render(template="no_such_template", params={})
    assert caught.value.code == "sms_template_unknown"


def test_every_template_other_apps_rely_on_exists_and_renders():
    from sunshine.notify.defaults import REQUIRED_CODES
    from sunshine.notify.models import SmsTemplate

    for template in SmsTemplate.objects.filter(code__in=REQUIRED_CODES):
        text = sms_render(template=template.code, params={name: f"<{name}>" for name in template.params})
        used = PLACEHOLDER.findall(template.body)
        assert used and set(used) <= set(template.params)  # a text uses some of the parameters callers give
        assert all(f"<{name}>" in text for name in used) and "{" not in text
    assert set(SmsTemplate.objects.values_list("code", flat=True)) >= set(REQUIRED_CODES)


def test_the_village_account_sms_names_the_village_once():
    text = sms_render(template="account_transaction", params={
        "village": "青庄村", "direction": "收入", "amount": "¥100.00", "counterparty": "湘乡市财政局",
        "purpose": "上级拨付", "balance": "¥200.00", "balance_clause": "，余额¥200.00", "date": "2026年9月15日"})
    assert text.startswith("青庄村集体账户于2026年9月15日收入¥100.00，对方：湘乡市财政局，用途：上级拨付，余额¥200.00。")


def test_the_village_account_sms_without_a_balance_leaves_the_balance_clause_out():
    text = sms_render(template="account_transaction", params={
        "village": "青庄村", "direction": "支出", "amount": "¥100.00", "counterparty": "无", "purpose": "修路",
        "balance": "未列明", "balance_clause": "", "date": "2026年9月15日"})
    assert "余额" not in text and "未列明" not in text
    assert "用途：修路。请村级监督员履行监督职责。" in text


def test_the_outbox_records_how_many_billed_segments_each_message_takes(payment_params, settings):
    settings.SMS_SIGN_NAME = "湘乡阳光监督"  # 【湘乡阳光监督】: 8 characters the carrier adds
    short = sms_queue(phone="13800138000", template="payment_notice", params=payment_params,
                      idempotency_key="payment:seg1", related=("funds.payment", 1))
    assert PERSONAL_LINK in short.text  # the link itself is put in at sending, never stored
    assert short.segments == 1
    # A text edited past 70 characters (signature and link counted) is billed as two segments of 67.
    long_params = {**payment_params, "item": "产业发展补助" * 5}
    long = sms_queue(phone="13800138000", template="payment_notice", params=long_params,
                     idempotency_key="payment:seg2")
    assert long.segments == 2


def test_segments_count_the_signature_and_the_personal_link_at_its_full_length(settings):
    settings.SUNSHINE_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    settings.SMS_SIGN_NAME = ""  # the demo: an 8-character signature budgeted
    link_length = len("http://127.0.0.1:8000/h/") + 12
    assert sms_segments("字" * (70 - 8 - link_length) + PERSONAL_LINK) == 1
    assert sms_segments("字" * (71 - 8 - link_length) + PERSONAL_LINK) == 2
    assert sms_segments("a" * 152) == 1 and sms_segments("a" * 153) == 2  # plain ASCII: 160 per segment


def test_money_in_sms_is_written_as_on_pages_and_a_text_an_office_edited_is_left_as_it_was():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("sunshine.notify.migrations.0015_g11_sms_money")
    payment, account, returned = (SmsTemplate.objects.get(code=code) for code in
                                  ("payment_notice", "account_transaction", "funds_returned"))
    assert payment.body == "{item}{amount}已到账，详见{link}"  # as the database is migrated
    assert "{direction}{amount}，对方：" in account.body and "{amount}已于{date}退还" in returned.body
    # Back to the texts as shipped before, one of them edited by the office: the edit survives the migration.
    migration.backwards(apps, None)
    SmsTemplate.objects.filter(code="funds_returned").update(body="追缴资金{amount}元已退还，电话{hotline}")
    migration.forwards(apps, None)
    bodies = dict(SmsTemplate.objects.values_list("code", "body"))
    assert bodies["payment_notice"] == "{item}{amount}已到账，详见{link}"
    assert bodies["funds_returned"] == "追缴资金{amount}元已退还，电话{hotline}"
    text = sms_render(template="payment_notice", params={
        "item": "教育资助（雨露计划）", "amount": yuan("3000"), "date": "2026年3月1日", "village": "青庄村",
        "link": "〔个人链接〕", "check_url": "http://127.0.0.1:8000/f/", "hotline": "0731-12388"})
    assert text == "教育资助（雨露计划）¥3,000.00已到账，详见〔个人链接〕"
