"""The leader's and the office's homes in a real browser (Debian's Chromium), phone-sized: the charts draw from the
page's own static files under the CSP (no inline script), and the tables stay below them."""
import datetime as dt

import pytest

from sunshine.cases.choices import CaseStatus
from sunshine.cases.tests.builders import submit, walk
from sunshine.org.testing import browser_login, build_mini_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


def _cases(city):
    from sunshine.cases.models import CaseDeadline
    from sunshine.core.workdays import add_working_days

    officer = city.accounts["township1"]
    for village, n in ((0, 4), (1, 2), (2, 3), (3, 1)):
        for i in range(n):
            _, case, _ = submit(city, village=village)
            if i == 0:
                received = dt.date.today() - dt.timedelta(days=30)
                case.received_on = received
                case.save(update_fields=["received_on"])
                for d in CaseDeadline.objects.filter(case=case):
                    d.starts_on, d.due_on = received, add_working_days(received, d.working_days)
                    d.save(update_fields=["starts_on", "due_on"])
            elif i == 1 and village < 2:
                walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY)


@pytest.mark.parametrize("who", ["leader", "office"])
def test_home_with_charts_on_a_phone(page, live_server, who):
    city = build_mini_city()
    _cases(city)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, city.accounts[who])
    page.goto(f"{live_server.url}/desk/")
    page.locator(".chart svg").first.wait_for()
    assert page.locator(".chart svg").count() >= 2
    assert page.get_by_text("测试镇1").first.is_visible()
    page.screenshot(path=f"/tmp/stats-home-{who}-phone.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]


def test_table_page_and_public_numbers_on_a_phone(page, live_server):
    city = build_mini_city()
    _cases(city)
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, city.accounts["office"])
    page.goto(f"{live_server.url}/desk/stats/reports/?dim=channel")
    page.locator(".chart svg").first.wait_for()
    page.screenshot(path="/tmp/stats-table-phone.png", full_page=True)
    page.goto(f"{live_server.url}/numbers/")
    page.locator(".chart svg").first.wait_for()
    assert page.get_by_text("<3").first.is_visible()  # 测试镇2 has 4 reports, but its months and groups are small
    page.screenshot(path="/tmp/stats-public-phone.png", full_page=True)
