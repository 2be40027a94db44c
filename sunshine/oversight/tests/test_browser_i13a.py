"""The visit form, the quota page and the 约谈 list in a real browser on a phone (Debian's Chromium).

Screenshots go to var/screenshots/ (oversight-visit-form.png, oversight-quotas.png, oversight-interviews.png)."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sunshine.org.testing import browser_login, build_mini_city, make_household

from .builders_i13a import leaders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture
def mini_city(transactional_db):
    from django.core.cache import cache

    cache.clear()
    city = build_mini_city()
    make_household(city.villages[0], head_name="王一")
    make_household(city.villages[0], head_name="王二", status="exited", year=timezone.localdate().year)
    return city


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_village_cadre_records_a_visit_on_a_phone(page, live_server, mini_city):
    from sunshine.oversight.models import Visit

    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, mini_city.accounts["village1"])
    page.goto(f"{live_server.url}/desk/oversight/visits/new/")
    expect(page.get_by_text("测试镇1测试村1")).to_be_visible()
    page.select_option("select[name=household]", label="王一 · 未脱贫")
    page.check("input[name=method][value=pinpoint]")
    page.fill("input[name=companions]", "驻村工作队队长")
    page.fill("textarea[name=findings]", "公开栏未公示今年产业奖补")
    page.check("input[name=action][value=rectification]")
    _shot(page, "oversight-visit-form.png")
    page.click("button[type=submit]")
    expect(page.get_by_text("已登记调研督查,发现的问题已列入整改事项")).to_be_visible()
    visit = Visit.objects.get()
    assert visit.household.head_name == "王一" and visit.method == "pinpoint"


def test_the_quota_page_and_the_interview_list_render_on_a_phone(page, live_server, mini_city):
    leaders(mini_city)
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, mini_city.accounts["office"])
    page.goto(f"{live_server.url}/desk/oversight/quotas/")
    expect(page.get_by_test_id("visit-quotas")).to_contain_text("领导丙")
    expect(page.get_by_test_id("visit-quotas")).to_contain_text("差 4")
    expect(page.get_by_test_id("petition-quotas")).to_contain_text("书记甲")
    _shot(page, "oversight-quotas.png")
    page.goto(f"{live_server.url}/desk/oversight/interviews/")
    expect(page.get_by_test_id("interview-list")).to_contain_text("应约谈的成员单位 31 个")
    expect(page.get_by_test_id("interview-list")).to_contain_text("市委组织部")
    _shot(page, "oversight-interviews.png")
