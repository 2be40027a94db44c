"""Issue 11's done-when in Chromium on a phone: a refused report keeps its words (and its draft on the phone), an
objection lands where a report from its village lands, and axe-core finds no serious or critical violation on the
public pages. Screenshots: /tmp/portal-report-refused.png, /tmp/portal-objection.png, /tmp/portal-notice-phone.png,
/tmp/portal-household-phone.png, /tmp/portal-large-type.png."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from sunshine.cases import challenge
from sunshine.cases.models import Case, Report
from sunshine.core.ratelimit import Limit
from sunshine.funds.household_page import household_current_token
from sunshine.portal import reporting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}
AXE = Path(django_settings.BASE_DIR) / "static" / "vendor" / "axe-4.11.0.min.js"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from django.core.cache import cache

    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


def _answer(page) -> str:
    question = page.locator(".question").inner_text()
    a, op, b = re.match(r"(.+?)(加|减)(.+?)等于几", question).groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    return str(a + b if op == "加" else a - b)


def test_a_refused_report_keeps_every_word_and_the_draft_waits_on_the_phone(page, live_server, disclosed,
                                                                             monkeypatch):
    monkeypatch.setattr(reporting, "REPORTS_PER_BROWSER", Limit("report_submit_browser", 1, 3600))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/report/")
    page.fill("textarea[name=text]", "第一件:村里修路的钱没有公示")
    page.fill("input[name=challenge_answer]", _answer(page))
    page.click("button:has-text('提交')")
    page.wait_for_selector("#receipt-code")

    words = "第二件:危房改造补助被村会计扣了两千元,说是手续费,好几户都一样。"
    page.goto(f"{live_server.url}/report/")
    page.select_option("select[name=township]", str(disclosed.township.pk))
    page.wait_for_selector(f"select[name=village] option[value='{disclosed.village.pk}']", state="attached")
    page.select_option("select[name=village]", str(disclosed.village.pk))
    page.fill("textarea[name=text]", words)
    page.fill("input[name=challenge_answer]", _answer(page))
    page.click("button:has-text('提交')")
    page.wait_for_selector("#refused")
    assert page.get_by_text("这次没有提交成功").is_visible()
    assert page.input_value("textarea[name=text]") == words  # not a word lost
    assert page.input_value("select[name=village]") == str(disclosed.village.pk)
    page.click("button:has-text('把草稿存在这部手机上')")
    assert page.get_by_text("已存好").is_visible()
    page.screenshot(path="/tmp/portal-report-refused.png", full_page=True)
    assert Report.objects.count() == 1

    # Next time on the same phone: the draft is offered back.
    page.goto(f"{live_server.url}/report/")
    page.click("button:has-text('接着写草稿')")
    assert page.input_value("textarea[name=text]") == words
    page.wait_for_function(f"document.querySelector('select[name=village]').value === '{disclosed.village.pk}'")


def test_an_objection_from_a_notice_lands_where_a_report_from_its_village_lands(page, live_server, disclosed):
    notice = disclosed.notices["payment:3"]
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/notices/{notice.code}/")
    page.get_by_role("link", name="有异议?").first.click()
    page.wait_for_selector(".about-record")
    assert page.input_value("select[name=village]") == str(disclosed.village.pk)  # the place from the record
    page.fill("textarea[name=text]", "这笔钱我家没有收到全额")
    page.fill("input[name=challenge_answer]", _answer(page))
    page.screenshot(path="/tmp/portal-objection.png", full_page=True)
    page.click("button:has-text('提交')")
    page.wait_for_selector("#receipt-code")

    objection = Case.objects.get(report__about_type="funds.payment")
    other = Client()
    form = other.get("/report/").content.decode()
    question = re.search(r'class="question">([^<]+)<', form).group(1)
    a, op, b = re.match(r"(.+?)(加|减)(.+?)等于几", question).groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    token = re.search(r'name="challenge_token" value="([^"]+)"', form).group(1)
    other.post("/report/", {"text": "这笔钱我家没有收到全额", "township": disclosed.township.pk,
                            "village": disclosed.village.pk, "challenge_answer": str(a + b if op == "加" else a - b),
                            "challenge_token": token.replace("&#x27;", "'")})
    plain = Case.objects.exclude(pk=objection.pk).get()
    assert objection.report.region == disclosed.village
    assert objection.handling_unit == plain.handling_unit


def _public_pages(live_server, disclosed) -> dict[str, str]:
    notice = disclosed.notices["payment:3"]
    token = household_current_token(disclosed.households[0])
    base = live_server.url
    return {
        "home": f"{base}/", "townships": f"{base}/funds/", "township": f"{base}/funds/township/{disclosed.township.code}/",
        "village": f"{base}/funds/village/{disclosed.village.code}/", "notice": f"{base}/notices/{notice.code}/",
        "verify": f"{base}/verify/?code={notice.code}", "check": f"{base}/check/", "household": f"{base}/h/{token}",
        "report": f"{base}/report/", "objection": f"{base}/report/?about_type=funds.payment&about_id="
                                                  f"{disclosed.payments[0].pk}",
        "status": f"{base}/report/status/", "exposures": f"{base}/exposures/",
    }


def test_axe_finds_no_serious_or_critical_violation_on_the_public_pages(browser, live_server, disclosed):
    context = browser.new_context(bypass_csp=True, viewport=PHONE)  # axe is injected; the pages load no script
    page = context.new_page()
    axe = AXE.read_text(encoding="utf-8")
    found = {}
    for name, url in _public_pages(live_server, disclosed).items():
        for large in (False, True):
            context.clear_cookies()
            if large:
                context.add_cookies([{"name": "sunshine_large", "value": "1", "url": live_server.url}])
            page.goto(url)
            page.add_script_tag(content=axe)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            bad = [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                found[f"{name}{' 大字版' if large else ''}"] = bad
        if name == "notice":
            page.screenshot(path="/tmp/portal-notice-phone.png", full_page=True)
        if name == "household":
            page.screenshot(path="/tmp/portal-household-phone.png", full_page=True)
    # The checker itself is awake: a grey-on-white line added to the last page is caught.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<p style=\"color:#aaa;background:#fff\">灰色小字</p>')")
    control = page.evaluate("axe.run(document, {runOnly: ['color-contrast']})")
    context.close()
    assert [v["id"] for v in control["violations"]] == ["color-contrast"]
    assert found == {}


def test_the_large_type_switch_is_remembered_on_every_public_page(page, live_server, disclosed):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/funds/village/{disclosed.village.code}/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.click("button:has-text('大字版')")
    page.wait_for_selector("button:has-text('标准字')")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > normal
    for path in ("/report/", "/report/status/", f"/notices/{disclosed.notices['payment:3'].code}/", "/check/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.classList.contains('large-type')"), path
        assert page.get_by_role("link", name="查进度").is_visible(), path  # and the one public navigation
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.screenshot(path="/tmp/portal-large-type.png", full_page=True)
    page.click("button:has-text('标准字')")
    page.wait_for_selector("button:has-text('大字版')")
    assert not page.evaluate("document.documentElement.classList.contains('large-type')")
