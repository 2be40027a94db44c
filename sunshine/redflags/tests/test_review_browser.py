"""A reviewer confirms one hit and dismisses another on a phone, and the rules page shows the precision."""
import pytest

from sunshine.org.testing import browser_login, build_mini_city
from sunshine.redflags.choices import HitReview
from sunshine.redflags.engine import run_rules
from sunshine.redflags.models import Hit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def planted_city(transactional_db):
    from .planted import TODAY, plant

    world = plant(build_mini_city())
    run_rules(full=True, codes=["R02", "R08"], today=TODAY)
    return world


def test_a_reviewer_confirms_and_dismisses_hits_on_a_phone(page, live_server, planted_city):
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, planted_city.city.accounts["office"])
    dead = Hit.objects.get(rule_code="R02")
    duplicate = Hit.objects.filter(rule_code="R08").order_by("id").first()

    page.goto(f"{live_server.url}/desk/redflags/?rule=R02")
    card = page.locator(f"#hit-{dead.pk}")
    assert "死亡(火化)后仍在领取" in card.inner_text()
    card.locator("input[name=reason]").fill("民政火化记录属实,停发并追回")
    card.locator("button", has_text="属实").click()
    page.wait_for_selector("text=已标记为“属实”")

    page.goto(f"{live_server.url}/desk/redflags/hits/{duplicate.pk}/")
    assert "同一户同一期重复领取同一补贴" in page.inner_text("h1")
    page.fill("input[name=reason]", "第二笔为更正前的旧记录,已核销")
    page.locator("button", has_text="误报").click()
    page.wait_for_selector("text=已标记为“误报”")

    dead.refresh_from_db()
    duplicate.refresh_from_db()
    assert (dead.review, duplicate.review) == (HitReview.CONFIRMED, HitReview.FALSE_POSITIVE)
    assert duplicate.reviewed_by.username == "office"

    page.goto(f"{live_server.url}/desk/redflags/rules/")
    assert page.locator("#rule-R02 .precision").inner_text() == "100.0%"
    assert page.locator("#rule-R08 .precision").inner_text() == "0.0%"
    page.screenshot(path="/tmp/i15a-rules-phone.png", full_page=False)
    page.goto(f"{live_server.url}/desk/redflags/?review=all")
    page.screenshot(path="/tmp/i15a-hits-phone.png", full_page=False)
