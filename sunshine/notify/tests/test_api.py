"""The outbox API (scoped, masked) and the gateways' receipt push (public, verified by a shared token)."""
from __future__ import annotations

import json

import pytest

from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import SmsMessage
from sunshine.notify.services import sms_queue

from .conftest import PAYMENT_PARAMS

pytestmark = pytest.mark.django_db
RECEIPTS = "/api/v1/notify/receipts/{}?token=receipt-token-for-tests"


@pytest.fixture
def two_messages(city):
    mine = sms_queue(phone="13800138001", template="payment_notice", params=PAYMENT_PARAMS,
                     idempotency_key="pay:a1", region_path=city.villages[0].path)
    theirs = sms_queue(phone="13800138002", template="payment_notice", params=PAYMENT_PARAMS,
                       idempotency_key="pay:a2", region_path=city.villages[3].path)
    return mine, theirs


def sent(message, *, provider: str, provider_id: str) -> SmsMessage:
    SmsMessage.objects.filter(pk=message.pk).update(status=SmsStatus.SENT, provider=provider,
                                                    provider_message_id=provider_id)
    return message


def test_the_message_list_is_scoped_and_masked(two_messages, city, login):
    mine, theirs = two_messages
    client = login(city.accounts["township1"])
    body = client.get("/api/v1/notify/messages").json()
    assert [m["id"] for m in body["items"]] == [mine.pk] and body["count"] == 1
    assert body["items"][0]["phone"] == "138****8001"
    assert client.get(f"/api/v1/notify/messages/{theirs.pk}").status_code == 404
    detail = client.get(f"/api/v1/notify/messages/{mine.pk}").json()
    assert detail["history"] == [] and detail["status"] == "queued"
    counts = client.get("/api/v1/notify/messages/counts").json()
    assert counts["queued"] == 1 and counts["failed"] == 0


def test_administrators_see_whole_numbers(two_messages, city, login):
    body = login(city.accounts["admin"]).get("/api/v1/notify/messages").json()
    assert {m["phone"] for m in body["items"]} == {"13800138001", "13800138002"}


def test_an_offset_beyond_any_row_is_refused_with_400_not_a_database_overflow(two_messages, city, login):
    client = login(city.accounts["admin"])
    assert client.get("/api/v1/notify/messages?offset=10000000000000000000").status_code == 422
    assert client.get("/api/v1/notify/messages?offset=1000").json()["items"] == []


def test_anonymous_callers_of_the_message_list_get_401(client):
    assert client.get("/api/v1/notify/messages").status_code == 401


def test_an_aliyun_receipt_marks_the_message_delivered_by_its_out_id(two_messages, client):
    mine = sent(two_messages[0], provider="aliyun", provider_id="9001^0")
    payload = [{"phone_number": "13800138001", "send_time": "2026-11-20 10:00:00",
                "report_time": "2026-11-20 10:00:05", "success": True, "err_code": "DELIVERED",
                "err_msg": "用户接收成功", "sms_size": "1", "biz_id": "9001^0", "out_id": "pay:a1"}]
    response = client.post(RECEIPTS.format("aliyun"), json.dumps(payload), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"code": 0, "msg": "接收成功"}
    mine.refresh_from_db()
    assert mine.status == SmsStatus.DELIVERED and mine.delivered_at.isoformat().startswith("2026-11-20T02:00:05")


def test_a_tencent_receipt_marks_the_message_failed_by_its_serial_number(two_messages, client):
    mine = sent(two_messages[0], provider="tencent", provider_id="2433:77")
    payload = [{"user_receive_time": "2026-11-20 10:00:04", "nationcode": "86", "mobile": "13800138001",
                "report_status": "FAIL", "errmsg": "MK:0001", "description": "用户关机", "sid": "2433:77"}]
    response = client.post(RECEIPTS.format("tencent"), json.dumps(payload), content_type="application/json")
    assert response.json() == {"result": 0, "errmsg": "OK"}
    mine.refresh_from_db()
    assert mine.status == SmsStatus.FAILED and "用户关机" in mine.last_error
    assert mine.attempt_log.get().outcome == "receipt"


def test_a_receipt_without_the_token_is_refused_and_changes_nothing(two_messages, client):
    mine = sent(two_messages[0], provider="aliyun", provider_id="9001^0")
    payload = [{"success": True, "biz_id": "9001^0", "out_id": "pay:a1"}]
    wrong = client.post("/api/v1/notify/receipts/aliyun?token=guess", json.dumps(payload),
                        content_type="application/json")
    assert wrong.status_code == 403
    assert client.post("/api/v1/notify/receipts/aliyun", json.dumps(payload),
                       content_type="application/json").status_code == 403
    mine.refresh_from_db()
    assert mine.status == SmsStatus.SENT


def test_receipts_are_off_when_no_token_is_configured(settings, client):
    settings.SMS_RECEIPT_TOKEN = ""
    assert client.post("/api/v1/notify/receipts/aliyun?token=", "[]",
                       content_type="application/json").status_code == 404


def test_a_malformed_receipt_is_a_400_not_a_500(client):
    response = client.post(RECEIPTS.format("aliyun"), "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "receipt_invalid_json"


def test_a_late_receipt_does_not_reopen_a_final_status(two_messages, client):
    mine = two_messages[0]
    SmsMessage.objects.filter(pk=mine.pk).update(status=SmsStatus.DELIVERED, provider="aliyun",
                                                 provider_message_id="9001^0")
    payload = [{"success": False, "err_code": "UNKNOWN", "biz_id": "9001^0", "out_id": "pay:a1"}]
    client.post(RECEIPTS.format("aliyun"), json.dumps(payload), content_type="application/json")
    mine.refresh_from_db()
    assert mine.status == SmsStatus.DELIVERED
