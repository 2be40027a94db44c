"""The registers' staff pages render for the office with real records, scope for a township, and the data-request
form shows a refusal with what the platform holds."""
import datetime as dt

import pytest

from sunshine.oversight.services import burden, mechanisms, training

pytestmark = pytest.mark.django_db
PAGES = ["registers", "data-requests", "documents", "project-filing", "trainings", "inspections", "micro-powers",
         "grids", "weak-orgs", "tasks", "assessments"]


def test_every_register_page_renders_for_the_office(login, city):
    office = city.accounts["office"]
    mechanisms.micro_power_add(actor=office, village=city.villages[0], category="决策", title="重大事项决策",
                               responsible_post="村党支部书记", steps=[("提议", "村党支部")])
    mechanisms.weak_org_designate(actor=office, village=city.villages[1], year=2026, reasons="班子涣散",
                                  designated_on=dt.date(2026, 1, 5))
    burden.document_register(actor=office, number="治理办〔2026〕1号", title="方案", issued_on=dt.date(2026, 1, 2),
                              forwards_number="湘潭〔2026〕1号")
    session = training.training_session_create(actor=office, title="专题班", held_on=dt.date(2026, 3, 1))
    client = login(office)
    for page in PAGES:
        response = client.get(f"/desk/oversight/{page}/")
        assert response.status_code == 200, page
    assert "层层转发" in client.get("/desk/oversight/documents/").content.decode()
    assert "班子涣散" in client.get("/desk/oversight/weak-orgs/").content.decode()
    assert client.get(f"/desk/oversight/trainings/{session.pk}/").status_code == 200
    assert client.get(f"/desk/oversight/micro-powers/{city.villages[0].pk}/").status_code == 200


def test_a_township_officer_gets_404_for_another_townships_village(login, city):
    client = login(city.accounts["township2"])
    assert client.get(f"/desk/oversight/micro-powers/{city.villages[0].pk}/").status_code == 404
    assert client.get(f"/desk/oversight/assessments/{city.township_units[0].pk}/").status_code == 404


def test_the_form_refuses_a_data_request_and_offers_the_registry(login, city):
    client = login(city.accounts["township1"])
    response = client.post("/desk/oversight/data-requests/", {
        "region": str(city.villages[0].pk), "kind": "other", "title": "贫困户收入表", "fields": "贫困户收入\n人口",
        "purpose": "汇总", "deadline": "2026-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "该要求已被拒绝" in html and "建档立卡户名册(可按村导出)" in html


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get("/desk/oversight/registers/").status_code == 302


def test_the_forms_register_a_document_a_task_and_its_progress(login, city):
    from sunshine.oversight.models import DeptTask, IssuedDocument

    client = login(city.accounts["department"])
    assert client.get("/desk/oversight/documents/new/").status_code == 200
    response = client.post("/desk/oversight/documents/new/", {"number": "农发〔2026〕1号", "title": "转发通知",
                                                              "issued_on": "2026-02-01", "forwards_number": "湘农〔2026〕2号"})
    assert response.status_code == 302
    assert IssuedDocument.objects.get(number="农发〔2026〕1号").is_relay
    client.post("/desk/oversight/tasks/new/", {"year": "2026", "title": "危房改造", "measure": "户", "target": "10",
                                               "due_on": "2026-10-31"})
    task = DeptTask.objects.get(title="危房改造")
    client.post(f"/desk/oversight/tasks/{task.pk}/progress/", {"completed": "10", "note": "完成"})
    task.refresh_from_db()
    assert (task.status, task.completed) == ("done", 10)
