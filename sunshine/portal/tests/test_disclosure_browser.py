"""The public disclosure pages on a phone (360×740) in Debian's Chromium; screenshots in /tmp/portal-*.png."""
from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 360, "height": 740}


def _fits_the_screen(page) -> bool:
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _smallest_text_px(page) -> float:
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll('main *')]
        .filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")


def test_the_village_page_reads_well_on_a_phone(page, live_server, disclosed):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/funds/village/{disclosed.village.code}/")
    assert page.get_by_role("heading", name="测试村1").is_visible()
    assert page.get_by_text("收到的扶贫资金").first.is_visible()
    assert page.get_by_text("测试村1组道路硬化").is_visible()
    assert page.get_by_text("王小明 · 产业奖补").is_visible()
    assert page.get_by_text("已更正(第2版)").is_visible()
    assert _fits_the_screen(page)
    assert _smallest_text_px(page) >= 12
    page.screenshot(path="/tmp/portal-village.png", full_page=True)
    page.screenshot(path="/tmp/portal-village-top.png")


def test_a_household_checks_its_payments_on_a_phone(page, live_server, disclosed):
    wang = disclosed.households[0]
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    page.screenshot(path="/tmp/portal-home.png", full_page=True)
    page.get_by_text("查我家的扶贫资金").click()
    page.select_option("select[name=village]", disclosed.village.code)
    page.fill("input[name=name]", "王小明")
    page.fill("input[name=last4]", "0000" if wang.head_id_number[-4:] != "0000" else "1111")
    page.screenshot(path="/tmp/portal-check-form.png", full_page=True)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("未查到相符的记录").is_visible()
    page.screenshot(path="/tmp/portal-check-notfound.png", full_page=True)
    page.fill("input[name=name]", "王小明")
    page.fill("input[name=last4]", wang.head_id_number[-4:])
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("查询结果").is_visible()
    assert page.get_by_text("教育资助").is_visible()
    assert page.get_by_text("**** **** **** 3456").first.is_visible()
    assert page.get_by_text("有异议?").first.is_visible()
    assert _fits_the_screen(page)
    page.screenshot(path="/tmp/portal-check.png", full_page=True)


def test_a_printed_code_is_checked_and_leads_to_the_notice(page, live_server, disclosed):
    notice = disclosed.notices["payment:3"]
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/verify/")
    page.fill("input[name=code]", f"{notice.code[:5].lower()}-{notice.code[5:]}")
    page.get_by_role("button", name="核验").click()
    assert page.get_by_text("核验通过").is_visible()
    page.screenshot(path="/tmp/portal-verify.png", full_page=True)
    page.get_by_text("查看这份公示").click()
    assert page.get_by_text("这份公示与平台账本一致").is_visible()
    assert not page.get_by_text("本条摘要").first.is_visible()  # the digests wait behind the 技术细节 fold
    assert page.get_by_role("heading", name=notice.title).is_visible()
    assert page.get_by_text("本条已更正为").is_visible()
    assert _fits_the_screen(page)  # 64-character hashes wrap instead of widening the page
    page.screenshot(path="/tmp/portal-notice.png", full_page=True)


def test_paging_a_section_swaps_only_that_section(page, live_server, disclosed):
    from sunshine.funds.services.notices import notice_create, notice_publish
    from sunshine.funds.services.records import payment_create
    from sunshine.org.models import Account
    from sunshine.org.testing import make_household

    actor = Account.objects.get(username="township1")
    ids = [payment_create(actor=actor, household=make_household(disclosed.village, head_name=f"翻页户{n}"),
                          fund_item="光伏收益分配", amount="300.00", paid_on=timezone.localdate(),
                          bank_card=f"62170027100002{n:05d}").pk for n in range(12)]
    notice_publish(actor=actor, notice=notice_create(actor=actor, kind="payment", scope_region=disclosed.village,
                                                     record_ids=ids, starts_on=timezone.localdate()))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/funds/village/{disclosed.village.code}/")
    payments = page.locator("#payments")
    assert payments.get_by_text("第 1 页").is_visible()
    payments.get_by_text("下一页").click()
    payments.get_by_text("第 2 页").wait_for()
    assert page.url.endswith(f"/funds/village/{disclosed.village.code}/")  # swapped in place by HTMX
    assert page.get_by_role("heading", name="测试村1").is_visible()
    assert payments.get_by_text("王小明 · 教育资助").is_visible()
    page.screenshot(path="/tmp/portal-village-page2.png", full_page=True)
