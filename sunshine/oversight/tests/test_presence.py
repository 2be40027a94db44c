"""在岗抽查: a work-team member away twice this year is listed as 挂名/走读; a recall cites the checks."""
import datetime as dt

import pytest
from django.utils import timezone

from sunshine.cases.choices import CaseStatus
from sunshine.cases.tests.builders import submit, to_concluded
from sunshine.core.errors import ApplicationError, NotFound
from sunshine.org import services as org_services
from sunshine.org.choices import Post, UnitKind
from sunshine.oversight.models import PresenceCheck
from sunshine.oversight.selectors.presence import position_get_for_check, presence_overview
from sunshine.oversight.services.presence import presence_check_record, presence_recall

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(city):
    unit = org_services.unit_create(actor=None, name="市农业局驻测试村1工作队", kind=UnitKind.WORK_TEAM,
                                    territory=city.villages[0], parent=city.department)
    out = {}
    for name, post in (("队长甲", Post.WORK_TEAM_LEADER), ("队员乙", Post.WORK_TEAM_MEMBER)):
        person = org_services.person_create(actor=None, name=name, unit=unit)
        out[name] = org_services.position_start(actor=None, person=person, unit=unit, post=post, start_date=dt.date(2020, 1, 1))
    return out


def test_a_member_away_twice_is_listed_and_one_present_is_not(city, team):
    actor = city.accounts["township1"]
    today = timezone.localdate()
    day = today.replace(day=1)
    v = city.villages[0]
    presence_check_record(actor=actor, position=team["队员乙"], village=v, result="absent", checked_on=day)
    presence_check_record(actor=actor, position=team["队员乙"], village=v, result="commuting", checked_on=today)
    presence_check_record(actor=actor, position=team["队长甲"], village=v, result="present", checked_on=today)
    presence_check_record(actor=actor, position=team["队长甲"], village=v, result="on_leave", checked_on=day)
    rows = {r.person: r for r in presence_overview(actor=actor)}
    assert (rows["队员乙"].checks, rows["队员乙"].absences, rows["队员乙"].paper_only) == (2, 2, True)
    assert (rows["队长甲"].checks, rows["队长甲"].absences, rows["队长甲"].paper_only) == (2, 0, False)
    assert [r.person for r in presence_overview(actor=actor, flagged_only=True)] == ["队员乙"]
    with pytest.raises(NotFound):  # another township's officer cannot check this team
        position_get_for_check(actor=city.accounts["township2"], pk=team["队员乙"].pk, as_of=today)
    with pytest.raises(ApplicationError, match="结对帮扶"):
        presence_check_record(actor=actor, position=city.accounts["township1"].person.positions.first()
                              or org_services.position_start(actor=None, person=city.accounts["township1"].person,
                                                             unit=city.township_units[0], post=Post.STAFF,
                                                             start_date=dt.date(2020, 1, 1)),
                              village=v, result="absent", checked_on=today)


def test_a_recall_cites_the_presence_checks(city, team):
    office = city.accounts["office"]
    today = timezone.localdate()
    check = presence_check_record(actor=city.accounts["township1"], position=team["队员乙"], village=city.villages[0],
                                  result="absent", checked_on=today)
    _, case, _ = submit(city, village=0, text="驻村工作队员长期不在村")
    case = to_concluded(case, city.accounts["township1"])
    assert case.status == CaseStatus.CONCLUDED
    recall = presence_recall(actor=office, case=case, position=team["队员乙"], kind="work_team",
                             reason="长期不在岗", checks=[check])
    assert f"{today:%Y-%m-%d}不在岗" in recall.reason
    assert PresenceCheck.objects.get(pk=check.pk).recall == recall


def test_the_case_desk_recalls_from_the_presence_page_citing_the_checks(city, team, client, login):
    today = timezone.localdate()
    check = presence_check_record(actor=city.accounts["township1"], position=team["队员乙"], village=city.villages[0],
                                  result="absent", checked_on=today, note="电话称在县城")
    _, case, _ = submit(city, village=0, text="驻村工作队员长期不在村")
    case = to_concluded(case, city.accounts["township1"])
    login(city.accounts["office"])
    assert "查看在岗抽查并召回" in client.get(f"/desk/cases/{case.pk}/").content.decode()
    page = client.get(f"/desk/oversight/presence/recall/{case.pk}/").content.decode()
    assert "队员乙" in page and "电话称在县城" in page
    response = client.post(f"/desk/oversight/presence/recall/{case.pk}/", {
        "position": team["队员乙"].pk, "checks": [check.pk], "kind": "work_team", "reason": "挂名不在岗"})
    assert response.status_code == 302 and response["Location"] == f"/desk/cases/{case.pk}/"
    check.refresh_from_db()
    assert check.recall is not None and "挂名不在岗" in check.recall.reason
    team["队员乙"].refresh_from_db()
    assert team["队员乙"].end_date == today
