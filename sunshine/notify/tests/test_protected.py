"""Whistleblower SMS: phone and text encrypted in the outbox, sent in clear, never shown on staff pages."""
import pytest
from django.db import connection

from sunshine.notify.models import SmsMessage
from sunshine.notify.services import sms_dispatch_pending, sms_queue

pytestmark = pytest.mark.django_db


def test_a_protected_message_is_encrypted_at_rest_and_delivered_in_clear(city, tmp_path, settings):
    settings.SMS_CONSOLE_FILE = str(tmp_path / "sms.jsonl")
    message = sms_queue(phone="13912345678", template="report_closed",
                        params={"receipt_hint": "AB12", "date": "2026-11-25", "hotline": "12388",
                                "status_url": "http://x/report/status/"},
                        idempotency_key="test:protected:1", purpose="举报办理告知", protected=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT m.phone, b.text, b.params, b.protected FROM notify_smsmessage m "
                       "JOIN notify_smsbody b ON b.id = m.body_id WHERE m.id = %s", [message.pk])
        phone, text, params, body_protected = cursor.fetchone()
    assert "13912345678" not in phone and "12388" not in text and "AB12" not in str(params)
    assert body_protected
    assert message.plain_phone() == "13912345678" and "12388" in message.plain_text()
    sms_dispatch_pending()
    sent = (tmp_path / "sms.jsonl").read_text(encoding="utf-8")
    assert "13912345678" in sent and "12388" in sent
    assert SmsMessage.objects.get(pk=message.pk).status in ("sent", "delivered")


def test_protected_messages_never_share_a_body_even_with_the_same_text(city):
    params = {"receipt_hint": "EF56", "date": "2026-11-25", "hotline": "12388", "status_url": "http://x/s/"}
    first = sms_queue(phone="13912345678", template="report_closed", params=params, idempotency_key="test:p:a",
                      protected=True)
    second = sms_queue(phone="13912345678", template="report_closed", params=params, idempotency_key="test:p:b",
                       protected=True)
    assert first.body_id != second.body_id
    assert first.plain_text() == second.plain_text()


def test_staff_outbox_pages_and_api_show_neither_number_nor_text(city, login):
    message = sms_queue(phone="13912345678", template="report_accepted",
                        params={"receipt_hint": "CD34", "date": "2026-11-25", "hotline": "12388",
                                "status_url": "http://x/report/status/"},
                        idempotency_key="test:protected:2", purpose="举报办理告知", protected=True)
    client = login(city.accounts["admin"])
    for url in ("/desk/sms/", f"/desk/sms/{message.pk}/", f"/api/v1/notify/messages/{message.pk}"):
        body = client.get(url).content.decode()
        assert "13912345678" not in body and "CD34" not in body and "gAAAA" not in body, url
