"""The 约谈 list: member units with zero problems, zero clues and zero cases this year (counted by hand)."""
import datetime as dt

import pytest
from django.utils import timezone

from sunshine.cases.tests.builders import submit
from sunshine.org.choices import Post
from sunshine.org.models import Unit
from sunshine.oversight.selectors.interviews import interview_candidates, unit_records
from sunshine.oversight.services.interviews import interview_record
from sunshine.oversight.services.visits import visit_record

from .builders_i13a import appoint

pytestmark = pytest.mark.django_db


def test_a_unit_with_one_clue_and_no_case_is_not_on_the_list(city):
    office = city.accounts["office"]
    today = timezone.localdate()
    members = list(Unit.objects.filter(member_order__isnull=False).order_by("member_order"))
    assert len(members) == 31
    agriculture = city.department  # 市农业局: one report about it (routed to it), no case concluded
    submit(city, about_unit=agriculture, text="农业局扶贫产业项目验收走过场")
    finance = Unit.objects.get(name="市财政局")  # its principal's visit found a problem
    principal = appoint("财政局长", finance, Post.PRINCIPAL, dt.date(2018, 1, 1))
    visit_record(actor=office, visitor=principal, village=city.villages[0], visited_on=today, method="pinpoint",
                 findings="村账目不清")
    records = {r.unit: r for r in unit_records(actor=office)}
    assert (records["市农业局"].problems, records["市农业局"].clues, records["市农业局"].cases) == (0, 1, 0)
    assert (records["市财政局"].problems, records["市财政局"].clues, records["市财政局"].cases) == (1, 0, 0)
    listed = [r.unit for r in interview_candidates(actor=office)]
    assert len(listed) == 29
    assert "市农业局" not in listed and "市财政局" not in listed and "市委组织部" in listed


def test_a_talk_is_recorded_against_the_units_year(city):
    office = city.accounts["office"]
    today = timezone.localdate()
    unit = Unit.objects.get(name="市委组织部")
    interview_record(actor=office, unit=unit, year=today.year, held_on=today, interviewer="市专项治理办主任",
                     attendees="市委组织部分管负责人", outcome="限期一个月内开展一次专项排查")
    records = {r.unit: r for r in interview_candidates(actor=office)}
    assert records["市委组织部"].interviews == 1 and records["市委宣传部"].interviews == 0
    # A department sees only its own unit's figures.
    assert [r.unit for r in unit_records(actor=city.accounts["department"])] == ["市农业局"]
