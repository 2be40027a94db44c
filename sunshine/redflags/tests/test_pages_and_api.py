"""The desk pages and the API of the data comparison, for each role: allowed, other jurisdiction, anonymous."""
from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from sunshine.redflags.choices import HitReview
from sunshine.redflags.engine import run_rules
from sunshine.redflags.models import Hit

from .planted import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(world):
    run_rules(full=True, actor=world.city.accounts["office"], today=TODAY)
    return world


def test_pages_send_anonymous_visitors_to_the_login_page(client):
    for name in ("desk:redflags_hits", "desk:redflags_rules", "desk:redflags_registries"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("desk:login") in response["Location"]


def test_a_township_reviews_its_own_hits_and_cannot_see_another_townships(ran, login):
    client = login(ran.city.accounts["township1"])
    township1 = ran.city.townships[0]
    mine = Hit.objects.filter(village__path__startswith=township1.path, rule_code="R02").first() or \
        Hit.objects.filter(village__path__startswith=township1.path).first()
    theirs = Hit.objects.exclude(village__path__startswith=township1.path).first()

    page = client.get(reverse("desk:redflags_hits")).content.decode()
    assert f"hit-{mine.pk}" in page and f"hit-{theirs.pk}" not in page
    assert client.get(reverse("desk:redflags_hit", args=[theirs.pk])).status_code == 404

    answer = client.post(reverse("desk:redflags_hit_review", args=[mine.pk]),
                         {"verdict": "confirmed", "reason": "入户核实属实", "next": reverse("desk:redflags_hits")})
    assert answer.status_code == 302
    mine.refresh_from_db()
    assert mine.review == HitReview.CONFIRMED and mine.reviewed_by == ran.city.accounts["township1"]
    refused = client.post(reverse("desk:redflags_hit_review", args=[theirs.pk]),
                          {"verdict": "false", "reason": "x"})
    assert refused.status_code == 404


def test_the_rules_page_shows_precision_and_the_office_switches_a_rule(ran, login):
    office = ran.city.accounts["office"]
    client = login(office)
    hit = Hit.objects.filter(rule_code="R02").get()
    client.post(reverse("desk:redflags_hit_review", args=[hit.pk]), {"verdict": "false", "reason": "已停发,补录错误"})
    page = client.get(reverse("desk:redflags_rules")).content.decode()
    assert "R02 死亡(火化)后仍在领取" in page and "0.0%" in page

    client.post(reverse("desk:redflags_rule_switch", args=["R16"]), {"enabled": "0"})
    client.post(reverse("desk:redflags_rule_threshold", args=["R17"]), {"year": "2026", "name": "min_payments",
                                                                        "value": "8"})
    page = client.get(reverse("desk:redflags_rules")).content.decode()
    assert "启用此规则" in page and "office 于" in page
    rules = client.get("/api/v1/redflags/rules?year=2026").json()
    r17 = next(r for r in rules if r["code"] == "R17")
    assert r17["thresholds"][0]["value"] == "8.00" or float(r17["thresholds"][0]["value"]) == 8
    assert next(r for r in rules if r["code"] == "R16")["enabled"] is False


def test_api_lists_hits_reviews_them_and_answers_errors(ran, login):
    client = login(ran.city.accounts["office"])
    hits = client.get("/api/v1/redflags/hits?rule=R08&review=pending").json()
    assert hits["count"] == 3
    hit_id = hits["items"][0]["id"]
    detail = client.get(f"/api/v1/redflags/hits/{hit_id}").json()
    assert "第16类问题" in detail["explanation"] and detail["evidence"] and detail["case_number"]

    bad = client.post(f"/api/v1/redflags/hits/{hit_id}/review", json.dumps({"verdict": "confirmed", "reason": ""}),
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "reason_required"
    ok = client.post(f"/api/v1/redflags/hits/{hit_id}/review",
                     json.dumps({"verdict": "confirmed", "reason": "核实属实"}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["review"] == "confirmed"
    r08 = next(r for r in client.get("/api/v1/redflags/rules").json() if r["code"] == "R08")
    assert r08["confirmed"] == 1 and float(r08["precision"]) == 100.0
    assert client.get("/api/v1/redflags/hits/999999").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/redflags/hits/{hit_id}/review" in schema["paths"]


def test_a_registry_file_is_imported_whole_or_not_at_all(city, login, django_capture_on_commit_callbacks):
    from sunshine.core.models import ImportJob
    from sunshine.redflags.models import DeathRecord, RegistryBatch
    from sunshine.redflags.registries import registry_template

    client = login(city.accounts["office"])
    template = client.get(reverse("desk:redflags_registry_template", args=["deaths"]))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert registry_template("deaths")[:2] == b"PK"

    import datetime as dt

    from sunshine.core.validators import make_id_number

    wang, zhao, qian = (make_id_number("430381", dt.date(1950 + i, 1, 1), 11 + i) for i in range(3))
    wrong = qian[:-1] + ("0" if qian[-1] != "0" else "1")
    good = f"姓名,身份证号,死亡日期,类别\n王五,{wang},2026-02-01,火化\n赵六,{zhao},2026-01-05,死亡\n"
    bad = good + f"王五,{wang},2026-02-01,火化\n钱七,{qian},2026-02-30,死亡\n孙八,{wrong},2026-02-01,死亡\n"

    def upload(text, name):
        f = io.BytesIO(text.encode("utf-8"))
        f.name = name
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("desk:redflags_registries"),
                               {"kind": "deaths", "source": "市民政局", "data_date": "2026-03-31", "file": f})

    answer = upload(bad, "deaths-bad.csv")
    assert answer.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.status == "rejected" and DeathRecord.objects.count() == 0
    reasons = " ".join(e["reason"] for e in job.errors)
    assert "与第2行重复" in reasons and "不是日期" in reasons and "校验位错误" in reasons
    assert {e["row"] for e in job.errors} == {4, 5, 6}

    upload(good, "deaths.csv")
    job = ImportJob.objects.latest("id")
    assert job.status == "succeeded" and DeathRecord.objects.count() == 2
    batch = RegistryBatch.objects.get()
    assert (batch.source, batch.data_date.isoformat(), batch.rows) == ("市民政局", "2026-03-31", 2)
    assert not DeathRecord.objects.filter(id_masked=wang).exists() and DeathRecord.objects.filter(
        id_masked=wang[:6] + "********" + wang[-4:]).exists()

    upload(good, "deaths-again.csv")
    job = ImportJob.objects.latest("id")
    assert job.status == "rejected" and "已导入过" in job.errors[0]["reason"] and DeathRecord.objects.count() == 2

    refused = login(city.accounts["township1"]).post(reverse("desk:redflags_registries"), {"kind": "deaths"})
    assert refused.status_code == 403


def test_a_run_started_from_the_api_runs_in_the_background_and_reports_its_counts(world, login,
                                                                                 django_capture_on_commit_callbacks):
    from sunshine.redflags.models import Run

    client = login(world.city.accounts["office"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/v1/redflags/runs", json.dumps({"full": True}), content_type="application/json")
    assert answer.status_code == 202
    run = Run.objects.get()
    assert run.status == "succeeded" and run.started_by == world.city.accounts["office"]
    runs = client.get("/api/v1/redflags/runs").json()
    assert runs[0]["id"] == run.pk and runs[0]["counts"]["R02"]["found"] == 1
    registries = client.get("/api/v1/redflags/registries").json()
    assert {r["kind"] for r in registries} >= {"deaths", "officials", "vehicles"}
    refused = login(world.city.accounts["discipline"]).post("/api/v1/redflags/runs", json.dumps({}),
                                                            content_type="application/json")
    assert refused.status_code == 403
