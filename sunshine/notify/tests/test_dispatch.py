"""Delivery: exactly one SMS per key through crashes, claims two workers cannot share, backoff, rate limits."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sunshine.notify.choices import AttemptOutcome, SmsStatus
from sunshine.notify.models import SmsMessage
from sunshine.notify.providers import build_provider
from sunshine.notify.providers.base import OutgoingSms, SendOutcome, SendResult
from sunshine.notify.services import dispatch as dispatch_module
from sunshine.notify.services import (
    ratelimit,
    sms_dispatch_pending,
    sms_next_due_at,
    sms_queue,
    sms_transition,
)

from .conftest import PAYMENT_PARAMS

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Stands for the process being killed: nothing after it runs, nothing catches it."""


def queue(key: str, phone: str = "13800138000") -> SmsMessage:
    return sms_queue(phone=phone, template="payment_notice", params=PAYMENT_PARAMS, idempotency_key=key)


def lease_runs_out(message: SmsMessage) -> None:
    SmsMessage.objects.filter(pk=message.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_worker_dying_after_the_gateway_accepted_does_not_cause_a_second_sms(monkeypatch, console_sent):
    message = queue("pay:crash:1")

    def die_before_recording(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(dispatch_module, "_after_send", die_before_recording)
    with pytest.raises(WorkerDied):
        sms_dispatch_pending()
    message.refresh_from_db()
    assert message.status == SmsStatus.SENDING and message.attempts == 1
    assert len(console_sent()) == 1
    monkeypatch.undo()

    assert sms_dispatch_pending().claimed == 0  # the dead worker's lease still holds
    lease_runs_out(message)
    report = sms_dispatch_pending()
    message.refresh_from_db()
    assert report.settled_without_resend == 1
    assert message.status == SmsStatus.SENT and message.provider_message_id == console_sent()[0]["id"]
    assert len(console_sent()) == 1
    assert message.attempt_log.get().outcome == AttemptOutcome.QUERIED_FOUND


def test_a_worker_dying_before_the_gateway_call_sends_the_message_once_later(monkeypatch, console_sent):
    message = queue("pay:crash:2")
    provider = build_provider()

    def die(_message):
        raise WorkerDied

    monkeypatch.setattr(provider, "send", die)
    with pytest.raises(WorkerDied):
        sms_dispatch_pending(provider=provider)
    assert console_sent() == []
    lease_runs_out(message)
    sms_dispatch_pending()
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and len(console_sent()) == 1
    assert [a.outcome for a in message.attempt_log.all()] == [AttemptOutcome.QUERIED_MISSING, AttemptOutcome.ACCEPTED]


def test_a_claimed_row_is_not_claimed_again_by_a_second_dispatcher():
    queue("pay:claim:1")
    token, batch = dispatch_module._claim(limit=10)
    assert len(batch) == 1
    _, second = dispatch_module._claim(limit=10)
    assert second == []
    assert SmsMessage.objects.get().lease_token == token


class ScriptedGateway:
    """A gateway whose answers are given in advance (the SDK gateways are tested against local fakes)."""

    name = "scripted"
    settle_after = dt.timedelta(0)

    def __init__(self, *answers: SendResult):
        self.answers = list(answers)
        self.sent: list[OutgoingSms] = []

    def send(self, message):
        self.sent.append(message)
        return self.answers.pop(0) if self.answers else SendResult(SendOutcome.ACCEPTED, provider_message_id="ok")

    def query(self, message):
        raise AssertionError("no ambiguous send in this test")


def test_an_always_throttled_message_fails_after_the_maximum_attempts(settings):
    settings.SMS_MAX_ATTEMPTS = 3
    message = queue("pay:max:1")
    gateway = ScriptedGateway(*[SendResult(SendOutcome.RETRY, error="isv.BUSINESS_LIMIT_CONTROL")] * 5)
    waits = []
    for _ in range(3):
        sms_dispatch_pending(provider=gateway)
        message.refresh_from_db()
        waits.append(message.next_attempt_at - timezone.now())
        SmsMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED and message.attempts == 3
    assert "已尝试3次" in message.last_error
    assert waits[1] > waits[0]  # each wait longer than the last
    assert len(gateway.sent) == 3


def test_throttling_stops_the_batch_and_puts_the_rest_back_for_later():
    messages = [queue(f"pay:thr:{n}") for n in range(4)]
    gateway = ScriptedGateway(SendResult(SendOutcome.ACCEPTED, provider_message_id="a"),
                              SendResult(SendOutcome.RETRY, error="LimitExceeded"))
    report = sms_dispatch_pending(provider=gateway)
    assert report.throttled and report.sent == 1 and len(gateway.sent) == 2
    statuses = [SmsMessage.objects.get(pk=m.pk).status for m in messages]
    assert statuses == [SmsStatus.SENT, SmsStatus.QUEUED, SmsStatus.QUEUED, SmsStatus.QUEUED]
    assert sms_next_due_at() > timezone.now()


def test_a_gateway_error_in_one_message_is_recorded_and_the_batch_goes_on():
    first, second = queue("pay:exc:1"), queue("pay:exc:2", phone="13900139000")

    class Flaky(ScriptedGateway):
        def send(self, message):
            if message.idempotency_key == "pay:exc:1":
                raise ConnectionResetError("peer reset")
            return super().send(message)

    sms_dispatch_pending(provider=Flaky())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == SmsStatus.UNKNOWN and "peer reset" in first.last_error
    assert second.status == SmsStatus.SENT


def test_the_rate_limit_spaces_sends_across_seconds(settings, monkeypatch):
    settings.SMS_RATE_PER_SECOND = 2
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    monkeypatch.setattr(ratelimit, "sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))
    for n in range(5):
        queue(f"pay:rate:{n}")
    gateway = ScriptedGateway()
    sms_dispatch_pending(provider=gateway)
    assert len(gateway.sent) == 5
    assert now[0] >= 1_000_002.0  # 5 messages at 2 a second need three one-second windows


def test_status_changes_outside_the_transition_table_are_refused():
    message = queue("pay:edge:1")
    with pytest.raises(ValueError):
        sms_transition(message_id=message.pk, to=SmsStatus.DELIVERED, from_statuses=(SmsStatus.QUEUED,))
    assert not sms_transition(message_id=message.pk, to=SmsStatus.DELIVERED, from_statuses=(SmsStatus.SENT,))
    message.refresh_from_db()
    assert message.status == SmsStatus.QUEUED


def _status_writers(package: str) -> set[tuple[str, str]]:
    """(module, function) of every UPDATE of a `status` column in a package's code outside tests and migrations."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    writers = set()
    for path in sorted((root / package).rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(func):
                orm = (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "update"
                       and any(k.arg == "status" for k in node.keywords))
                sql = isinstance(node, ast.Constant) and isinstance(node.value, str) and "SET status" in node.value
                if orm or sql:
                    writers.add((path.relative_to(root).as_posix(), func.name))
    return writers


def test_sms_status_has_exactly_one_writer():
    assert _status_writers("sunshine/notify") == {("sunshine/notify/services/dispatch.py", "_write_status")}
