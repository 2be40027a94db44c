"""Each figure against hand-counted records: cases by place and deadline (one became overdue), publication of
payments (one published late, one overdue unpublished), money on time (an allocation partly spent), SMS delivery;
jurisdiction and drill-down."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sunshine.cases.choices import CaseStatus
from sunshine.cases.tests.builders import submit, walk
from sunshine.core.workdays import add_working_days
from sunshine.funds.models import HouseholdPayment
from sunshine.funds.services import records
from sunshine.funds.services.spending import spending_create
from sunshine.funds.tests.factories import households
from sunshine.stats import registry
from sunshine.stats.figures import figures
from sunshine.stats.registry import Params

pytestmark = pytest.mark.django_db
D = dt.date


def _by_label(result) -> dict:
    return {r.label: r.values for r in result.rows}


def _backdate(case, received: dt.date):
    from sunshine.cases.models import CaseDeadline

    case.received_on = received
    case.save(update_fields=["received_on"])
    for d in CaseDeadline.objects.filter(case=case):
        d.starts_on = received
        d.due_on = add_working_days(received, d.working_days)
        d.save(update_fields=["starts_on", "due_on"])


def _three_cases(city):
    officer = city.accounts["township1"]
    _, overdue, _ = submit(city, village=0)
    _backdate(overdue, timezone.localdate() - dt.timedelta(days=30))  # its 5-working-day deadline has passed
    _, handled, _ = submit(city, village=1)
    walk(handled, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY)  # transfer deadline met on time
    _, other, _ = submit(city, village=2)
    return overdue, handled, other


def test_reports_by_township_count_cases_and_the_one_that_became_overdue(city):
    overdue, handled, other = _three_cases(city)
    office = city.accounts["office"]
    result = figures(registry.table("reports"), actor=office, params=Params())
    rows = _by_label(result)
    assert (rows["测试镇1"]["cases"], rows["测试镇1"]["overdue"], rows["测试镇1"]["open"]) == (2, 1, 2)
    assert (rows["测试镇2"]["cases"], rows["测试镇2"]["overdue"]) == (1, 0)
    assert result.total["cases"] == 3 and result.computed_at is not None
    township_row = next(r for r in result.rows if r.label == "测试镇1")
    assert f"region={city.townships[0].pk}" in township_row.drill_url
    assert f"township={city.townships[0].pk}" in township_row.list_url

    villages = figures(registry.table("reports"), actor=office, params=Params(region_id=city.townships[0].pk))
    assert {r.label: r.values["cases"] for r in villages.rows} == {"测试村1": 1, "测试村2": 1}
    assert [label for label, _ in villages.breadcrumbs] == ["全市", "测试镇1"]


def test_a_township_sees_only_its_own_cases_and_the_city_leader_sees_all(city):
    _three_cases(city)
    mine = figures(registry.table("reports"), actor=city.accounts["township2"], params=Params())
    assert mine.total["cases"] == 1 and [r.label for r in mine.rows] == ["测试村3"]
    leader = figures(registry.table("reports"), actor=city.accounts["leader"], params=Params())
    assert leader.total["cases"] == 3


def test_deadlines_on_time_overdue_and_pending(city):
    _three_cases(city)
    result = figures(registry.table("deadlines"), actor=city.accounts["office"], params=Params(dim="deadline"))
    transfer = _by_label(result)["甄别移送"]
    assert (transfer["deadlines"], transfer["on_time"], transfer["late"], transfer["overdue"],
            transfer["pending"]) == (3, 1, 0, 1, 1)
    assert transfer["on_time_rate"] == 100.0


def test_reports_by_channel_stage_and_problem_group(city):
    _three_cases(city)
    office = city.accounts["office"]
    by_stage = _by_label(figures(registry.table("reports"), actor=office, params=Params(dim="stage")))
    assert by_stage["初步核实"]["cases"] == 1 and sum(v["cases"] for v in by_stage.values()) == 3
    by_channel = _by_label(figures(registry.table("reports"), actor=office, params=Params(dim="channel")))
    assert by_channel == {"网上举报": by_channel["网上举报"]} and by_channel["网上举报"]["cases"] == 3


def _payments(city):
    actor = city.accounts["township1"]
    hh = households(city, 3)
    made = [records.payment_create(actor=actor, household=h, fund_item="产业奖补", amount="1000.00",
                                   paid_on=paid, bank_card=f"62170000000000{i:05d}")
            for i, (h, paid) in enumerate(zip(hh, ["2026-03-01", "2026-03-01", "2026-03-01"], strict=True))]
    # Published 5 days after payment (within the 30-day due date), 40 days after (late), never (overdue).
    tz = timezone.get_current_timezone()
    HouseholdPayment.objects.filter(pk=made[0].pk).update(published_at=dt.datetime(2026, 3, 6, 10, tzinfo=tz))
    HouseholdPayment.objects.filter(pk=made[1].pk).update(published_at=dt.datetime(2026, 4, 10, 10, tzinfo=tz))
    return made


def test_disclosure_share_lateness_and_lag_of_payments(city):
    _payments(city)
    result = figures(registry.table("disclosure"), actor=city.accounts["office"], params=Params())
    t1 = _by_label(result)["测试镇1"]
    assert (t1["payments"], t1["payments_published"], t1["payments_late"], t1["payments_overdue"]) == (3, 2, 1, 1)
    assert t1["payments_share"] == 66.7 and t1["lag"] == 22.5  # (5 + 40) / 2 days
    assert "测试镇2" not in _by_label(result)


def test_money_on_time_with_an_allocation_partly_spent(city):
    from sunshine.funds.tests.test_i14_spending import _accepted_project

    actor = city.accounts["township1"]
    project, allocation = _accepted_project(city)  # 200,000 on 2026-01-20 to the project in 测试村1
    spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑", paid_on="2026-06-10",
                    amount="150000")
    params = Params(today=D(2026, 6, 30))  # the plan's 90 idle days: allocations up to 2026-04-01 count
    t1 = _by_label(figures(registry.table("money"), actor=city.accounts["office"], params=params))["测试镇1"]
    assert (t1["allocated"], t1["paid_projects"], t1["paid_households"]) == (Decimal("200000"), Decimal("150000"),
                                                                            Decimal("0"))
    assert (t1["idle_count"], t1["idle_amount"], t1["paid_share"]) == (1, Decimal("50000"), 75.0)
    spend = _by_label(figures(registry.table("spending"), actor=city.accounts["office"], params=Params()))["测试镇1"]
    assert (spend["projects"], spend["paid"], spend["remaining"], spend["before_acceptance"]) == (
        1, Decimal("150000"), Decimal("50000"), 0)
    by_item = _by_label(figures(registry.table("money"), actor=city.accounts["office"],
                                params=Params(dim="fund_item", today=D(2026, 6, 30))))
    assert by_item["衔接资金"]["allocated"] == Decimal("200000")


def test_sms_delivery_and_households_without_a_working_phone(city):
    from sunshine.notify.models import SmsMessage
    from sunshine.org.testing import make_household

    actor = city.accounts["township1"]
    with_phone = households(city, 2)
    no_phone = make_household(city.villages[0], head_name="无电话", phone="")
    for i, h in enumerate([*with_phone, no_phone]):
        records.payment_create(actor=actor, household=h, fund_item="产业奖补", amount="100", paid_on="2026-03-01",
                               bank_card=f"62170000000000{i:05d}")
    first = SmsMessage.objects.filter(phone=with_phone[0].phone).get()
    SmsMessage.objects.filter(pk=first.pk).update(status="delivered")
    SmsMessage.objects.filter(phone=with_phone[1].phone).update(status="failed", last_error="运营商:空号")
    t1 = _by_label(figures(registry.table("sms"), actor=city.accounts["office"], params=Params()))["测试镇1"]
    assert (t1["messages"], t1["delivered"], t1["failed_no_phone"], t1["failed_number"]) == (3, 1, 1, 1)
    assert (t1["households_no_phone"], t1["households_failed"]) == (1, 1)


def test_a_discipline_room_sees_the_cases_of_the_units_it_supervises_by_township(city):
    _three_cases(city)
    room = city.accounts["discipline"]  # supervises 测试镇1人民政府 only
    result = figures(registry.table("reports"), actor=room, params=Params())
    # Its scope is the supervised unit's territory, so its figures open at that township's villages.
    assert {r.label: r.values["cases"] for r in result.rows} == {"测试村1": 1, "测试村2": 1}
    units = figures(registry.table("reports"), actor=room, params=Params(dim="unit"))
    assert [(r.label, r.values["cases"]) for r in units.rows] == [("测试镇1人民政府", 2)]
    assert f"unit={city.township_units[0].pk}" in units.rows[0].list_url
