"""Can-see is jurisdiction: the same scoping on pages and API; another jurisdiction's record is a 404."""
import datetime as dt

import pytest

from sunshine.org import selectors
from sunshine.org.jurisdiction import scope_for
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db


def test_township_staff_see_only_their_township(city):
    mine = make_household(city.villages[0])
    theirs = make_household(city.villages[2])
    visible = set(selectors.household_list_visible_to(actor=city.accounts["township1"]))
    assert mine in visible and theirs not in visible


def test_discipline_room_sees_the_townships_it_supervises(city):
    supervised = make_household(city.villages[1])
    other = make_household(city.villages[3])
    visible = set(selectors.household_list_visible_to(actor=city.accounts["discipline"]))
    assert supervised in visible and other not in visible


def test_special_governance_office_and_leaders_see_the_whole_city(city):
    a, b = make_household(city.villages[0]), make_household(city.villages[3])
    for who in ("office", "leader"):
        assert {a, b} <= set(selectors.household_list_visible_to(actor=city.accounts[who]))
    assert scope_for(city.accounts["office"]).whole_city


def test_village_staff_see_only_their_village(city):
    mine, neighbour = make_household(city.villages[0]), make_household(city.villages[1])
    visible = set(selectors.household_list_visible_to(actor=city.accounts["village1"]))
    assert visible == {mine}
    assert neighbour not in visible


def test_region_subtree_is_everything_under_a_township(city):
    subtree = set(selectors.region_subtree(region=city.townships[0]))
    assert city.villages[0] in subtree and city.groups[0] in subtree
    assert city.villages[2] not in subtree and city.city not in subtree


def test_other_townships_household_page_is_404(city, login):
    theirs = make_household(city.villages[2])
    client = login(city.accounts["township1"])
    assert client.get(f"/desk/households/{theirs.pk}/").status_code == 404
    mine = make_household(city.villages[0], head_name="李四")
    page = client.get(f"/desk/households/{mine.pk}/")
    assert page.status_code == 200 and "李四" in page.content.decode()


def test_other_townships_household_in_the_api_is_404_and_anonymous_is_401(city, login):
    theirs = make_household(city.villages[2])
    client = login(city.accounts["township1"])
    response = client.get(f"/api/v1/org/households/{theirs.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    client.logout()
    assert client.get("/api/v1/org/households").status_code == 401


def test_api_household_list_masks_id_and_phone(city, login):
    make_household(city.villages[0], phone="13912345678")
    body = login(city.accounts["township1"]).get("/api/v1/org/households").json()
    item = body["items"][0]
    assert item["phone_masked"] == "139****5678"
    assert "*" in item["head_id_number_masked"]
    assert "head_id_number" not in item and "phone" not in item


def test_api_person_detail_shows_a_visible_person_with_posts_and_masked_phone(city, login):
    from sunshine.org import services
    from sunshine.org.choices import Post

    person = services.person_create(actor=None, name="李四", unit=city.township_units[0], phone="13912345678")
    services.position_start(actor=None, person=person, unit=city.township_units[0], post=Post.TOWNSHIP_HEAD,
                            start_date=dt.date(2024, 1, 1), title="镇长")
    client = login(city.accounts["township1"])
    response = client.get(f"/api/v1/org/people/{person.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "李四" and body["unit_name"] == city.township_units[0].name
    assert body["phone_masked"] == "139****5678" and "phone" not in body
    assert body["positions"] == [{
        "unit_id": city.township_units[0].pk, "unit_name": city.township_units[0].name,
        "post": "township_head", "post_name": "乡镇长（街道办主任）", "title": "镇长",
        "start_date": "2024-01-01", "end_date": None,
    }]
    assert login(city.accounts["township2"]).get(f"/api/v1/org/people/{person.pk}").status_code == 404

