"""A report from any client: the public report API with the form's protections, and Open311 GeoReport v2 with keys
the special governance office issues, revokes and watches."""
from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sunshine.cases import challenge, services
from sunshine.cases.models import ApiClient, Case, Report
from sunshine.core.models import AuditRecord
from sunshine.portal.tests.test_report_pages import jpeg_with_gps

API = "/api/v1/public/reports"


@pytest.fixture(autouse=True)
def _classifier_model(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _answer(client) -> tuple[str, str]:
    got = client.get(f"{API}/challenge").json()
    a, op, b = re.match(r"(.+?)(加|减)(.+?)等于几", got["question"]).groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    return str(a + b if op == "加" else a - b), got["token"]


def _file(client, **fields):
    answer, token = _answer(client)
    return client.post(API, {"text": "村干部优亲厚友评低保", "challenge_answer": answer, "challenge_token": token,
                             **fields})


# ---- the public report API ---------------------------------------------------------------------------------------

def test_a_report_through_the_api_gets_its_receipt_once_and_lands_like_a_form_report(client, city):
    village = city.villages[0]
    response = _file(client, village_code=village.code)
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)
    report = Report.objects.get()
    assert report.region == village and report.channel == "online"
    assert receipt not in str(report.__dict__)  # only its hash is kept
    assert response["Cache-Control"] == "no-store"


def test_the_api_refuses_a_wrong_answer_and_saves_nothing(client, city):
    _, token = _answer(client)
    response = client.post(API, {"text": "有问题", "challenge_answer": "999", "challenge_token": token})
    assert response.status_code == 400 and response.json()["code"] == "challenge_wrong"
    assert not Report.objects.exists()


def test_the_api_checks_attachments_as_the_form_does(client, city):
    fake = SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = _file(client, attachments=[fake])
    assert response.status_code == 400 and response.json()["code"].startswith("attachment")
    photo = SimpleUploadedFile("张三家.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert _file(client, attachments=[photo]).status_code == 201
    assert Report.objects.get().attachments.get().original_name == "附件1.jpg"


def test_the_api_shares_the_forms_limit_per_client(city):
    caller = Client(REMOTE_ADDR="198.51.100.4")
    answers = [_file(caller, text=f"第{i}件").status_code for i in range(6)]
    assert answers == [201] * 5 + [429]


def test_the_status_by_receipt_shows_the_handlers_question_and_the_reporters_answer(client, city):
    receipt = _file(client, village_code=city.villages[0].code).json()["receipt"]
    case = Case.objects.get()
    handler = next(a for a in city.accounts.values() if a.unit_id == case.handling_unit_id and a.role != "admin")
    services.handler_ask(case=case, actor=handler, text="请问是哪一年的低保评定?")
    first = client.post(f"{API}/status", {"receipt": receipt.lower()}, content_type="application/json").json()
    assert first["status_label"] and first["questions_waiting"] == 1
    assert [(m["side"], m["text"]) for m in first["messages"]] == [("handler", "请问是哪一年的低保评定?")]
    answered = client.post(f"{API}/answer", {"receipt": receipt, "text": "2025年"}, content_type="application/json")
    assert answered.status_code == 201
    again = client.post(f"{API}/status", {"receipt": receipt}, content_type="application/json").json()
    assert again["questions_waiting"] == 0
    assert [m["side"] for m in again["messages"]] == ["handler", "reporter"] and again["messages"][1]["text"] == "2025年"


def test_a_wrong_receipt_is_404_with_no_hint(client, city):
    response = client.post(f"{API}/status", {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"}, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "receipt_unknown"


def test_the_openapi_document_declares_the_report_routes(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/public/reports", "/api/v1/public/reports/status", "/api/v1/public/reports/challenge",
            "/api/v1/public/reports/answer"} <= set(paths)
    assert {"201", "400", "429"} <= set(paths["/api/v1/public/reports"]["post"]["responses"])


# ---- Open311 -------------------------------------------------------------------------------------------------------

def test_services_json_lists_the_27_problem_types(client, db):
    services_ = client.get("/open311/v2/services.json").json()
    assert len(services_) == 27
    assert [s["service_code"] for s in services_] == [str(n) for n in range(1, 28)]
    assert all(s["type"] == "realtime" and s["metadata"] is False and s["group"] for s in services_)


def test_an_open311_request_needs_a_key_the_office_issued(client, city):
    response = client.post("/open311/v2/requests.json", {"service_code": "15", "description": "截留补助"})
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert not Report.objects.exists()


def test_an_open311_request_with_a_key_is_routed_like_a_report_from_its_village(client, city):
    office = city.accounts["office"]
    api_client, key = services.api_client_issue(actor=office, name="12388 举报平台")
    village = city.villages[0]
    response = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "15", "description": "村里危房改造补助被截留",
        "address_id": village.code, "address_string": "测试村1组"})
    assert response.status_code == 201
    body = response.json()[0]
    report = Report.objects.get()
    case = report.cases.get()
    assert body["service_request_id"] == case.number and re.fullmatch(r"[0-9A-Z-]{24}", body["token"])
    assert report.api_client == api_client and report.region == village and "测试村1组" in report.text
    assert report.problem_type.number == 15
    form_like = services.report_submit(channel="online", text="村里危房改造补助被截留", region=village,
                                       problem_type_number=15)[0].cases.get()
    assert case.handling_unit == form_like.handling_unit


def test_a_revoked_key_is_refused_and_the_office_sees_reports_by_client(client, city, login):
    office = city.accounts["office"]
    login(office)
    page = client.post("/desk/cases/office/api-clients/", {"name": "微信公众号", "note": "市纪委监委公众号"})
    key = re.search(r'class="receipt-code mono">([^<]+)<', page.content.decode()).group(1)
    api_client = ApiClient.objects.get()
    assert api_client.key_hash and key not in api_client.key_hash and key.startswith(api_client.key_prefix)
    outside = Client()
    filed = outside.post("/open311/v2/requests.json", {"api_key": key, "service_code": "3",
                                                       "description": "低保评定不公开", "lat": "27.7", "long": "112.5"})
    assert filed.status_code == 201
    listing = client.get("/desk/cases/office/api-clients/").content.decode()
    assert "微信公众号" in listing and api_client.key_prefix in listing and key not in listing
    by_client = client.get(f"/desk/cases/office/api-clients/{api_client.pk}/").content.decode()
    assert Case.objects.get().number in by_client
    assert client.post(f"/desk/cases/office/api-clients/{api_client.pk}/revoke/").status_code == 302
    refused = outside.post("/open311/v2/requests.json", {"api_key": key, "service_code": "3",
                                                         "description": "再报一件", "lat": "27.7", "long": "112.5"})
    assert refused.status_code == 403 and Report.objects.count() == 1
    changes = list(AuditRecord.objects.filter(event="config_change", object_type="cases.apiclient")
                   .values_list("detail", flat=True))
    assert [d["change"] for d in changes] == ["api_client_issue", "api_client_revoke"]


def test_only_the_office_may_issue_keys(client, city, login):
    login(city.accounts["township1"])
    assert client.post("/desk/cases/office/api-clients/", {"name": "私接系统"}).status_code in (403, 404)
    assert not ApiClient.objects.exists()
