"""Staff pages of the report desk: each role sees its own cases, other jurisdictions get 404, anonymous logs in."""
import pytest
from django.urls import reverse

from sunshine.cases import services
from sunshine.cases.choices import CaseStatus
from sunshine.cases.models import IdentityAccessLog, Report

from .builders import REAL_NAME, submit, to_concluded

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client, city):
    _, case, _ = submit(city)
    for url in (reverse("desk:cases"), reverse("desk:case", args=[case.pk]), reverse("desk:case_enter"),
                reverse("desk:cases_identity_log")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("desk:login") in response["Location"]


def test_the_queue_lists_the_officers_cases_with_poverty_clues_first(login, city):
    _, normal, _ = submit(city, village=1, text="请问村部周末几点开门")
    _, poor, _ = submit(city, village=0)
    page = login(city.accounts["township1"]).get(reverse("desk:cases")).content.decode()
    assert page.index(poor.number) < page.index(normal.number)


def test_another_townships_officer_gets_404_on_the_case_page(login, city):
    _, case, _ = submit(city, village=0)
    client = login(city.accounts["township2"])
    assert client.get(reverse("desk:case", args=[case.pk])).status_code == 404
    assert client.post(reverse("desk:case_transition", args=[case.pk]), {"to": "screening"}).status_code == 404
    assert case.number not in client.get(reverse("desk:cases")).content.decode()


def test_the_handler_moves_the_case_with_buttons_named_as_the_officer_says_them(login, city):
    _, case, _ = submit(city)
    client = login(city.accounts["township1"])
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "确定：受理" in page and "5个工作日内决定转办或初核" in page  # the one next step, and what it does
    response = client.post(reverse("desk:case_transition", args=[case.pk]), {"to": "screening"}, follow=True)
    assert "已受理" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING


def test_a_refused_step_shows_its_message_on_the_case_page(login, city):
    _, case, _ = submit(city)
    response = login(city.accounts["township1"]).post(reverse("desk:case_transition", args=[case.pk]),
                                                      {"to": "closed"}, follow=True)
    assert response.status_code == 200 and "不能从" in response.content.decode()


def test_staff_enter_a_hotline_report_and_see_its_receipt_once(login, city):
    client = login(city.accounts["township1"])
    response = client.post(reverse("desk:case_enter"), {
        "channel": "hotline", "text": "来电反映：村里危房改造补助被村干部亲戚占了", "region": city.villages[1].pk})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    report = Report.objects.get()
    assert (report.channel, report.entered_by, report.received_by) == ("hotline", city.accounts["township1"],
                                                                      city.township_units[0])
    assert report.receipt_hint in response.content.decode()


def test_a_village_grid_worker_can_enter_but_not_open_the_desk_queue(login, city):
    client = login(city.accounts["village1"])
    response = client.post(reverse("desk:case_enter"), {"channel": "grid_worker", "text": "网格员走访时群众反映低保不公",
                                                        "region": city.villages[0].pk})
    assert response.status_code == 200 and Report.objects.filter(channel="grid_worker").exists()
    assert client.get(reverse("desk:cases")).status_code == 403


def test_the_identity_page_needs_a_reason_and_logs_the_read(login, city):
    _, case, _ = submit(city, problem_type_number=16, real_name=REAL_NAME)
    client = login(city.accounts["discipline"])
    url = reverse("desk:case_identity", args=[case.pk])
    assert REAL_NAME["name"] not in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "约谈举报人核实线索"})
    assert REAL_NAME["name"] in response.content.decode() and response["Cache-Control"] == "no-store"
    assert IdentityAccessLog.objects.count() == 1


def test_a_township_officer_cannot_open_the_identity_page(login, city):
    _, case, _ = submit(city, real_name=REAL_NAME)
    response = login(city.accounts["township1"]).post(reverse("desk:case_identity", args=[case.pk]),
                                                      {"reason": "想知道是谁"})
    assert response.status_code == 403
    assert not IdentityAccessLog.objects.exists()


def test_the_case_page_never_shows_the_reporters_identity(login, city):
    _, case, _ = submit(city, problem_type_number=16, real_name=REAL_NAME)
    for who in ("discipline", "office"):
        page = login(city.accounts[who]).get(reverse("desk:case", args=[case.pk])).content.decode()
        assert REAL_NAME["name"] not in page and REAL_NAME["phone"] not in page


def test_the_office_sees_every_copied_clue_and_the_identity_access_log(login, city):
    _, case, _ = submit(city, problem_type_number=16, real_name=REAL_NAME)
    services.identity_read(case=case, actor=city.accounts["discipline"], reason="核实线索需要")
    client = login(city.accounts["office"])
    assert case.number in client.get(reverse("desk:cases_copies")).content.decode()
    log = client.get(reverse("desk:cases_identity_log")).content.decode()
    assert "核实线索需要" in log and case.number in log


def test_only_the_office_opens_the_identity_access_log(login, city):
    assert login(city.accounts["discipline"]).get(reverse("desk:cases_identity_log")).status_code == 403


def test_the_overdue_list_and_the_home_panel_show_late_cases(login, city):
    _, case, _ = submit(city)
    case.deadlines.update(due_on="2025-10-10", starts_on="2025-09-26")
    client = login(city.accounts["township1"])
    assert case.number in client.get(reverse("desk:cases_overdue")).content.decode()
    assert "举报与案件" in client.get(reverse("desk:home")).content.decode()


def test_recording_a_recovery_and_a_return_from_the_case_page(login, city):
    from sunshine.org.testing import make_household

    _, case, _ = submit(city, problem_type_number=16)
    case = to_concluded(case, city.accounts["discipline"])
    client = login(city.accounts["discipline"])
    client.post(reverse("desk:case_recovery", args=[case.pk]), {"amount": "3000", "recovered_on": "2025-11-01"})
    recovery = case.recoveries.get()
    household = make_household(city.villages[0])
    response = client.post(reverse("desk:case_fund_return", args=[case.pk, recovery.pk]), {
        "household_code": household.code, "amount": "3000", "returned_on": "2025-11-05"}, follow=True)
    assert "返还已登记" in response.content.decode()
    assert "已全部返还" in client.get(reverse("desk:cases_recoveries")).content.decode()


def test_an_exposure_proposed_from_the_desk_is_public_only_once_the_office_approves_it(client, login, city):
    _, case, _ = submit(city, problem_type_number=16)
    case = to_concluded(case, city.accounts["discipline"])
    response = login(city.accounts["discipline"]).post(reverse("desk:case_exposure", args=[case.pk]), {
        "title": "关于某村会计冒领低保金的通报", "body": "经查，李会计冒领低保金。", "name_0": "李会计"}, follow=True)
    assert "通报已提交市专项治理办审核" in response.content.decode()
    assert "李*" in case.exposure.body and "李会计" not in case.exposure.body
    assert "关于某村会计冒领低保金的通报" not in client.get(reverse("portal:exposure_list")).content.decode()
    office = login(city.accounts["office"])
    assert "关于某村会计冒领低保金的通报" in office.get(reverse("desk:cases_exposure_reviews")).content.decode()
    response = office.post(reverse("desk:case_exposure_review", args=[case.exposure.pk]), {"decision": "approve"},
                           follow=True)
    assert "通报已审核通过并公开发布" in response.content.decode()
    client.logout()
    assert "关于某村会计冒领低保金的通报" in client.get(reverse("portal:exposure_list")).content.decode()


def test_marking_a_report_as_a_duplicate_of_an_earlier_case_by_its_number(login, city):
    first, first_case, _ = submit(city)
    second, second_case, _ = submit(city, text="又一次反映低保名单优亲厚友的问题")
    response = login(city.accounts["township1"]).post(reverse("desk:case_duplicate", args=[second_case.pk]),
                                                      {"other_case": first_case.number}, follow=True)
    assert "已标记为重复举报" in response.content.decode()
    second.refresh_from_db()
    assert second.duplicate_of == first
