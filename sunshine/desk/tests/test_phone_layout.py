"""Staff pages fit a phone's screen: nothing wider than the viewport (a long <select> option once widened the case
page to three screens)."""
import pytest

from sunshine.cases.tests.builders import submit
from sunshine.org.testing import browser_login, build_mini_city, make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def test_staff_pages_have_no_horizontal_overflow_on_a_phone(page, live_server):
    city = build_mini_city()
    make_household(city.villages[0], head_name="周大福")
    _, case, _ = submit(city, text="村里修路的钱被挪用了，路到现在也没有修好，村干部说钱花完了")
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, city.accounts["office"])
    for path in ("/desk/", "/desk/households/", f"/desk/cases/{case.pk}/", "/desk/cases/", "/desk/funds/",
                 "/desk/sms/", "/desk/sms/templates/", "/desk/funds/payments/", "/desk/oversight/registers/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], path
