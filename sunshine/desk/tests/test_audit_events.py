"""Every security event leaves exactly one audit record, with the request id and without personal data."""
from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sunshine.cases.tests.builders import REAL_NAME, submit
from sunshine.core.audit import audit_verify
from sunshine.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _records(event):
    return list(AuditRecord.objects.filter(event=event))


def _everything_recorded() -> str:
    return json.dumps(list(AuditRecord.objects.values()), default=str, ensure_ascii=False)


def test_a_case_transition_on_the_case_page_leaves_one_record_with_the_request_id(login, city):
    _, case, receipt = submit(city, real_name=REAL_NAME)
    handler = next(a for a in city.accounts.values() if a.unit_id == case.handling_unit_id and a.role != "admin")
    client = login(handler)
    response = client.post(reverse("desk:case_transition", args=[case.pk]), {"to": "screening"})
    assert response.status_code in (200, 302)
    [record] = _records("case_transition")
    assert (record.actor_id, record.role, record.object_type, record.object_id, record.result) == (
        handler.pk, handler.role, "cases.case", str(case.pk), "success")
    assert record.detail == {"from": "received", "to": "screening"}
    assert record.request_id == response["X-Request-ID"]
    assert receipt not in _everything_recorded()


def test_reading_a_reporters_identity_leaves_one_record_without_the_identity_or_the_reason(login, city):
    _, case, _ = submit(city, problem_type_number=16, real_name=REAL_NAME)
    client = login(city.accounts["discipline"])
    client.post(reverse("desk:case_identity", args=[case.pk]), {"reason": "约谈举报人王小明核实线索"})
    [record] = _records("identity_read")
    assert record.actor_id == city.accounts["discipline"].pk and record.object_id == str(case.pk)
    recorded = _everything_recorded()
    for personal in (*REAL_NAME.values(), "约谈举报人"):
        assert personal not in recorded


def test_a_refused_action_leaves_one_permission_denied_record_on_pages_and_api(login, city):
    _, case, _ = submit(city, real_name=REAL_NAME)
    client = login(city.accounts["leader"])
    assert client.post(reverse("desk:case_identity", args=[case.pk]), {"reason": "想知道是谁"}).status_code in (403,
                                                                                                           404)
    response = client.post(f"/api/v1/cases/cases/{case.pk}/transition", {"to": "screening"},
                           content_type="application/json")
    assert response.status_code == 403
    denied = _records("permission_denied")
    assert denied[-1].detail["path"] == f"/api/v1/cases/cases/{case.pk}/transition"
    assert all(r.actor_id == city.accounts["leader"].pk and r.result == "denied" for r in denied)
    assert len(denied) == 1 + (denied[0].detail["path"] != denied[-1].detail["path"])


def test_a_change_in_the_admin_site_is_one_configuration_change_record(client, city):
    from sunshine.org.models import ProblemType
    from sunshine.org.testing import login_verified

    login_verified(client, city.accounts["admin"])
    problem = ProblemType.objects.first()
    url = reverse("admin:org_problemtype_change", args=[problem.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["short_title"] = "改过的简称"
    data["group"] = problem.group_id
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    [record] = _records("config_change")
    assert (record.actor_id, record.object_type, record.object_id, record.detail) == (
        city.accounts["admin"].pk, "org.problemtype", str(problem.pk), {"action": "change"})


def test_the_chain_of_all_these_records_verifies(login, city):
    _, case, _ = submit(city, real_name=REAL_NAME)
    handler = next(a for a in city.accounts.values() if a.unit_id == case.handling_unit_id and a.role != "admin")
    login(handler).post(reverse("desk:case_transition", args=[case.pk]), {"to": "screening"})
    result = audit_verify()
    assert result.ok and result.checked == AuditRecord.objects.count() >= 2


def test_editing_an_sms_template_on_the_desk_is_one_configuration_change_record(login, city):
    from sunshine.notify.models import SmsTemplate

    template = SmsTemplate.objects.get(code="payment_notice")
    client = login(city.accounts["office"])
    response = client.post(reverse("desk:notify_template_edit", args=[template.pk]),
                           {"body": template.body, "name": "到户资金发放通知（改）"})
    assert response.status_code == 302
    [record] = _records("config_change")
    assert (record.actor_id, record.object_type, record.object_id) == (
        city.accounts["office"].pk, "notify.smstemplate", str(template.pk))


def test_whole_phone_numbers_shown_leave_one_unmask_record_per_page_and_none_when_masked(login, city):
    from sunshine.notify.services import sms_queue
    from sunshine.notify.tests.conftest import PAYMENT_PARAMS

    messages = [sms_queue(phone=f"1380013800{n}", template="payment_notice", params=PAYMENT_PARAMS,
                          idempotency_key=f"pay:unmask{n}", region_path=city.villages[0].path) for n in (1, 2)]
    clerk = login(city.accounts["township1"])  # sees masked numbers only
    assert clerk.get(reverse("desk:notify_outbox")).status_code == 200
    assert clerk.get(f"/api/v1/notify/messages/{messages[0].pk}").status_code == 200
    assert _records("unmask") == []

    admin = login(city.accounts["admin"])
    assert "13800138001" in admin.get(reverse("desk:notify_outbox")).content.decode()
    assert "13800138001" in admin.get(reverse("desk:notify_message", args=[messages[0].pk])).content.decode()
    assert admin.get("/api/v1/notify/messages").json()["count"] == 2
    assert admin.get(f"/api/v1/notify/messages/{messages[1].pk}").json()["phone"] == "13800138002"
    records = list(AuditRecord.objects.filter(event="unmask").order_by("id"))
    assert [(r.actor_id, r.object_type, r.object_id, r.detail["count"]) for r in records] == [
        (city.accounts["admin"].pk, "notify.smsmessage", "", 2),
        (city.accounts["admin"].pk, "notify.smsmessage", str(messages[0].pk), 1),
        (city.accounts["admin"].pk, "notify.smsmessage", "", 2),
        (city.accounts["admin"].pk, "notify.smsmessage", str(messages[1].pk), 1),
    ]
    assert "1380013800" not in _everything_recorded()
