"""The report form and status page in a real browser on a phone-sized screen (Debian's Chromium)."""
from __future__ import annotations

import io
import re

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect

from sunshine.cases import challenge, services
from sunshine.cases.choices import CaseStatus
from sunshine.cases.models import Attachment, Case, Message
from sunshine.cases.tests.builders import walk
from sunshine.org.testing import build_mini_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def mini_city(transactional_db, settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.cache import cache

    cache.clear()
    return build_mini_city()


def _answer(page) -> str:
    question = page.locator(".question").inner_text()
    a, op, b = re.match(r"(.+?)(加|减)(.+?)等于几", question).groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    return str(a + b if op == "加" else a - b)


def _photo(tmp_path):
    image = Image.new("RGB", (120, 90), "orange")
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (27.0, 44.0, 12.5), 3: "E", 4: (112.0, 31.0, 40.0)}
    path = tmp_path / "IMG_0001.jpg"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_a_villager_reports_on_a_phone_answers_a_question_and_reads_the_result(page, live_server, mini_city,
                                                                               tmp_path):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/report/")
    page.screenshot(path="/tmp/report-form.png", full_page=True)

    # Choosing the township swaps in its villages (HTMX); another township's villages disappear.
    page.select_option("select[name=township]", label="测试镇2")
    # (no wait_for_function: the page's CSP forbids evaluating strings, so wait on locators)
    expect(page.locator("#village option", has_text="测试村1")).to_have_count(0)
    expect(page.locator("#village option", has_text="测试村3")).to_have_count(1)
    page.select_option("select[name=township]", label="测试镇1")
    expect(page.locator("#village option", has_text="测试村1")).to_have_count(1)
    page.select_option("#village", label="测试村1")
    page.fill("input[name=about_person_name]", "村支书")
    page.fill("textarea[name=text]", "村支书把修村道的钱拿走了一大半，路只修到一半就停了。")
    page.set_input_files("input[name=attachments]", str(_photo(tmp_path)))
    page.fill("input[name=challenge_answer]", _answer(page))
    page.screenshot(path="/tmp/report-form-filled.png", full_page=True)
    page.click("button[type=submit]:has-text('提交')")

    page.wait_for_selector("#receipt-code")
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)
    assert page.get_by_text("只显示这一次", exact=False).is_visible()
    page.screenshot(path="/tmp/report-receipt.png", full_page=True)
    assert Attachment.objects.count() == 1

    case = Case.objects.get()
    handler = next(a for a in mini_city.accounts.values() if a.unit_id == case.handling_unit_id)
    services.handler_ask(case=case, actor=handler, text="请问路是哪一年修的？大概差了多少钱？")

    page.click("text=去查询页面")
    page.fill("input[name=receipt]", receipt.lower())
    page.click("button[type=submit]:has-text('查询')")
    page.wait_for_selector("text=请问路是哪一年修的")
    assert page.locator(".bubble.handler .tag").inner_text() == "新"
    page.screenshot(path="/tmp/report-status.png", full_page=True)

    page.fill("textarea[name=text]", "2025年秋天修的，听说少了三万多。")
    page.click("button[type=submit]:has-text('发送')")
    page.wait_for_selector("text=已收到您的补充")
    assert Message.objects.filter(side="reporter", text__startswith="2025年秋天").exists()
    page.screenshot(path="/tmp/report-status-answered.png", full_page=True)

    walk(case, handler, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED, CaseStatus.REPLY,
         CaseStatus.CLOSED, **{CaseStatus.REPLY: {"result": "经核查，反映属实：截留修路资金3.2万元，已责令退还。"}})
    page.goto(f"{live_server.url}/report/status/")
    page.fill("input[name=receipt]", receipt)
    page.click("button[type=submit]:has-text('查询')")
    page.wait_for_selector("text=办理结果")
    assert page.get_by_text("已责令退还", exact=False).is_visible()
    assert page.locator("textarea[name=text]").count() == 0
    page.screenshot(path="/tmp/report-status-closed.png", full_page=True)
    # Nothing on the phone's screen is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_wrong_answer_in_the_browser_keeps_the_text_and_asks_a_new_question(page, live_server, mini_city):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/report/")
    first_question = page.locator(".question").inner_text()
    page.fill("textarea[name=text]", "天天让我们填表")
    page.fill("input[name=challenge_answer]", str(int(_answer(page)) + 1))
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector("text=答案不对")
    assert page.locator("textarea[name=text]").input_value() == "天天让我们填表"
    assert page.locator(".question").inner_text() != first_question or page.locator(
        "input[name=challenge_token]").count() == 1
    page.screenshot(path="/tmp/report-form-wrong-answer.png", full_page=True)
    assert Case.objects.count() == 0


def test_the_real_name_part_says_what_real_name_means_and_is_optional(page, live_server, mini_city):
    from sunshine.cases.models import Report, ReporterIdentity

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/report/")
    assert not page.locator("input[name=phone]").is_visible()  # closed: anonymous is the default
    page.click("summary:has-text('实名举报')")
    assert page.get_by_text("领办此事的市领导可能上门与您见面", exact=False).is_visible()
    assert page.get_by_text("用短信告诉您", exact=False).is_visible()
    page.check("input[name=real_name]")
    page.fill("input[name=name]", "刘桂英")
    page.fill("input[name=phone]", "13812345678")
    page.fill("textarea[name=text]", "村主任把我家的低保给了他亲戚")
    page.fill("input[name=challenge_answer]", _answer(page))
    page.screenshot(path="/tmp/report-form-realname.png", full_page=True)
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector("#receipt-code")
    assert page.get_by_text("受理时和办结时会给您发短信", exact=False).is_visible()
    assert Report.objects.get().is_real_name and ReporterIdentity.objects.count() == 1
