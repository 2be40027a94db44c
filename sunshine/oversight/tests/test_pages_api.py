"""Oversight's field-work pages and API end to end: each page renders with real data, the API is scoped."""
import datetime as dt

import pytest
from django.utils import timezone

from sunshine.cases.tests.builders import REAL_NAME, submit
from sunshine.oversight.models import Visit
from sunshine.oversight.services.petitions import leader_assign
from sunshine.oversight.services.rectifications import rectification_create

from .builders_i13a import leaders

pytestmark = pytest.mark.django_db

PAGES = ["/desk/oversight/visits/", "/desk/oversight/visits/new/", "/desk/oversight/quotas/?all=1",
         "/desk/oversight/petitions/", "/desk/oversight/rectifications/", "/desk/oversight/presence/?all=1",
         "/desk/oversight/interviews/?all=1", "/desk/oversight/leading-group/", "/desk/oversight/plan/",
         "/desk/oversight/cards/"]


def test_every_page_renders_for_the_office(city, client, login):
    leaders(city)
    login(city.accounts["office"])
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "领导丙" in client.get("/desk/oversight/quotas/").content.decode()
    assert "市委组织部" in client.get("/desk/oversight/interviews/").content.decode()
    assert "市级领导每年调研督查次数" in client.get("/desk/oversight/plan/").content.decode()


def test_a_village_cadre_records_a_visit_from_the_form(city, client, login):
    login(city.accounts["village1"])
    page = client.get("/desk/oversight/visits/new/").content.decode()
    assert "测试村1" in page and "四不两直" in page
    today = timezone.localdate()
    response = client.post("/desk/oversight/visits/new/", {
        "visited_on": today.isoformat(), "village": city.villages[0].pk, "method": "pinpoint",
        "companions": "驻村工作队队长", "findings": "公开栏未更新", "action": "rectification"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.visitor, visit.method, visit.findings) == (city.accounts["village1"].person, "pinpoint", "公开栏未更新")
    assert client.get("/desk/oversight/rectifications/").content.decode().count("公开栏未更新") == 1
    assert client.get("/desk/oversight/plan/").status_code == 403  # only the office sets the plan's numbers


def test_the_office_sets_a_plan_number_for_a_year(city, client, login):
    login(city.accounts["office"])
    year = timezone.localdate().year
    response = client.post("/desk/oversight/plan/", {"year": year, "oversight.visits.city_leader": "6"})
    assert response.status_code == 302
    from sunshine.core.plan import plan_int
    from sunshine.oversight import plan

    assert plan_int(plan.VISITS_CITY_LEADER, year=year) == 6
    assert plan_int(plan.VISITS_CITY_LEADER, year=year - 1) == 4


def test_supervision_cards_print_one_card_per_household(city, client, login):
    from sunshine.org.testing import make_household
    from sunshine.oversight.cards import supervision_cards_context

    for i in range(5):
        make_household(city.villages[0], head_name=f"李{i}")
    context = supervision_cards_context(village=city.villages[0])
    assert context["count"] == 5 and [len(p) for p in context["pages"]] == [4, 1]
    assert context["url"].endswith(f"/report/?village={city.villages[0].code}")
    login(city.accounts["township1"])
    response = client.get(f"/desk/oversight/cards/{city.villages[0].pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/desk/oversight/cards/{city.villages[2].pk}.pdf").status_code == 404  # another township


def test_the_report_form_opened_from_a_card_has_the_village_chosen(city, client):
    page = client.get(f"/report/?village={city.villages[0].code}").content.decode()
    assert f'<option value="{city.villages[0].pk}" selected>' in page


def test_the_api_lists_and_scopes_visits_petitions_rectifications_and_interviews(city, client, login):
    office = city.accounts["office"]
    people = leaders(city)
    _, case, _ = submit(city, real_name=REAL_NAME)
    leader_assign(actor=office, case=case, leader=people["leader"], assigned_on=dt.date(2025, 3, 1))
    rectification_create(actor=office, source_kind="audit", title="台账不全", owner_unit=city.village_units[0],
                         region=city.villages[0], deadline=timezone.localdate() + dt.timedelta(days=5))
    assert client.get("/api/v1/oversight/visits").status_code == 401
    login(city.accounts["township1"])
    today = timezone.localdate().isoformat()
    created = client.post("/api/v1/oversight/visits", {"village_code": city.villages[0].code, "visited_on": today,
                                                       "method": "four_not_two"}, content_type="application/json")
    assert created.status_code == 201, created.content
    visit_id = created.json()["id"]
    bad = client.post("/api/v1/oversight/visits", {"village_code": city.villages[0].code, "visited_on": today,
                                                   "method": "walk"}, content_type="application/json")
    assert bad.status_code == 400 and "调研方式" in bad.json()["detail"]
    assert client.get("/api/v1/oversight/rectifications").json()["count"] == 1
    login(city.accounts["township2"])
    assert client.get(f"/api/v1/oversight/visits/{visit_id}").status_code == 404
    assert client.get("/api/v1/oversight/rectifications").json()["count"] == 0
    login(office)
    petitions = client.get("/api/v1/oversight/petitions?year=2025").json()
    assert petitions["count"] == 1 and petitions["items"][0]["awaiting_meeting"] is True
    quotas = {r["person"]: r for r in client.get("/api/v1/oversight/petitions/quotas?year=2025").json()}
    assert (quotas["领导丙"]["taken"], quotas["领导丙"]["short"], quotas["领导丙"]["awaiting_meeting"]) == (1, 4, 1)
    candidates = client.get("/api/v1/oversight/interviews/candidates").json()
    assert len(candidates) == 31
    unit_id = candidates[0]["unit_id"]
    talk = client.post("/api/v1/oversight/interviews", {"unit_id": unit_id, "year": timezone.localdate().year,
                                                       "interviewer": "主任", "attendees": "局长",
                                                       "outcome": "限期排查"}, content_type="application/json")
    assert talk.status_code == 201
    assert client.get("/api/v1/oversight/interviews").json()[0]["unit_id"] == unit_id


def test_the_home_page_shows_the_field_panel_to_each_role(city, client, login):
    for key in ("office", "township1", "village1", "department", "leader"):
        login(city.accounts[key])
        page = client.get("/desk/").content.decode()
        assert "调研督查与整改" in page, key
    login(city.accounts["village1"])
    assert "登记调研督查" in client.get("/desk/").content.decode()


def test_a_city_leader_sees_their_own_led_cases_first(city, client, login):
    from sunshine.org.choices import Role
    from sunshine.org.testing import make_account

    people = leaders(city)
    office = city.accounts["office"]
    _, case, _ = submit(city)
    leader_assign(actor=office, case=case, leader=people["leader"])
    account = make_account("leaderx", Role.CITY_LEADER, None)
    account.person = people["leader"]
    account.save()
    login(account)
    page = client.get("/desk/oversight/petitions/").content.decode()
    assert "我领办的信访件" in page and case.number in page
    assert page.index("领导丙") < page.index("书记甲")


def test_the_visit_and_rectification_lists_take_a_fixed_number_of_queries(city, client, login,
                                                                           django_assert_max_num_queries):
    from .builders_i13a import visit

    office = city.accounts["office"]
    people = leaders(city)
    for i in range(12):
        visit(office, people["leader"], city.villages[i % 4], dt.date(2025, 3, 1 + i))
        rectification_create(actor=office, source_kind="visit", title=f"事项{i}", owner_unit=city.village_units[i % 4],
                             region=city.villages[i % 4], deadline=timezone.localdate() + dt.timedelta(days=9))
    login(office)
    client.get("/api/v1/oversight/visits")  # warm the session
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/oversight/visits").json()
    assert body["count"] == 12 and body["items"][0]["village"].startswith("测试镇")
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/oversight/rectifications").json()
    assert body["count"] == 12 and body["items"][0]["owner_unit"].endswith("村委会")
