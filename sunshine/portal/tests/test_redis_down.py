"""With Redis down (cache and broker on a closed port) the public promises hold: a report is saved and its
receipt shown, the self-check answers, limits still count (in the database, never an address) and
/api/v1/health says what is down."""
from __future__ import annotations

import pytest

from sunshine.cases.models import Report
from sunshine.cases.services import receipt_hash
from sunshine.core.models import RateCounter, TaskOutbox
from sunshine.core.testing import redis_unreachable

from .test_report_pages import receipt_of, report

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.9"


@pytest.fixture(autouse=True)
def _classifier_model(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_an_anonymous_report_is_saved_and_its_receipt_shown_with_redis_down(
        client, city, django_capture_on_commit_callbacks):
    client.defaults["REMOTE_ADDR"] = ADDRESS
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = report(client, text="村里的低保名单有问题，请核查", village=city.villages[0])
    assert response.status_code == 200
    saved = Report.objects.get(receipt_hash=receipt_hash(receipt_of(response)))
    assert saved.text == "村里的低保名单有问题，请核查" and saved.cases.count() == 1
    # the limits were counted in the database, under keyed hashes only
    assert RateCounter.objects.exists()
    assert not any(ADDRESS in key for key in RateCounter.objects.values_list("key", flat=True))


def test_a_real_name_report_is_saved_and_its_sms_work_waits_for_the_broker(
        client, city, django_capture_on_commit_callbacks):
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = report(client, text="实名反映：补助款被截留", village=city.villages[0], real_name="on",
                          name="李四", phone="13800138123")
    assert response.status_code == 200
    assert Report.objects.get(receipt_hash=receipt_hash(receipt_of(response))).is_real_name
    # whatever background work the report asked for is in the database, not lost with the broker
    assert all(row.task for row in TaskOutbox.objects.all())


def test_the_report_limit_still_holds_with_redis_down(client, city, django_capture_on_commit_callbacks):
    client.defaults["REMOTE_ADDR"] = ADDRESS
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        answers = [report(client, text=f"第{i}件事：村务不公开", village=city.villages[0]).status_code
                   for i in range(6)]
    assert answers == [200] * 5 + [429]
    assert Report.objects.count() == 5


def test_the_household_self_check_answers_with_redis_down(client, city):
    with redis_unreachable():
        page = client.post("/check/", {"village": city.villages[0].code, "name": "无此人", "last4": "1234"},
                           REMOTE_ADDR=ADDRESS)
        api = client.post("/api/v1/public/household-check",
                          {"village_code": city.villages[0].code, "name": "无此人", "id_last4": "1234"},
                          content_type="application/json", REMOTE_ADDR=ADDRESS)
    assert page.status_code == 404 and "未查到相符的记录" in page.content.decode()
    assert api.status_code == 404 and api.json()["code"] == "lookup_not_found"


def test_health_reports_each_dependency_and_says_degraded_when_redis_is_down(client, db):
    healthy = client.get("/api/v1/health")
    assert healthy.status_code == 200 and healthy.json()["status"] == "ok"
    assert set(healthy.json()["checks"]) >= {"database", "cache", "broker", "task_outbox", "sms_backlog",
                                             "stuck_jobs"}
    with redis_unreachable():
        down = client.get("/api/v1/health")
    body = down.json()
    assert down.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "down" and body["checks"]["broker"]["status"] == "down"
