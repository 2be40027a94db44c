"""The case desk in a real browser (Debian's Chromium): a case from 受理 to 办结 with a named handler and a 督办, an
exposure through the office's approval, and the searchable unit picker."""
import datetime as dt

import pytest

from sunshine.cases import services
from sunshine.cases.choices import CaseStatus, ExposureStatus
from sunshine.cases.models import Case, CaseUrge, Exposure
from sunshine.cases.tests.builders import submit, to_concluded
from sunshine.org import services as org_services
from sunshine.org.choices import Post, Role
from sunshine.org.testing import browser_login, build_mini_city, make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def mini_city(transactional_db):
    city = build_mini_city()
    head = city.accounts["township1"]
    org_services.position_start(actor=None, person=head.person, unit=head.unit, post=Post.TOWNSHIP_SECRETARY,
                                start_date=dt.date(2024, 1, 1))
    city.accounts["clerk1"] = make_account("clerk1", Role.TOWNSHIP, city.township_units[0])
    return city


def _login(page, live_server, username):
    from sunshine.org.models import Account

    page.context.clear_cookies()
    browser_login(page, live_server.url, Account.objects.get(username=username))


def _step(page, label: str, **fields):
    """Open the step named `label` on the case page, fill its fields, confirm it."""
    step = page.locator("details.cases-step", has=page.locator("summary", has_text=label)).first
    step.locator("summary").click()
    for name, value in fields.items():
        field = step.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    step.locator("button", has_text=f"确定:{label}").click()
    page.wait_for_selector(f"text=已{label}")


def test_a_case_goes_from_acceptance_to_closure_with_a_named_handler_and_an_urge(page, live_server, mini_city):
    _, case, _ = submit(mini_city, text="村里危房改造补助发给了村干部的亲戚", village=1, problem_type_number=5)
    page.set_viewport_size(PHONE)

    # The special governance office urges the case (督办) with a note and a date.
    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    page.locator("summary", has_text="督办").click()
    page.fill("textarea[name=note]", "群众多次来电反映,请十日内办结")
    page.fill("input[name=due_on]", (dt.date.today() + dt.timedelta(days=10)).isoformat())
    page.click("text=确定督办")
    page.wait_for_selector("text=已督办")
    assert CaseUrge.objects.filter(case=case, resolved_at__isnull=True).count() == 1

    # The township's head sees it at the top of the list and names the handler.
    _login(page, live_server, "township1")
    page.goto(f"{live_server.url}/desk/cases/")
    assert page.locator("[data-testid=urges]").get_by_text(case.number).is_visible()
    assert page.locator("table.cases-queue tbody tr").first.get_by_text("督办").is_visible()
    page.screenshot(path="/tmp/cases-queue-urged-phone.png", full_page=True)
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    page.select_option("[data-testid=assign-form] select[name=handler]", label="测试clerk1")
    page.click("[data-testid=assign-form] button")
    page.wait_for_selector("text=已指定承办人:测试clerk1")

    # The handler finds it among "my cases" and takes every step, named as an officer says it.
    _login(page, live_server, "clerk1")
    page.goto(f"{live_server.url}/desk/cases/?mine=1")
    page.click(f"text={case.number}")
    _step(page, "受理")
    _step(page, "初核")
    _step(page, "作出结论", finding="substantiated", conclusion="经核查,补助确被冒领,已责令退回。")
    _step(page, "答复举报人", result="您反映的问题属实,补助已退回并重新评定,感谢您的监督。")
    page.screenshot(path="/tmp/cases-detail-reply-phone.png", full_page=True)
    _step(page, "办结")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.handler == mini_city.accounts["clerk1"]
    assert case.result_for_reporter.startswith("您反映的问题属实")
    assert not CaseUrge.objects.filter(case=case, resolved_at__isnull=True).exists()  # the urge ends with the case
    assert page.locator("h1 small").inner_text().startswith("已办结")


def test_an_exposure_is_public_only_after_the_office_approves_it(page, live_server, mini_city):
    _, case, _ = submit(mini_city, text="村会计冒领低保金两万元", problem_type_number=16)
    case = to_concluded(case, mini_city.accounts["discipline"])
    page.set_viewport_size({"width": 1024, "height": 900})

    _login(page, live_server, "discipline")
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    page.click("text=拟通报曝光")
    page.fill("input[name=title]", "关于测试村1村会计冒领低保金问题的通报")
    page.fill("textarea[name=body]", "经查,村会计李德才冒领低保金2万元,受到党内警告处分。")
    page.fill("input[name=name_0]", "李德才")
    page.click("text=提交审核")
    page.wait_for_selector("text=通报已提交市专项治理办审核")
    page.goto(f"{live_server.url}/exposures/")
    assert page.get_by_text("关于测试村1村会计冒领低保金问题的通报").count() == 0

    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/desk/cases/")
    page.click("text=通报曝光审核")
    review = page.locator("section.card", has_text="关于测试村1村会计冒领低保金问题的通报")
    assert review.get_by_text("李**").count() >= 1
    page.screenshot(path="/tmp/cases-exposure-review.png", full_page=True)
    review.locator("button", has_text="审核通过并公开").click()
    page.wait_for_selector("text=通报已审核通过并公开发布")
    assert Exposure.objects.get(case=case).status == ExposureStatus.PUBLISHED

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/exposures/")
    page.click("text=关于测试村1村会计冒领低保金问题的通报")
    assert page.get_by_text("李**").count() >= 1 and page.get_by_text("李德才").count() == 0


def test_the_unit_picker_narrows_to_what_the_officer_types_and_keeps_the_likely_units_first(page, live_server,
                                                                                             mini_city):
    _, case, _ = submit(mini_city, village=1)
    services.case_transition(case=case, to=CaseStatus.SCREENING, actor=mini_city.accounts["township1"])
    page.set_viewport_size(PHONE)
    _login(page, live_server, "township1")
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    step = page.locator("details.cases-step", has=page.locator("summary", has_text="转办")).first
    step.locator("summary").click()
    select = step.locator("select[name=to_unit]")
    assert select.locator("optgroup").first.get_attribute("label") == "常用"
    assert "市纪委监委第一纪检监察室" in select.locator("optgroup").first.inner_text()
    search = step.locator("input[data-unit-search]")
    assert search.is_visible()  # shown by static/js/unit-picker.js (no inline script: the CSP forbids it)
    search.fill("农业")
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "市农业局"
    visible = select.evaluate("s => [...s.options].filter(o => !o.hidden && o.value).map(o => o.text)")
    assert visible == ["市农业局"]
    step.locator("button", has_text="确定:转办").click()
    page.wait_for_selector("text=已转办")
    assert Case.objects.get(pk=case.pk).handling_unit == mini_city.department
