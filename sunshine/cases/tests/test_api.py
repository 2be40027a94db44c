"""Staff API: scoped lists and details, transitions, questions; 404 for other jurisdictions, 401 anonymous."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sunshine.cases.choices import CaseStatus

from .builders import REAL_NAME, submit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cases/cases"


def test_anonymous_callers_get_401(client, city):
    _, case, _ = submit(city)
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/{case.pk}").status_code == 401
    assert client.post(f"{BASE}/{case.pk}/transition", {"to": "screening"},
                       content_type="application/json").status_code == 401


def test_the_township_officer_lists_only_their_townships_cases(login, city):
    _, mine, _ = submit(city, village=0)
    submit(city, village=2)
    body = login(city.accounts["township1"]).get(BASE).json()
    assert [c["id"] for c in body["items"]] == [mine.pk]


def test_another_townships_officer_gets_404_on_a_case(login, city):
    _, case, _ = submit(city, village=0)
    client = login(city.accounts["township2"])
    assert client.get(f"{BASE}/{case.pk}").status_code == 404
    response = client.post(f"{BASE}/{case.pk}/transition", {"to": "screening"}, content_type="application/json")
    assert response.status_code == 404


def test_the_governance_office_lists_every_case(login, city):
    submit(city, village=0)
    submit(city, village=2)
    assert login(city.accounts["office"]).get(BASE).json()["count"] == 2


def test_the_case_detail_shows_timeline_and_deadlines_but_no_identity(login, city):
    _, case, _ = submit(city, real_name=REAL_NAME)
    response = login(city.accounts["township1"]).get(f"{BASE}/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["is_real_name"] is True and body["allowed_transitions"] == ["screening"]
    assert [d["kind"] for d in body["clock"]] == ["transfer", "accept_notice"]
    assert REAL_NAME["name"] not in response.content.decode() and REAL_NAME["phone"] not in response.content.decode()


def test_the_handler_moves_a_case_through_the_api(login, city):
    _, case, _ = submit(city)
    client = login(city.accounts["township1"])
    for to in ("screening", "preliminary"):
        assert client.post(f"{BASE}/{case.pk}/transition", {"to": to},
                           content_type="application/json").status_code == 200
    response = client.post(f"{BASE}/{case.pk}/transition",
                           {"to": "concluded", "finding": "partly", "conclusion": "部分属实"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == CaseStatus.CONCLUDED


def test_a_refused_edge_is_a_409_with_a_message_as_in_funds(login, city):
    _, case, _ = submit(city)
    response = login(city.accounts["township1"]).post(f"{BASE}/{case.pk}/transition", {"to": "closed"},
                                                      content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "bad_transition"


def test_a_city_leader_reads_but_gets_403_on_a_transition(login, city):
    _, case, _ = submit(city)
    client = login(city.accounts["leader"])
    assert client.get(f"{BASE}/{case.pk}").status_code == 200
    assert client.post(f"{BASE}/{case.pk}/transition", {"to": "screening"},
                       content_type="application/json").status_code == 403


def test_the_handler_asks_the_reporter_a_question(login, city):
    _, case, _ = submit(city)
    response = login(city.accounts["township1"]).post(f"{BASE}/{case.pk}/questions", {"text": "请问是哪一年的事？"},
                                                      content_type="application/json")
    assert response.status_code == 201 and response.json()["kind"] == "question"


def test_the_case_list_runs_a_fixed_number_of_queries(login, city):
    for v in range(4):
        submit(city, village=v)
    client = login(city.accounts["office"])
    client.get(BASE)
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for v in range(4):
        submit(city, village=v)
    with CaptureQueriesContext(connection) as many:
        client.get(BASE)
    assert len(many) == len(few)
