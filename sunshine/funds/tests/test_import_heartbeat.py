"""An import job whose process dies (or never starts) is failed with the reason, its page stops polling, and the
officer runs it again."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sunshine.core.importjobs import import_jobs_reap, job_progress, job_start
from sunshine.core.models import ImportJob
from sunshine.core.testing import redis_unreachable
from sunshine.funds.models import HouseholdPayment

from .factories import PAYMENT_HEADER, csv_bytes, households, payment_rows

pytestmark = pytest.mark.django_db


def _queued(city, login, django_capture_on_commit_callbacks, *, rows=2):
    """A payment import queued from the page whose task never ran (the worker was killed before it started)."""
    hhs = households(city, rows)
    client = login(city.accounts["township1"])
    upload = SimpleUploadedFile("发放清单.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs)), content_type="text/csv")
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:funds_import", args=["payment"]), {"file": upload})
    return client, ImportJob.objects.get()


def _age(job, *, minutes: int) -> None:
    past = timezone.now() - dt.timedelta(minutes=minutes)
    ImportJob.objects.filter(pk=job.pk).update(created_at=past, updated_at=past, heartbeat_at=past)


def test_a_running_job_whose_process_died_is_failed_with_the_reason_and_stops_polling(
        city, login, django_capture_on_commit_callbacks):
    client, job = _queued(city, login, django_capture_on_commit_callbacks)
    job_start(job_id=job.pk)  # the worker took it ... and was killed
    page = client.get(reverse("desk:import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "重新导入" not in page
    _age(job, minutes=6)
    from django.core.cache import cache

    cache.clear()  # the worker's last beat was long ago

    assert [j.pk for j in import_jobs_reap()] == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert "已停止响应（超过 5 分钟）" in job.message and "可以重新导入" in job.message
    page = client.get(reverse("desk:import_job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page and "导入进程" in page and "重新导入" in page


def test_a_job_that_beats_is_left_running_however_long_it_takes(city, login, django_capture_on_commit_callbacks):
    _, job = _queued(city, login, django_capture_on_commit_callbacks)
    job = job_start(job_id=job.pk)
    _age(job, minutes=30)
    job_progress(job=job, percent=40)  # a beat from the live import (its rows are in its own transaction)
    assert import_jobs_reap() == []
    with redis_unreachable():  # where it beats cannot be read: nothing says it is dead
        assert import_jobs_reap() == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_a_job_never_started_is_failed_by_the_command_and_run_again_by_the_officer(
        city, login, django_capture_on_commit_callbacks, capsys):
    client, job = _queued(city, login, django_capture_on_commit_callbacks, rows=3)
    assert job.status == ImportJob.Status.PENDING
    _age(job, minutes=31)
    call_command("import_jobs_reap")
    assert f"导入任务 {job.pk}" in capsys.readouterr().out
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "排队超过 30 分钟仍未开始" in job.message

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:import_job_retry", args=[job.pk]))
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:import_job", args=[again.pk])
    assert again.retry_of_id == job.pk and again.stored_path == job.stored_path
    assert again.status == ImportJob.Status.SUCCEEDED and again.created_rows == 3
    assert HouseholdPayment.objects.filter(import_job=again).count() == 3
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED  # the failed job keeps its reason


def test_a_late_task_for_a_job_already_failed_does_nothing(city, login, django_capture_on_commit_callbacks):
    from sunshine.funds.tasks import import_run_task

    _, job = _queued(city, login, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message="排队超时")
    import_run_task(job.pk, {})  # the broker came back and delivered it after all
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.message == "排队超时"
    assert not HouseholdPayment.objects.exists()


def test_only_a_failed_job_can_be_run_again_and_only_by_who_may_import(city, login, django_capture_on_commit_callbacks):
    client, job = _queued(city, login, django_capture_on_commit_callbacks)
    refused = client.post(reverse("desk:import_job_retry", args=[job.pk]))
    assert refused.status_code == 409 and "只有失败的导入任务可以重新导入" in refused.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)
    other = login(city.accounts["township2"])  # another township: the job is not theirs to see
    assert other.post(reverse("desk:import_job_retry", args=[job.pk])).status_code == 404
    assert ImportJob.objects.count() == 1
