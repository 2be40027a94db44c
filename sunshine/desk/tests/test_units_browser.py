"""The staff unit filter in a real browser: choosing a kind filters at once (no inline handler for the CSP to
block), and the 筛选 button filters by name."""
import pytest

from sunshine.org.choices import UnitKind
from sunshine.org.testing import browser_login, build_mini_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def mini_city(transactional_db):
    return build_mini_city()


def test_choosing_a_kind_filters_the_units_without_a_csp_violation(page, live_server, mini_city):
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, mini_city.accounts["office"])
    page.goto(f"{live_server.url}/desk/units/")
    assert page.get_by_text("测试村1村委会", exact=True).count() == 1

    with page.expect_navigation():
        page.select_option("select[name=kind]", UnitKind.TOWNSHIP_GOV.value)

    assert f"kind={UnitKind.TOWNSHIP_GOV.value}" in page.url
    assert page.get_by_text("测试镇1人民政府", exact=True).count() == 1
    assert page.get_by_text("测试村1村委会", exact=True).count() == 0
    page.screenshot(path="/tmp/desk-units-phone.png", full_page=True)

    page.fill("input[name=q]", "测试镇2")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    assert page.get_by_text("测试镇2人民政府", exact=True).count() == 1
    assert page.get_by_text("测试镇1人民政府", exact=True).count() == 0
    assert blocked == []
