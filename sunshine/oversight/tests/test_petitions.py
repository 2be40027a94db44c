"""三(二)2 leader-led petitions: quotas counted by hand, 批示 shown to the handler, no close before the meeting."""
import datetime as dt

import pytest

from sunshine.cases.choices import CaseStatus
from sunshine.cases.errors import CasesErrorCode
from sunshine.cases.tests.builders import REAL_NAME, submit, walk
from sunshine.core.errors import ApplicationError, Forbidden
from sunshine.org.testing import make_account
from sunshine.oversight.errors import OversightErrorCode
from sunshine.oversight.selectors.petitions import petition_quotas
from sunshine.oversight.services.petitions import leader_assign, leader_instruct, meeting_record

from .builders_i13a import YEAR, leaders

pytestmark = pytest.mark.django_db
ASSIGNED = dt.date(YEAR, 3, 1)


def _to_reply(case, officer):
    return walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED, CaseStatus.REPLY)


def test_each_leader_is_counted_against_the_quota_of_the_post(city):
    office, officer = city.accounts["office"], city.accounts["township1"]
    people = leaders(city)
    cases = [submit(city)[1] for _ in range(4)]
    for case in cases[:3]:
        leader_assign(actor=office, case=case, leader=people["leader"], assigned_on=ASSIGNED)
    leader_assign(actor=office, case=cases[3], leader=people["mayor"], assigned_on=dt.date(YEAR, 8, 1))
    walk(_to_reply(cases[0], officer), officer, CaseStatus.CLOSED)  # anonymous: closes without a meeting
    rows = {r.person: r for r in petition_quotas(actor=office, year=YEAR)}
    # 书记甲 10, 市长乙 from 1 July: ceil(10 × 6/12) = 5, 领导丙 5.
    assert [(r.person, r.required, r.taken, r.in_progress, r.closed, r.short) for r in rows.values()] == [
        ("书记甲", 10, 0, 0, 0, 10), ("市长乙", 5, 1, 1, 0, 4), ("领导丙", 5, 3, 2, 1, 2)]


def test_only_a_sitting_city_leader_leads_and_a_case_is_led_once(city):
    office = city.accounts["office"]
    people = leaders(city)
    _, case, _ = submit(city)
    with pytest.raises(ApplicationError) as exc:
        leader_assign(actor=office, case=case, leader=city.accounts["township1"].person, assigned_on=ASSIGNED)
    assert exc.value.code == OversightErrorCode.NOT_A_LEADER
    with pytest.raises(ApplicationError, match="不是在任的市级领导"):
        leader_assign(actor=office, case=case, leader=people["mayor"], assigned_on=dt.date(YEAR, 6, 30))
    leader_assign(actor=office, case=case, leader=people["leader"], assigned_on=ASSIGNED)
    with pytest.raises(ApplicationError) as exc:
        leader_assign(actor=office, case=case, leader=people["secretary"], assigned_on=ASSIGNED)
    assert exc.value.code == OversightErrorCode.ALREADY_LED
    with pytest.raises(Forbidden):
        leader_assign(actor=city.accounts["township1"], case=submit(city)[1], leader=people["leader"])


def test_closing_a_led_real_name_case_is_refused_until_the_meeting_is_recorded(city):
    office, officer = city.accounts["office"], city.accounts["township1"]
    people = leaders(city)
    _, case, _ = submit(city, real_name=REAL_NAME)
    assignment = leader_assign(actor=office, case=case, leader=people["leader"], assigned_on=ASSIGNED)
    case = _to_reply(case, officer)
    with pytest.raises(ApplicationError) as exc:
        walk(case, officer, CaseStatus.CLOSED)
    assert exc.value.code == CasesErrorCode.CLOSE_REFUSED
    assert "上门见面" in str(exc.value) and "领导丙" in str(exc.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLY
    rows = {r.person: r for r in petition_quotas(actor=office, year=YEAR)}
    assert rows["领导丙"].awaiting_meeting == 1
    meeting_record(actor=office, assignment=assignment, met_on=dt.date(YEAR, 4, 2), place="测试村1村部",
                   attendees="领导丙、举报人、镇纪委书记", summary="当面听取举报人反映,告知办理进展")
    case = walk(case, officer, CaseStatus.CLOSED)
    assert case.status == CaseStatus.CLOSED
    assert {r.person: r for r in petition_quotas(actor=office, year=YEAR)}["领导丙"].awaiting_meeting == 0


def test_the_leaders_instruction_is_shown_to_the_handler_on_the_case_page(city, client, login):
    from sunshine.org.choices import Role

    office, officer = city.accounts["office"], city.accounts["township1"]
    people = leaders(city)
    _, case, _ = submit(city, real_name=REAL_NAME)
    assignment = leader_assign(actor=office, case=case, leader=people["leader"], assigned_on=ASSIGNED)
    leader_account = make_account("leader3", Role.CITY_LEADER, None)
    with pytest.raises(Forbidden):  # another city leader does not instruct on 领导丙's case
        leader_instruct(actor=leader_account, assignment=assignment, text="请抓紧办理")
    leader_account.person = people["leader"]
    leader_account.save()
    leader_instruct(actor=leader_account, assignment=assignment, text="请镇里十个工作日内查清低保名单问题")
    login(officer)
    page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "市领导领办:领导丙" in page
    assert "请镇里十个工作日内查清低保名单问题" in page
    assert "办结前须完成" in page


def test_the_case_desk_shows_why_the_close_was_refused(city, client, login):
    office, officer = city.accounts["office"], city.accounts["township1"]
    people = leaders(city)
    _, case, _ = submit(city, real_name=REAL_NAME)
    leader_assign(actor=office, case=case, leader=people["leader"], assigned_on=ASSIGNED)
    case = _to_reply(case, officer)
    login(officer)
    response = client.post(f"/desk/cases/{case.pk}/transition/", {"to": "closed"}, follow=True)
    page = response.content.decode()
    assert "不能办结" in page and "上门见面" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLY
