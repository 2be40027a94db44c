"""The desk's organisation pages (home, a region, households, units, a person) show what the actor's jurisdiction
covers and nothing else; the unit filter works by kind and name, with no inline script."""
import datetime as dt

import pytest
from django.urls import reverse

from sunshine.org import services
from sunshine.org.choices import Post, UnitKind
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_townships_the_actor_covers(login, city):
    page = login(city.accounts["township1"]).get(reverse("desk:home")).content.decode()
    assert "测试镇1" in page and "测试镇2" not in page
    office = login(city.accounts["office"]).get(reverse("desk:home")).content.decode()
    assert "湘乡市" in office


def test_a_region_page_counts_its_households_and_lists_its_villages(login, city):
    make_household(city.villages[0])
    make_household(city.villages[0])
    make_household(city.villages[1])
    make_household(city.villages[2])  # another township: not counted
    page = login(city.accounts["township1"]).get(reverse("desk:region", args=[city.townships[0].pk])).content.decode()
    assert "建档立卡户 3 户" in page
    assert "测试村1" in page and "测试村2" in page and "测试村3" not in page
    assert page.count("贫困村") == 1  # 测试村1 is the township's poor village


def test_another_townships_region_page_is_a_404(login, city):
    client = login(city.accounts["township1"])
    assert client.get(reverse("desk:region", args=[city.townships[1].pk])).status_code == 404
    assert client.get(reverse("desk:region", args=[city.villages[2].pk])).status_code == 404


def test_a_village_page_shows_the_township_as_its_crumb(login, city):
    page = login(city.accounts["township1"]).get(reverse("desk:region", args=[city.villages[0].pk])).content.decode()
    assert f'href="{reverse("desk:region", args=[city.townships[0].pk])}"' in page


def test_the_unit_list_filters_by_kind_and_by_name(login, city):
    client = login(city.accounts["office"])
    everything = client.get(reverse("desk:units")).content.decode()
    assert "测试镇1人民政府" in everything and "测试村1村委会" in everything

    townships = client.get(reverse("desk:units"), {"kind": UnitKind.TOWNSHIP_GOV}).content.decode()
    assert "测试镇1人民政府" in townships and "测试镇2人民政府" in townships
    assert "测试村1村委会" not in townships
    assert f'<option value="{UnitKind.TOWNSHIP_GOV}" selected>' in townships

    named = client.get(reverse("desk:units"), {"q": "测试村3"}).content.decode()
    assert "测试村3村委会" in named and "测试村1村委会" not in named and 'value="测试村3"' in named


def test_the_unit_filter_works_without_inline_script_and_keeps_its_button(login, city):
    page = login(city.accounts["office"]).get(reverse("desk:units")).content.decode()
    assert "onchange" not in page and "<noscript>" not in page
    assert "data-autosubmit" in page and "js/auto-submit.js" in page
    assert '<button class="btn">筛选</button>' in page


def test_a_township_sees_only_its_own_units(login, city):
    page = login(city.accounts["township1"]).get(reverse("desk:units")).content.decode()
    assert "测试镇1人民政府" in page and "测试村1村委会" in page
    assert "测试镇2人民政府" not in page and "测试村3村委会" not in page


def test_a_person_page_shows_their_posts_with_dates_and_is_a_404_elsewhere(login, city):
    unit = city.township_units[0]
    person = services.person_create(actor=None, name="赵书记", unit=unit)
    first = services.position_start(actor=None, person=person, unit=unit, post=Post.TOWNSHIP_HEAD,
                                    start_date=dt.date(2016, 1, 1))
    services.position_end(actor=None, position=first, end_date=dt.date(2019, 12, 31))
    services.position_start(actor=None, person=person, unit=unit, post=Post.TOWNSHIP_SECRETARY,
                            start_date=dt.date(2020, 1, 1))

    page = login(city.accounts["township1"]).get(reverse("desk:person", args=[person.pk])).content.decode()
    assert "赵书记" in page
    assert "2016-01-01" in page and "2019-12-31" in page and "2020-01-01" in page and "在任" in page
    other = login(city.accounts["township2"]).get(reverse("desk:person", args=[person.pk]))
    assert other.status_code == 404


def test_the_household_list_shows_the_actors_households_only(login, city):
    make_household(city.villages[0], head_name="周大福")
    make_household(city.villages[2], head_name="吴二狗")
    page = login(city.accounts["township1"]).get(reverse("desk:households")).content.decode()
    assert "周大福" in page and "吴二狗" not in page
