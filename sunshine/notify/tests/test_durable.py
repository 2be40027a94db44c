"""Writes that must commit on their own refuse to run inside a caller's transaction (atomic(durable=True)): the
SMS lease before a gateway call, the task outbox's delete after the broker took a task."""
import pytest
from django.db import transaction

from sunshine.notify.models import SmsMessage
from sunshine.notify.services import sms_dispatch_pending, sms_queue
from sunshine.notify.tests.conftest import PAYMENT_PARAMS

pytestmark = pytest.mark.django_db


def test_sms_dispatch_inside_a_callers_transaction_is_refused_and_sends_nothing():
    message = sms_queue(phone="13800138001", template="payment_notice", params=PAYMENT_PARAMS,
                        idempotency_key="durable:1")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        sms_dispatch_pending()
    assert SmsMessage.objects.get(pk=message.pk).status == "queued"


def test_sms_dispatch_on_its_own_sends(console_sent):
    sms_queue(phone="13800138001", template="payment_notice", params=PAYMENT_PARAMS, idempotency_key="durable:2")
    report = sms_dispatch_pending()
    assert report.claimed == 1 and SmsMessage.objects.get().status in ("sent", "delivered")
    assert len(console_sent()) == 1


def test_the_task_outbox_drain_inside_a_callers_transaction_is_refused(settings):
    from sunshine.core import tasks

    settings.SUNSHINE_TASKS_SYNC = False
    settings.SUNSHINE_EMBEDDED_TASKS = False  # production: tasks go through the outbox to a broker
    assert tasks.broker_mode()
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        tasks.task_outbox_drain()
