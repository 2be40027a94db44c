"""Background work survives a broker outage: recorded with the write, sent when the broker is back, and limits
counted in the database (never an address) while the cache is down."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from sunshine.core.models import RateCounter, TaskOutbox
from sunshine.core.ratelimit import Limit, RateLimited, check, first_use, hit, keyed_digest
from sunshine.core.tasks import enqueue, task_outbox_drain
from sunshine.core.testing import broker_in_memory, redis_unreachable
from sunshine.funds.tasks import import_run_task
from sunshine.notify.tasks import dispatch_pending

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"


def test_with_the_broker_down_the_write_commits_and_its_task_waits_in_the_outbox(
        django_capture_on_commit_callbacks):
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue(import_run_task, 41, {"account": "6217"})
    row = TaskOutbox.objects.get()
    assert (row.task, row.args, row.kwargs) == ("funds.import_run", [41, {"account": "6217"}], {})
    assert row.attempts == 1 and "Connection refused" in row.last_error


def test_a_rolled_back_write_leaves_no_task(django_capture_on_commit_callbacks):
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue(import_run_task, 41, {})
            raise RuntimeError("the write failed")
    assert not TaskOutbox.objects.exists()


def test_with_the_broker_up_the_task_is_sent_at_commit_and_no_row_is_left(django_capture_on_commit_callbacks):
    with broker_in_memory() as waiting:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            enqueue(import_run_task, 7, {})
            assert TaskOutbox.objects.count() == 1  # recorded with the write
        assert waiting("imports") == 1
    assert not TaskOutbox.objects.exists()


def test_the_drain_sends_what_waited_to_its_queue_once_per_identical_call(django_capture_on_commit_callbacks):
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            enqueue(dispatch_pending)
        enqueue(import_run_task, 5, {})
    assert TaskOutbox.objects.count() == 4
    with redis_unreachable(), pytest.raises(CommandError, match="任务队列仍不可用"):
        call_command("tasks_drain")
    assert TaskOutbox.objects.count() == 4

    with broker_in_memory() as waiting:
        report = task_outbox_drain(grace_seconds=0)
        assert (report.sent, report.tasks, report.left) == (4, 2, 0)
        assert (waiting("sms"), waiting("imports")) == (1, 1)
    assert not TaskOutbox.objects.exists()


def test_a_worker_starting_drains_the_outbox_and_resumes_sms_and_stale_jobs_at_once():
    from sunshine.celery import kick_start_tasks

    TaskOutbox.objects.create(task="funds.import_run", args=[9, {}])
    with broker_in_memory() as waiting:
        kick_start_tasks()
        assert waiting("imports") == 1  # the waiting import
        assert waiting("sms") == 1  # the SMS dispatch, not at the next beat tick
        assert waiting("default") == 2  # the outbox drain and the import-job reaper
    assert not TaskOutbox.objects.exists()


def test_rate_limits_fall_back_to_the_database_without_storing_the_address():
    limit = Limit("test_fallback", 2, 60)
    with redis_unreachable():
        hit(limit, ADDRESS)
        hit(limit, ADDRESS)
        with pytest.raises(RateLimited) as refused:
            hit(limit, ADDRESS)
        with pytest.raises(RateLimited):
            check(limit, ADDRESS)
        hit(limit, "198.51.100.1")  # another address has its own count
    assert refused.value.status == 429 and refused.value.retry_after >= 1
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2 and not any(ADDRESS in k or "198.51.100" in k for k in keys)


def test_the_address_digest_is_keyed_and_rotates_daily():
    day1 = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC).timestamp()
    day2 = day1 + 24 * 3600
    assert keyed_digest("s", ADDRESS, at=day1) == keyed_digest("s", ADDRESS, at=day1 + 60)
    assert keyed_digest("s", ADDRESS, at=day1) != keyed_digest("s", ADDRESS, at=day2)
    import hashlib

    assert keyed_digest("s", ADDRESS, at=day1) not in hashlib.sha256(f"s\x1f{ADDRESS}".encode()).hexdigest()


def test_a_one_use_token_is_refused_the_second_time_with_the_cache_down():
    with redis_unreachable():
        assert first_use("challenge-used", "nonce-1", seconds=60) is True
        assert first_use("challenge-used", "nonce-1", seconds=60) is False
        assert first_use("challenge-used", "nonce-2", seconds=60) is True
