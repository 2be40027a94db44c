"""An overdue rectification item sends one SMS per deadline to the owner unit's responsible person, through the
notify outbox with an idempotency key, the way a case's deadline escalation does."""
import datetime as dt

import pytest

from sunshine.notify.models import SmsMessage
from sunshine.org import services as org_services
from sunshine.org.models import Position
from sunshine.oversight.services.rectifications import (
    rectification_create,
    rectification_follow_up,
    rectification_report_done,
    rectifications_check,
)

from .builders_i13a import YEAR

pytestmark = pytest.mark.django_db


def _holder(unit, name: str, phone: str, post: str, end_date=None):
    person = org_services.person_create(actor=None, name=name, unit=unit, phone=phone)
    Position.objects.create(person=person, unit=unit, post=post, start_date=dt.date(YEAR - 3, 1, 1),
                            end_date=end_date)
    return person


def test_an_overdue_item_texts_the_owner_units_party_secretary_once_per_deadline(city):
    unit = city.village_units[0]
    secretary = _holder(unit, "李书记", "13800000001", "village_secretary")
    _holder(unit, "王主任", "13800000002", "village_director")  # not the one in charge
    _holder(unit, "前任书记", "13800000003", "village_secretary", end_date=dt.date(YEAR - 1, 1, 1))  # left
    _holder(city.village_units[1], "邻村书记", "13800000004", "village_secretary")  # another unit
    item = rectification_create(actor=city.accounts["office"], source_kind="inspection", source_id=7,
                                title="村务公开栏未公示2025年项目", owner_unit=unit, region=city.villages[0],
                                deadline=dt.date(YEAR, 5, 31), today=dt.date(YEAR, 5, 1))
    assert rectifications_check(today=dt.date(YEAR, 5, 31)).escalations == 0
    assert SmsMessage.objects.count() == 0  # not overdue yet: nothing sent
    assert rectifications_check(today=dt.date(YEAR, 6, 1)).escalations == 1
    assert rectifications_check(today=dt.date(YEAR, 6, 2)).escalations == 0
    sms = SmsMessage.objects.get()
    assert (sms.phone, sms.template_code, sms.related_type, sms.related_id) == (
        "13800000001", "rectification_overdue", "oversight.rectificationitem", item.pk)
    assert sms.idempotency_key == f"oversight:rectification:{item.pk}:{YEAR}0531:{secretary.pk}"
    # reported done, reopened at the 回头看 with a new deadline: that deadline, once overdue, texts again
    item = rectification_report_done(actor=city.accounts["village1"], item=item, evidence="已张贴",
                                     done_on=dt.date(YEAR, 6, 3))
    rectification_follow_up(actor=city.accounts["office"], item=item, outcome="reopen", note="缺少资金明细",
                            new_deadline=dt.date(YEAR, 6, 30), today=dt.date(YEAR, 6, 4))
    assert rectifications_check(today=dt.date(YEAR, 7, 1)).escalations == 1
    assert sorted(SmsMessage.objects.values_list("idempotency_key", flat=True)) == [
        f"oversight:rectification:{item.pk}:{YEAR}0531:{secretary.pk}",
        f"oversight:rectification:{item.pk}:{YEAR}0630:{secretary.pk}"]
