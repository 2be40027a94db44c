"""The campaign registers' hand-entry forms as a clerk uses them: each saves through its service and says so, and a
refusal or a wrong name is shown on the form itself, in words, with nothing saved."""
import datetime as dt

import pytest

pytestmark = pytest.mark.django_db
BASE = "/desk/oversight"


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_a_township_adds_a_micro_power_item_with_its_steps(login, city):
    from sunshine.oversight.models import MicroPower

    client = login(city.accounts["township1"])
    village = city.villages[0]
    url = f"{BASE}/micro-powers/{village.pk}/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"category": "决策", "title": "低保评议", "responsible_post": "村党支部书记",
                                 "steps": "提议|村党支部\n评议\n"}, follow=True)
    item = MicroPower.objects.get(title="低保评议")
    assert [(s.name, s.responsible_post) for s in item.steps.order_by("order")] == [
        ("提议", "村党支部"), ("评议", "村党支部书记")]
    assert "已加入清单并在村公开页面公开" in _messages(response)
    assert response.redirect_chain[-1][0] == f"{BASE}/micro-powers/{village.pk}/"


def test_a_grid_names_the_groups_and_workers_it_cannot_find_and_saves_nothing(login, city):
    from sunshine.org import services as org_services
    from sunshine.oversight.models import Grid

    org_services.person_create(actor=city.accounts["admin"], name="李网格", unit=city.village_units[0])
    client = login(city.accounts["township1"])
    form = {"village": str(city.villages[0].pk), "name": "第一网格", "groups": "一组、九组", "workers": "李网格，王无名"}
    response = client.post(f"{BASE}/grids/new/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "测试村1没有这些村民小组：九组" in html and "王无名：查无此人" in html
    assert not Grid.objects.exists()
    response = client.post(f"{BASE}/grids/new/", {**form, "groups": "一组", "workers": "李网格"})
    grid = Grid.objects.get(name="第一网格")
    assert response.status_code == 302 and [g.name for g in grid.groups.all()] == ["一组"]


def test_a_weak_village_organisation_is_designated_then_lifted(login, city):
    from sunshine.oversight.models import WeakOrganisation

    client = login(city.accounts["office"])
    response = client.post(f"{BASE}/weak-orgs/new/", {"village": str(city.villages[1].pk), "year": "2026",
                                                      "designated_on": "2026-02-01", "reasons": "班子不团结"})
    assert response.status_code == 302
    weak = WeakOrganisation.objects.get(village=city.villages[1])
    response = client.post(f"{BASE}/weak-orgs/{weak.pk}/lift/", {"lifted_on": "2026-11-01", "note": "已整顿"},
                           follow=True)
    weak.refresh_from_db()
    assert weak.lifted_on == dt.date(2026, 11, 1) and "已销号" in _messages(response)


def test_a_training_plan_and_session_then_names_signed_in_with_a_full_width_comma(login, city):
    from sunshine.org import services as org_services
    from sunshine.oversight.models import TrainingSession

    person = org_services.person_create(actor=city.accounts["admin"], name="赵扶贫", unit=city.township_units[0],
                                        phone="13800138000")
    client = login(city.accounts["office"])
    response = client.post(f"{BASE}/trainings/plans/new/", {"year": "2026", "title": "年度培训计划"})
    assert response.status_code == 302 and response.url.endswith("?year=2026")
    response = client.post(f"{BASE}/trainings/new/", {"title": "专题班", "held_on": "2026-03-01",
                                                      "covers_governance": "on"})
    session = TrainingSession.objects.get(title="专题班")
    assert response.status_code == 302 and response.url == f"{BASE}/trainings/{session.pk}/"
    assert session.plan.title == "年度培训计划"
    response = client.post(f"{BASE}/trainings/{session.pk}/sign-in/", {"names": "赵扶贫，13800138000"}, follow=True)
    assert "已签到 1 人" in _messages(response)
    assert list(session.attendances.values_list("person", flat=True)) == [person.pk]


def test_an_assessment_not_set_from_above_is_refused_on_the_form_and_kept_as_refused(login, city):
    from sunshine.oversight.models import VillageAssessment

    client = login(city.accounts["department"])
    response = client.post(f"{BASE}/village-assessments/new/", {
        "region": str(city.city.pk), "title": "村级台账检查", "year": "2026", "basis_level": "none"})
    assert response.status_code == 200
    assert "未予登记（已留存拒绝记录）" in response.content.decode()
    assert VillageAssessment.objects.get(title="村级台账检查").status == "refused"
