"""The staff desk in a real browser (Debian's Chromium): log in, browse, import with a live percentage."""
import pytest

from sunshine.org.testing import browser_login, build_mini_city, make_household
from sunshine.org.tests.test_household_import import good_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def mini_city(transactional_db):
    return build_mini_city()


def _login(page, live_server, username):
    from sunshine.org.models import Account

    browser_login(page, live_server.url, Account.objects.get(username=username))


def test_township_officer_logs_in_and_sees_only_their_township(page, live_server, mini_city):
    make_household(mini_city.villages[0], head_name="周大福")
    make_household(mini_city.villages[2], head_name="吴二狗")
    page.set_viewport_size(PHONE)
    _login(page, live_server, "township1")
    assert page.get_by_text("测试镇1", exact=True).is_visible()
    page.screenshot(path="/tmp/desk-home-phone.png", full_page=True)
    page.click("text=农户")
    assert page.get_by_text("周大福").is_visible()
    assert page.get_by_text("吴二狗").count() == 0
    page.screenshot(path="/tmp/desk-households-phone.png", full_page=True)


def test_household_import_shows_its_result_in_the_browser(page, live_server, mini_city, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    path = write_csv(tmp_path / "households.csv", good_rows(mini_city))
    page.set_viewport_size({"width": 1024, "height": 800})
    _login(page, live_server, "township1")
    page.goto(f"{live_server.url}/desk/imports/households/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button[type=submit]")
    page.wait_for_selector("text=导入完成")
    assert page.locator("[data-testid=percent]").inner_text() == "100%"
    page.screenshot(path="/tmp/desk-import-done.png", full_page=True)
