"""整改 items from any source: done, 回头看 confirm/reopen, overdue escalation once per deadline; visit findings."""
import datetime as dt

import pytest

from sunshine.cases.models import Report
from sunshine.core.errors import ApplicationError
from sunshine.oversight.choices import FindingAction, RectificationStatus
from sunshine.oversight.models import RectificationAlert, RectificationItem
from sunshine.oversight.selectors.rectifications import rectification_list
from sunshine.oversight.services.rectifications import (
    rectification_create,
    rectification_follow_up,
    rectification_report_done,
    rectifications_check,
)

from .builders_i13a import YEAR, YEAR_END, visit

pytestmark = pytest.mark.django_db
TODAY = dt.date(YEAR, 5, 1)


def _item(city, **kwargs):
    kwargs.setdefault("deadline", dt.date(YEAR, 5, 31))
    return rectification_create(actor=city.accounts["office"], source_kind="inspection", source_id=7,
                                title="村务公开栏未公示2025年项目", owner_unit=city.village_units[0],
                                region=city.villages[0], today=TODAY, **kwargs)


def test_an_overdue_item_escalates_once_to_the_owner_its_superior_and_the_office(city):
    item = _item(city)
    assert rectifications_check(today=dt.date(YEAR, 5, 31)).escalations == 0  # due today: not yet overdue
    assert rectifications_check(today=dt.date(YEAR, 6, 1)).escalations == 1
    assert rectifications_check(today=dt.date(YEAR, 6, 2)).escalations == 0  # once per deadline
    alert = RectificationAlert.objects.get(item=item)
    assert {u.name for u in alert.units.all()} == {"测试村1村委会", "测试镇1人民政府", "市专项治理办"}
    assert "2025-05-31" in alert.message


def test_done_then_reopened_at_the_follow_up_then_confirmed(city):
    item = _item(city)
    village, office = city.accounts["village1"], city.accounts["office"]
    with pytest.raises(ApplicationError, match="责任单位"):
        rectification_report_done(actor=city.accounts["township2"], item=item, evidence="已公示")
    item = rectification_report_done(actor=village, item=item, evidence="已在公开栏张贴", done_on=dt.date(YEAR, 5, 20))
    assert item.status == RectificationStatus.DONE
    with pytest.raises(ApplicationError, match="新期限"):
        rectification_follow_up(actor=office, item=item, outcome="reopen", note="张贴不全", today=dt.date(YEAR, 6, 1))
    rectification_follow_up(actor=office, item=item, outcome="reopen", note="张贴不全,缺少资金明细",
                            new_deadline=dt.date(YEAR, 6, 30), today=dt.date(YEAR, 6, 1))
    item.refresh_from_db()
    assert (item.status, item.deadline, item.reopened_count, item.done_on) == (
        RectificationStatus.OPEN, dt.date(YEAR, 6, 30), 1, None)
    assert rectifications_check(today=dt.date(YEAR, 7, 1)).escalations == 1  # the new deadline escalates too
    rectification_report_done(actor=village, item=item, evidence="补充张贴资金明细", done_on=dt.date(YEAR, 7, 2))
    rectification_follow_up(actor=office, item=item, outcome="confirm", note="已核实", today=dt.date(YEAR, 7, 10))
    item.refresh_from_db()
    assert (item.status, item.confirmed_on) == (RectificationStatus.CONFIRMED, dt.date(YEAR, 7, 10))
    with pytest.raises(ApplicationError):
        rectification_follow_up(actor=office, item=item, outcome="confirm", note="再次", today=dt.date(YEAR, 7, 11))


def test_items_are_scoped_to_the_owner_and_its_territory(city):
    _item(city)
    assert rectification_list(actor=city.accounts["township1"]).count() == 1
    assert rectification_list(actor=city.accounts["township2"]).count() == 0
    assert rectification_list(actor=city.accounts["office"], overdue=True, today=dt.date(YEAR, 6, 1)).count() == 1


def test_a_visit_finding_becomes_a_report_or_an_item_in_one_step(city):
    office = city.accounts["office"]
    person = office.person
    v = visit(office, person, city.villages[0], dt.date(YEAR, 10, 1), findings="低保评审未经村民代表会议",
              action=FindingAction.REPORT)
    report = Report.objects.get(pk=v.report_id)
    assert report.channel == "visit" and "低保评审未经村民代表会议" in report.text
    assert report.cases.get().handling_unit == city.township_units[0]
    v2 = visit(office, person, city.villages[0], dt.date(YEAR, 10, 2), findings="扶贫项目公示缺失",
               action=FindingAction.RECTIFICATION, rectification_deadline=YEAR_END)
    item = RectificationItem.objects.get(source_kind="visit", source_id=v2.pk)
    assert (item.owner_unit, item.deadline, item.title) == (city.village_units[0], YEAR_END, "扶贫项目公示缺失")
    with pytest.raises(ApplicationError, match="发现问题"):
        visit(office, person, city.villages[0], dt.date(YEAR, 10, 3), action=FindingAction.RECTIFICATION)
