"""The Aliyun and Tencent clients, through their official SDKs, against local fake gateways that check signatures."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from sunshine.core.public_urls import check_url
from sunshine.notify.choices import AttemptOutcome, SmsStatus
from sunshine.notify.models import SmsMessage
from sunshine.notify.providers.aliyun import AliyunProvider
from sunshine.notify.providers.tencent import TencentProvider
from sunshine.notify.services import sms_dispatch_pending, sms_queue
from sunshine.notify.services.links import PERSONAL_LINK

from .conftest import PAYMENT_PARAMS
from .fakes import AliyunHandler, FakeGateway, TencentHandler

pytestmark = pytest.mark.django_db
CLIENT_TIMEOUT = 0.5


@pytest.fixture
def aliyun_gateway():
    fake = FakeGateway(key_id="LTAI-test-key", secret="aliyun-test-secret").start(AliyunHandler)
    yield fake
    fake.stop()


@pytest.fixture
def tencent_gateway():
    fake = FakeGateway(key_id="AKID-test-id", secret="tencent-test-key").start(TencentHandler)
    yield fake
    fake.stop()


def aliyun(fake: FakeGateway, *, secret: str | None = None) -> AliyunProvider:
    return AliyunProvider(access_key_id=fake.key_id, access_key_secret=secret or fake.secret, sign_name="湘乡阳光监督",
                          template_codes={"payment_notice": "SMS_480001"}, endpoint=fake.endpoint, protocol="http",
                          timeout_seconds=CLIENT_TIMEOUT)


def tencent(fake: FakeGateway, *, secret: str | None = None) -> TencentProvider:
    return TencentProvider(secret_id=fake.key_id, secret_key=secret or fake.secret, sdk_app_id="1400000001",
                           sign_name="湘乡阳光监督", template_ids={"payment_notice": "2100001"},
                           endpoint=fake.endpoint, protocol="http", timeout_seconds=CLIENT_TIMEOUT)


def queue(key: str, phone: str = "13800138000") -> SmsMessage:
    return sms_queue(phone=phone, template="payment_notice", params=PAYMENT_PARAMS, idempotency_key=key)


def time_passes(message: SmsMessage) -> None:
    """The message's retry time (or its lease) runs out."""
    past = timezone.now() - dt.timedelta(seconds=1)
    SmsMessage.objects.filter(pk=message.pk).update(next_attempt_at=past)
    SmsMessage.objects.filter(pk=message.pk, status=SmsStatus.SENDING).update(lease_expires_at=past)


def refreshed(message: SmsMessage) -> SmsMessage:
    message.refresh_from_db()
    return message


# ---------------------------------------------------------------------------------------------------- Aliyun
def test_aliyun_sends_a_signed_request_with_params_and_our_key_as_out_id(aliyun_gateway):
    message = queue("pay:aliyun:1")
    report = sms_dispatch_pending(provider=aliyun(aliyun_gateway))
    message = refreshed(message)
    assert report.sent == 1 and aliyun_gateway.signature_failures == 0
    assert message.status == SmsStatus.SENT and message.provider == "aliyun"
    accepted = aliyun_gateway.accepted[0]
    assert message.provider_message_id == accepted.biz_id
    assert accepted.out_id == "pay:aliyun:1" and accepted.template == "SMS_480001"
    assert accepted.params["item"] == "产业发展补助" and accepted.params["amount"] == "¥1,200.00"


def test_aliyun_rejects_a_wrong_secret_and_the_message_records_the_gateways_answer(aliyun_gateway):
    message = queue("pay:aliyun:2")
    sms_dispatch_pending(provider=aliyun(aliyun_gateway, secret="not-the-secret"))
    message = refreshed(message)
    assert aliyun_gateway.signature_failures == 1 and aliyun_gateway.accepted == []
    assert message.status == SmsStatus.FAILED
    assert "SignatureDoesNotMatch" in message.last_error


def test_aliyun_flow_control_backs_off_and_the_retry_sends_exactly_once(aliyun_gateway):
    aliyun_gateway.script.extend(["throttle"])
    message = queue("pay:aliyun:3")
    report = sms_dispatch_pending(provider=aliyun(aliyun_gateway))
    message = refreshed(message)
    assert report.throttled and message.status == SmsStatus.QUEUED
    assert message.next_attempt_at > timezone.now() and "isv.BUSINESS_LIMIT_CONTROL" in message.last_error
    assert sms_dispatch_pending(provider=aliyun(aliyun_gateway)).claimed == 0  # not due yet
    time_passes(message)
    sms_dispatch_pending(provider=aliyun(aliyun_gateway))
    assert refreshed(message).status == SmsStatus.SENT
    assert aliyun_gateway.sent_to("pay:aliyun:3") == 1 and refreshed(message).attempts == 2


def test_aliyun_timeout_is_settled_by_the_status_query_without_a_second_sms(aliyun_gateway):
    aliyun_gateway.script.extend(["timeout"])
    message = queue("pay:aliyun:4")
    sms_dispatch_pending(provider=aliyun(aliyun_gateway))
    assert refreshed(message).status == SmsStatus.UNKNOWN
    time_passes(message)
    report = sms_dispatch_pending(provider=aliyun(aliyun_gateway))
    message = refreshed(message)
    assert report.settled_without_resend == 1 and message.status == SmsStatus.SENT
    assert aliyun_gateway.sent_to("pay:aliyun:4") == 1
    assert aliyun_gateway.requests == ["SendSms", "QuerySendDetails"]
    assert [a.outcome for a in message.attempt_log.all()] == [AttemptOutcome.UNKNOWN, AttemptOutcome.QUERIED_FOUND]


def test_aliyun_refusing_one_number_fails_that_message_and_the_batch_goes_on(aliyun_gateway):
    aliyun_gateway.script.extend(["error", "ok"])
    first, second = queue("pay:aliyun:5"), queue("pay:aliyun:6", phone="13900139000")
    sms_dispatch_pending(provider=aliyun(aliyun_gateway))
    assert refreshed(first).status == SmsStatus.FAILED and "isv.MOBILE_NUMBER_ILLEGAL" in refreshed(first).last_error
    assert refreshed(second).status == SmsStatus.SENT


def test_aliyun_without_a_template_code_for_the_template_fails_clearly(aliyun_gateway):
    provider = aliyun(aliyun_gateway)
    provider.template_codes = {}
    message = queue("pay:aliyun:7")
    sms_dispatch_pending(provider=provider)
    assert refreshed(message).status == SmsStatus.FAILED
    assert "SMS_ALIYUN_TEMPLATE_CODES" in refreshed(message).last_error and aliyun_gateway.requests == []


def test_aliyun_unreachable_gateway_is_retried_later(aliyun_gateway):
    provider = aliyun(aliyun_gateway)
    aliyun_gateway.stop()
    message = queue("pay:aliyun:8")
    sms_dispatch_pending(provider=provider)
    message = refreshed(message)
    assert message.status == SmsStatus.QUEUED and message.attempts == 1 and message.last_error


# ---------------------------------------------------------------------------------------------------- Tencent
def test_tencent_sends_a_signed_request_with_positional_params_and_our_key_as_session_context(tencent_gateway):
    message = queue("pay:tencent:1")
    report = sms_dispatch_pending(provider=tencent(tencent_gateway))
    message = refreshed(message)
    assert report.sent == 1 and tencent_gateway.signature_failures == 0
    assert message.status == SmsStatus.SENT and message.provider_message_id.startswith("2433:")
    accepted = tencent_gateway.accepted[0]
    assert accepted.phone == "+8613800138000" and accepted.out_id == "pay:tencent:1"
    assert accepted.template == "2100001"
    # The personal link's stand-in is filled in as the message leaves (here no record: the self-check address).
    assert accepted.params == [check_url() if value == PERSONAL_LINK else value for _, value in message.params]
    assert accepted.params[:2] == ["产业发展补助", "¥1,200.00"] and PERSONAL_LINK not in accepted.params


def test_tencent_rejects_a_wrong_secret_and_the_message_records_the_gateways_answer(tencent_gateway):
    message = queue("pay:tencent:2")
    sms_dispatch_pending(provider=tencent(tencent_gateway, secret="not-the-key"))
    message = refreshed(message)
    assert tencent_gateway.signature_failures == 1 and tencent_gateway.accepted == []
    assert message.status == SmsStatus.FAILED and "AuthFailure.SignatureFailure" in message.last_error


def test_tencent_flow_control_backs_off_and_the_retry_sends_exactly_once(tencent_gateway):
    tencent_gateway.script.extend(["throttle"])
    message = queue("pay:tencent:3")
    sms_dispatch_pending(provider=tencent(tencent_gateway))
    assert refreshed(message).status == SmsStatus.QUEUED and "LimitExceeded" in refreshed(message).last_error
    time_passes(message)
    sms_dispatch_pending(provider=tencent(tencent_gateway))
    assert refreshed(message).status == SmsStatus.SENT and tencent_gateway.sent_to("pay:tencent:3") == 1


def test_tencent_timeout_is_settled_by_the_status_pull_without_a_second_sms(tencent_gateway):
    tencent_gateway.script.extend(["timeout"])
    message = queue("pay:tencent:4")
    sms_dispatch_pending(provider=tencent(tencent_gateway))
    assert refreshed(message).status == SmsStatus.UNKNOWN
    time_passes(message)
    sms_dispatch_pending(provider=tencent(tencent_gateway))
    message = refreshed(message)
    assert message.status == SmsStatus.DELIVERED and message.provider_message_id.startswith("2433:")
    assert tencent_gateway.sent_to("pay:tencent:4") == 1
    assert tencent_gateway.requests == ["SendSms", "PullSmsSendStatusByPhoneNumber"]


def test_tencent_timeout_not_yet_reported_stays_unknown_instead_of_resending(tencent_gateway):
    tencent_gateway.script.extend(["timeout"])
    message = queue("pay:tencent:5")
    provider = tencent(tencent_gateway)
    sms_dispatch_pending(provider=provider)
    tencent_gateway.accepted[0].report = ""  # the carrier has not reported yet
    time_passes(message)
    sms_dispatch_pending(provider=provider)
    message = refreshed(message)
    assert message.status == SmsStatus.UNKNOWN and message.next_attempt_at > timezone.now() + dt.timedelta(minutes=50)
    assert tencent_gateway.sent_to("pay:tencent:5") == 1


def test_tencent_refusing_one_number_fails_that_message_and_the_batch_goes_on(tencent_gateway):
    tencent_gateway.script.extend(["error", "ok"])
    first, second = queue("pay:tencent:6"), queue("pay:tencent:7", phone="13900139000")
    sms_dispatch_pending(provider=tencent(tencent_gateway))
    assert refreshed(first).status == SmsStatus.FAILED
    assert "IncorrectPhoneNumber" in refreshed(first).last_error
    assert refreshed(second).status == SmsStatus.SENT


def test_receipt_payloads_of_both_gateways_are_understood():
    aliyun_receipts = AliyunProvider().parse_receipts(json.loads(
        '[{"phone_number":"13800138000","send_time":"2026-11-20 10:00:00","report_time":"2026-11-20 10:00:05",'
        '"success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"9^0",'
        '"out_id":"pay:1"}]'))
    assert aliyun_receipts[0].delivered and aliyun_receipts[0].idempotency_key == "pay:1"
    tencent_receipts = TencentProvider().parse_receipts(json.loads(
        '[{"user_receive_time":"2026-11-20 10:00:04","nationcode":"86","mobile":"13800138000",'
        '"report_status":"FAIL","errmsg":"MK:0001","description":"用户关机","sid":"2433:1"}]'))
    assert not tencent_receipts[0].delivered and tencent_receipts[0].provider_message_id == "2433:1"
    assert "用户关机" in tencent_receipts[0].error


def test_settings_choose_the_gateway_and_a_committed_payment_notice_goes_out_through_it(
        aliyun_gateway, settings, django_capture_on_commit_callbacks):
    settings.SMS_PROVIDER = "aliyun"
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = aliyun_gateway.key_id, aliyun_gateway.secret
    settings.SMS_SIGN_NAME = "湘乡阳光监督"
    settings.SMS_ALIYUN_TEMPLATE_CODES = "payment_notice=SMS_480001, account_transaction=SMS_480002"
    settings.SMS_ALIYUN_ENDPOINT = aliyun_gateway.endpoint
    settings.SMS_RATE_PER_SECOND = 50
    settings.SMS_GATEWAY_PROTOCOL = "http"  # the local fake speaks plain HTTP
    with django_capture_on_commit_callbacks(execute=True):
        message = queue("pay:settings:1")
    assert refreshed(message).status == SmsStatus.SENT and aliyun_gateway.sent_to("pay:settings:1") == 1


def test_a_real_gateway_without_credentials_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    from sunshine.notify.providers import build_provider

    settings.SMS_TENCENT_SECRET_ID = ""
    with pytest.raises(ImproperlyConfigured):
        build_provider("tencent")
    with pytest.raises(ImproperlyConfigured):
        build_provider("carrier-pigeon")
