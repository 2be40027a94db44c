"""三(二)1 visit quotas, computed from the visit records, with the "who is behind" list counted by hand.

The mini city: 测试镇1 has 测试村1 (poor) and 测试村2; 测试镇2 has 测试村3 (poor) and 测试村4. In 2025 测试村3 left
the poor list on 30 June (it still counts for 2025) and 测试村4 left in 2024 (it does not count): the 2025 poor
villages are 测试村1 and 测试村3.
"""
import datetime as dt

import pytest

from sunshine.core.errors import ApplicationError, Forbidden
from sunshine.core.plan import plan_value_set
from sunshine.org.choices import Post
from sunshine.org.testing import make_household
from sunshine.oversight import plan
from sunshine.oversight.selectors._year import months_in_post, pro_rated, year_of
from sunshine.oversight.selectors.visits import visit_quotas

from .builders_i13a import YEAR, appoint, leaders, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(city):
    office = city.accounts["office"]
    v1, v2, v3, v4 = city.villages
    v3.poor_exited_on = dt.date(YEAR, 6, 30)
    v3.is_poor_village = False
    v3.save()
    v4.poor_exited_on = dt.date(2024, 5, 1)
    v4.save()
    people = leaders(city)
    people["principal"] = appoint("局长丁", city.department, Post.PRINCIPAL, dt.date(YEAR, 12, 15))
    people["t_secretary"] = appoint("书记戊", city.township_units[0], Post.TOWNSHIP_SECRETARY, dt.date(2018, 1, 1))
    people["t_head"] = appoint("镇长己", city.township_units[0], Post.TOWNSHIP_HEAD, dt.date(2018, 1, 1))
    people["v_secretary"] = appoint("支书庚", city.village_units[0], Post.VILLAGE_SECRETARY, dt.date(2016, 1, 1))
    homes = {
        "poor": make_household(v1, head_name="王一", status="poor", year=2016),
        "exited_this_year": make_household(v1, head_name="王二", status="exited", year=YEAR),
        "exited_before": make_household(v1, head_name="王三", status="exited", year=2023),
        "monitored": make_household(v1, head_name="王四", status="monitored", year=2021),
    }
    p = people
    for _ in range(3):
        visit(office, p["secretary"], v1, dt.date(YEAR, 3, 1))
    visit(office, p["secretary"], v2, dt.date(YEAR, 4, 1))  # 4 visits; poor villages: 测试村1 only
    visit(office, p["mayor"], v3, dt.date(YEAR, 8, 1))  # 1 visit, to the village that left in June
    visit(office, p["leader"], v1, dt.date(2024, 12, 30))  # last year: does not count
    visit(office, p["t_secretary"], v1, dt.date(YEAR, 5, 5))
    visit(office, p["t_head"], v1, dt.date(YEAR, 5, 5))
    visit(office, p["t_head"], v2, dt.date(YEAR, 5, 6))
    visit(office, p["v_secretary"], v1, dt.date(YEAR, 6, 1), household=homes["poor"])
    visit(office, p["v_secretary"], v1, dt.date(YEAR, 6, 2), household=homes["monitored"])
    return people


def _rows(actor, **kwargs):
    return {(r.person, r.rule): r for r in visit_quotas(actor=actor, year=YEAR, **kwargs)}


def test_pro_rating_counts_the_month_of_taking_office_in_full():
    y = year_of(YEAR, today=dt.date(2026, 1, 5))
    assert y.as_of == dt.date(YEAR, 12, 31)
    assert months_in_post(dt.date(2010, 5, 1), y) == 12
    assert months_in_post(dt.date(YEAR, 7, 1), y) == 6
    assert months_in_post(dt.date(YEAR, 7, 31), y) == 6
    assert months_in_post(dt.date(YEAR, 12, 15), y) == 1
    assert pro_rated(4, 6) == 2 and pro_rated(3, 1) == 1 and pro_rated(10, 6) == 5 and pro_rated(5, 7) == 3


def test_each_quota_is_computed_per_person_from_the_visits(city, town):
    rows = _rows(city.accounts["office"])
    # 书记甲: 4 visits of 4; poor villages 测试村1 and 测试村3 (left in June, still counted): visited 1 of 2.
    assert (rows["书记甲", "每年调研督查不少于4次"].done, rows["书记甲", "每年调研督查不少于4次"].short) == (4, 0)
    cover = rows["书记甲", "走访全市所有贫困村"]
    assert (cover.quota, cover.required, cover.done, cover.short) == (2, 2, 1, 1)
    assert cover.missing == ["测试镇2测试村3"]
    # 市长乙 took office on 1 July: 6 months, so 4 visits become 2 and 2 poor villages become 1.
    count = rows["市长乙", "每年调研督查不少于4次"]
    assert (count.months, count.required, count.done, count.short) == (6, 2, 1, 1)
    cover = rows["市长乙", "走访全市所有贫困村"]
    assert (cover.required, cover.done, cover.short, cover.missing) == (1, 1, 0, ["测试镇1测试村1"])
    # 领导丙: his only visit was in 2024.
    assert (rows["领导丙", "每年调研督查不少于4次"].done, rows["领导丙", "每年调研督查不少于4次"].short) == (0, 4)
    assert ("领导丙", "走访全市所有贫困村") not in rows  # only the party secretary and the mayor
    # 局长丁 (member-unit principal) from 15 December: 1 month, 3 visits become 1; none made.
    principal = rows["局长丁", "每年调研督查不少于3次"]
    assert (principal.months, principal.required, principal.done, principal.short) == (1, 1, 0, 1)
    # Township 测试镇1: 测试村1 and 测试村2.
    t_sec = rows["书记戊", "走访辖区内所有村"]
    assert (t_sec.done, t_sec.short, t_sec.missing) == (1, 1, ["测试村2"])
    assert rows["镇长己", "走访辖区内所有村"].short == 0
    # 测试村1's poor households in 2025: 王一 (poor) and 王二 (left this year); not 王三 (2023) nor 王四 (监测户).
    v_sec = rows["支书庚", "走访本村所有贫困户"]
    assert (v_sec.quota, v_sec.done, v_sec.short, v_sec.missing) == (2, 1, 1, ["王二户"])


def test_the_behind_list_names_exactly_who_is_short(city, town):
    behind = sorted((r.person, r.rule, r.short) for r in visit_quotas(actor=city.accounts["office"], year=YEAR,
                                                                     behind_only=True))
    assert behind == sorted([
        ("书记甲", "走访全市所有贫困村", 1), ("市长乙", "每年调研督查不少于4次", 1),
        ("领导丙", "每年调研督查不少于4次", 4), ("局长丁", "每年调研督查不少于3次", 1),
        ("书记戊", "走访辖区内所有村", 1), ("支书庚", "走访本村所有贫困户", 1),
    ])


def test_the_plan_value_set_for_the_year_changes_the_quota(city, town):
    plan_value_set(actor=city.accounts["office"], year=YEAR, param=plan.VISITS_CITY_LEADER, value=3)
    rows = _rows(city.accounts["office"])
    assert rows["领导丙", "每年调研督查不少于3次"].short == 3
    assert rows["书记甲", "每年调研督查不少于3次"].short == 0


def test_a_township_sees_only_its_own_post_holders(city, town):
    people = {r.person for r in visit_quotas(actor=city.accounts["township1"], year=YEAR)}
    assert people == {"书记戊", "镇长己", "支书庚"}
    assert {r.person for r in visit_quotas(actor=city.accounts["township2"], year=YEAR)} == set()


def test_a_village_cadre_records_their_own_visit_but_not_someone_elses(city, town):
    from sunshine.oversight.services.visits import visit_record

    village = city.accounts["village1"]
    v = visit_record(actor=village, village=city.villages[0], visited_on=dt.date(YEAR, 9, 9), method="pinpoint",
                     today=dt.date(YEAR, 12, 31))
    assert v.visitor == village.person and v.visitor_unit == city.village_units[0]
    with pytest.raises(Forbidden):
        visit_record(actor=village, visitor=town["secretary"], village=city.villages[0],
                     visited_on=dt.date(YEAR, 9, 9), method="pinpoint", today=dt.date(YEAR, 12, 31))
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        visit_record(actor=village, village=city.villages[0], visited_on=dt.date(YEAR + 1, 1, 1), method="pinpoint",
                     today=dt.date(YEAR, 12, 31))
    with pytest.raises(ApplicationError, match="不在该村"):
        visit_record(actor=village, village=city.villages[1], household=make_household(city.villages[0]),
                     visited_on=dt.date(YEAR, 9, 9), method="pinpoint", today=dt.date(YEAR, 12, 31))
