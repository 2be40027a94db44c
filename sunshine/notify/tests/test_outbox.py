"""Queueing SMS: in the caller's transaction, one per idempotency key, bad numbers recorded, clear errors."""
from __future__ import annotations

import pytest
from django.db import transaction

from sunshine.core.errors import ApplicationError
from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import SmsMessage
from sunshine.notify.services import sms_queue, sms_render

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
    assert "产业发展补助1,200.00元" in sent[0]["text"] and "0731-12388" in sent[0]["text"]


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
    payment_params["hotline"] = ""
    with pytest.raises(ApplicationError) as caught:
        sms_queue(phone="13800138000", template="payment_notice", params=payment_params,
                  idempotency_key="payment:5")
    assert caught.value.code == "sms_params_missing"
    assert "amount" in caught.value.message and "hotline" in caught.value.message
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
        assert all(f"<{name}>" in text for name in template.params)
    assert set(SmsTemplate.objects.values_list("code", flat=True)) >= set(REQUIRED_CODES)


def test_the_village_account_sms_names_the_village_once():
    text = sms_render(template="account_transaction", params={
        "village": "青庄村", "direction": "收入", "amount": "100.00", "counterparty": "湘乡市财政局",
        "purpose": "上级拨付", "balance": "200.00", "date": "2026年9月15日"})
    assert text.startswith("青庄村集体账户于2026年9月15日收入100.00元")
