"""Browsing township → village: only published records, corrections with both versions, small cached pages."""
from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _village_url(village):
    return reverse("portal:funds_village", args=[village.code])


def test_the_township_index_lists_every_township_with_its_village_count(client, city):
    html = client.get(reverse("portal:funds_townships")).content.decode()
    assert "测试镇1" in html and "测试镇2" in html
    assert "2 个村(社区)" in html


def test_a_township_page_lists_its_villages_and_the_allocations_it_received(client, disclosed):
    html = client.get(reverse("portal:funds_township", args=[disclosed.township.code])).content.decode()
    assert "测试村1" in html and "测试村2" in html
    assert "测试村3" not in html
    assert "以工代赈资金" in html and "¥200,000.00" in html
    assert disclosed.notices["allocation:2"].code in html


def test_the_village_page_shows_allocations_projects_account_and_payments(client, disclosed):
    html = client.get(_village_url(disclosed.village)).content.decode()
    assert "产业发展资金" in html and "¥50,000.00" in html
    assert "测试村1组道路硬化" in html and "已审批" in html and "¥180,000.00" in html
    assert "收县级产业发展资金" in html and "¥78,800.00" in html
    assert "产业奖补" in html and "教育资助" in html
    for notice in disclosed.notices.values():
        assert notice.code in html  # the township's allocation notice too


def test_an_unpublished_record_never_appears_publicly(client, disclosed):
    html = client.get(_village_url(disclosed.village)).content.decode()
    assert "赵未公" not in html
    assert "999.00" not in html
    api = client.get(f"/api/v1/public/villages/{disclosed.village.code}/payments").json()
    assert disclosed.draft_payment.pk not in {p["id"] for p in api["items"]}


def test_a_correction_shows_the_new_version_the_old_one_and_the_reason(client, disclosed):
    html = client.get(_village_url(disclosed.village)).content.decode()
    assert "已更正(第2版)" in html
    assert "金额录入错误,应为1200元" in html
    assert "<s>李大山 产业奖补 ¥1,500.00" in html


def test_an_unknown_village_or_township_is_a_404_page(client, city):
    assert client.get(reverse("portal:funds_village", args=["999999999999"])).status_code == 404
    assert client.get(reverse("portal:funds_township", args=[city.villages[0].code])).status_code == 404


def test_anonymous_pages_may_be_cached_for_a_minute(client, disclosed):
    for url in [reverse("portal:home"), reverse("portal:funds_townships"), _village_url(disclosed.village),
                reverse("portal:funds_notice", args=[disclosed.notices["payment:3"].code])]:
        cache_control = client.get(url)["Cache-Control"]
        assert "public" in cache_control and "max-age=60" in cache_control, url


def test_a_signed_in_staff_member_gets_no_shared_cache_headers(client, disclosed, login):
    login(disclosed_actor())
    cache_control = client.get(_village_url(disclosed.village))["Cache-Control"]
    assert "public" not in cache_control and "private" in cache_control


# village 1, summary 3, one page each of allocations 1, projects 2 (+ their money), transactions 1, payments 2
# (+ their notice codes) and notices 1; a corrected payment on the page adds 2 to find its notice's code.
VILLAGE_PAGE_MAX_QUERIES = 13


def test_the_village_page_needs_a_bounded_number_of_queries(client, disclosed, django_assert_max_num_queries):
    from django.utils import timezone

    from sunshine.funds.services.notices import notice_create, notice_publish
    from sunshine.funds.services.records import payment_create
    from sunshine.org.testing import make_household

    with django_assert_max_num_queries(VILLAGE_PAGE_MAX_QUERIES):
        assert client.get(_village_url(disclosed.village)).status_code == 200
    actor = disclosed_actor()
    ids = []
    for n in range(30):  # three more pages of payments: the page must not grow with them
        household = make_household(disclosed.village, head_name=f"测试户{n}")
        ids.append(payment_create(actor=actor, household=household, fund_item="产业奖补", amount="100.00",
                                  paid_on=timezone.localdate(), bank_card=f"62170027100001{n:05d}").pk)
    notice_publish(actor=actor, notice=notice_create(actor=actor, kind="payment", scope_region=disclosed.village,
                                                     record_ids=ids, starts_on=timezone.localdate()))
    for page in ("1", "3"):
        with django_assert_max_num_queries(VILLAGE_PAGE_MAX_QUERIES):
            response = client.get(_village_url(disclosed.village), {"payments": page})
        assert response.status_code == 200
    assert "测试户" in response.content.decode()


def disclosed_actor():
    from sunshine.org.models import Account

    return Account.objects.get(username="township1")


def test_paging_a_section_with_htmx_returns_only_that_section(client, disclosed):
    response = client.get(_village_url(disclosed.village) + "?payments=1", HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="payments")
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="payments">')
    assert "<html" not in html


def test_the_notice_page_lists_its_records_its_ledger_entries_and_a_passing_live_check(client, disclosed):
    notice = disclosed.notices["payment:3"]
    html = client.get(reverse("portal:funds_notice", args=[notice.code])).content.decode()
    entry = notice.ledger_entries.order_by("seq").first()
    assert "这份公示与平台账本一致" in html and "技术细节" in html
    assert entry.entry_hash in html and entry.prev_hash in html
    assert f"第 {entry.seq} 条" in html
    assert "王小明 · 产业奖补" in html
    assert "本条已更正为" in html and "金额录入错误" in html  # the correction entry was added to this notice
    assert notice.ledger_entries.count() == 2


def test_a_notice_changed_behind_the_ledgers_back_fails_its_live_check(client, disclosed):
    from sunshine.funds.models import HouseholdPayment

    HouseholdPayment.objects.filter(pk=disclosed.payments[0].pk).update(amount="9999.00")  # a silent edit
    notice = disclosed.notices["payment:3"]
    html = client.get(reverse("portal:funds_notice", args=[notice.code])).content.decode()
    assert "对不上" in html
    assert "被改动" in html


def test_a_draft_notice_has_no_public_page(client, disclosed):
    from django.utils import timezone

    from sunshine.funds.services.notices import notice_create

    draft = notice_create(actor=disclosed_actor(), kind="payment", scope_region=disclosed.village,
                          record_ids=[disclosed.draft_payment.pk], starts_on=timezone.localdate())
    assert draft.code == ""
    assert client.get(reverse("portal:funds_notice", args=["X"])).status_code == 404
    assert "赵未公" not in client.get(_village_url(disclosed.village)).content.decode()


def test_anyone_can_type_a_printed_code_and_get_the_notice_checked(client, disclosed):
    notice = disclosed.notices["transaction:3"]
    typed = f" {notice.code[:5].lower()}-{notice.code[5:]} "  # as copied from a bulletin board
    html = client.get(reverse("portal:funds_verify"), {"code": typed}).content.decode()
    assert "核验通过" in html
    assert reverse("portal:funds_notice", args=[notice.code]) in html


def test_a_correction_entrys_code_also_leads_to_its_notice(client, disclosed):
    notice = disclosed.notices["payment:3"]
    correction_code = notice.ledger_entries.order_by("-seq").first().code
    response = client.get(reverse("portal:funds_notice", args=[correction_code]))
    assert response.status_code == 200
    assert notice.title in response.content.decode()


def test_an_unknown_code_says_so_plainly(client, city):
    html = client.get(reverse("portal:funds_verify"), {"code": "ZZZZZZZZZZ"}).content.decode()
    assert "没有这个核验码的公示" in html


def test_the_objection_link_falls_back_to_the_hotline_page_without_the_report_form(client, disclosed, settings):
    settings.ROOT_URLCONF = "sunshine.portal.tests.urls_without_report_form"
    html = client.get(_village_url(disclosed.village)).content.decode()
    href = f"/objection/?about_type=funds.payment&amp;about_id={disclosed.payments[0].pk}"
    assert href in html
    page = client.get(href.replace("&amp;", "&")).content.decode()
    assert "0731-12388" in page and "纪" in page
    assert "王小明 产业奖补 ¥1,500.00" in page


def test_the_objection_link_goes_to_the_report_form_when_it_exists(client, disclosed):
    html = client.get(_village_url(disclosed.village)).content.decode()
    report = reverse("portal:report_new")
    assert f"{report}?about_type=funds.payment&amp;about_id={disclosed.payments[0].pk}" in html


def test_the_objection_page_describes_no_unpublished_record(client, disclosed):
    page = client.get(f"/objection/?about_type=funds.payment&about_id={disclosed.draft_payment.pk}")
    assert "赵未公" not in page.content.decode()
