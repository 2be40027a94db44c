"""Embedded-mode delivery (`sunshine sms_dispatch`), the Celery task and its beat entry."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import SmsMessage
from sunshine.notify.services import sms_queue
from sunshine.notify.services.templates import compile_body, validate_body

from .conftest import PAYMENT_PARAMS


def queue_three():
    return [sms_queue(phone="13800138000", template="payment_notice", params=PAYMENT_PARAMS,
                      idempotency_key=f"pay:cmd:{n}") for n in range(3)]


@pytest.mark.django_db
def test_sms_dispatch_delivers_everything_due_and_stops(console_sent):
    queue_three()
    out = StringIO()
    call_command("sms_dispatch", stdout=out)
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == 3
    assert len(console_sent()) == 3 and "处理短信 3 条" in out.getvalue()


@pytest.mark.django_db
def test_sms_dispatch_once_handles_a_single_batch(console_sent):
    queue_three()
    call_command("sms_dispatch", "--once", "--batch-size", "2", stdout=StringIO())
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == 2


@pytest.mark.django_db
def test_sms_dispatch_says_when_a_retry_is_due_instead_of_waiting(console_sent):
    message = queue_three()[0]
    SmsMessage.objects.exclude(pk=message.pk).delete()
    SmsMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + dt.timedelta(minutes=5))
    out = StringIO()
    call_command("sms_dispatch", stdout=out)
    assert "稍后重试" in out.getvalue() and console_sent() == []


@pytest.mark.django_db
def test_the_celery_task_delivers_and_beat_runs_it_every_minute(console_sent):
    from sunshine.notify.tasks import dispatch_pending

    queue_three()
    dispatch_pending.apply().get()
    assert len(console_sent()) == 3
    entry = settings.CELERY_BEAT_SCHEDULE["notify-dispatch-pending"]
    assert entry["task"] == dispatch_pending.name == "notify.tasks.dispatch_pending" and entry["schedule"] == 60


@pytest.mark.django_db
def test_the_outbox_page_needs_the_same_queries_for_many_messages(city, login, django_assert_max_num_queries):
    for n in range(40):
        sms_queue(phone="13800138000", template="payment_notice", params=PAYMENT_PARAMS,
                  idempotency_key=f"pay:q:{n}", region_path=city.villages[0].path)
    client = login(city.accounts["township1"])
    with django_assert_max_num_queries(12):
        assert client.get("/desk/sms/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/notify/messages").json()["count"] == 40


NAMES = ["item", "amount", "date"]
literal = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=20)


@given(parts=st.lists(st.tuples(literal, st.sampled_from(NAMES)), min_size=1, max_size=5), tail=literal,
       values=st.fixed_dictionaries({n: literal.filter(bool) for n in NAMES}))
def test_any_valid_template_text_renders_every_value_in_place(parts, tail, values):
    body = "".join(f"{text}{{{name}}}" for text, name in parts) + tail
    if not body.strip() or len(body.strip()) > 400:
        return
    body = validate_body(body=body, allowed=NAMES)
    text, pairs = compile_body("t", body).render(values)
    expected = body
    for name in NAMES:
        expected = expected.replace("{" + name + "}", values[name])
    assert text == expected
    assert [n for n, _ in pairs] == list(dict.fromkeys(name for _, name in parts))
