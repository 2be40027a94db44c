"""The routing rule table: every clue reaches the competent unit or the discipline office, and a copy the office."""
import pytest

from sunshine.cases import routing
from sunshine.cases.choices import Channel
from sunshine.cases.models import CaseCopy
from sunshine.org import services as org_services
from sunshine.org.choices import UnitKind

from .builders import submit

pytestmark = pytest.mark.django_db


def route(**kwargs):
    return routing.route(routing.Clue(**kwargs))


def test_a_village_matter_goes_to_its_township_government(city):
    r = route(region=city.villages[3], problem_type_number=11)
    assert (r.unit, r.rule) == (city.township_units[1], "township")


def test_a_township_matter_goes_to_that_township_government(city):
    assert route(region=city.townships[0]).unit == city.township_units[0]


def test_a_matter_about_a_member_unit_goes_to_that_unit(city):
    r = route(region=city.villages[0], about_unit=city.department, problem_type_number=12)
    assert (r.unit, r.rule) == (city.department, "member_unit")


@pytest.mark.parametrize("number", [15, 16, 17, 18, 19, 27])
def test_money_project_and_concealment_problems_go_to_the_supervising_discipline_room(city, number):
    r = route(region=city.villages[1], problem_type_number=number)
    assert (r.unit, r.rule) == (city.discipline_room, "discipline_supervisor")


def test_a_suspected_violation_marked_by_staff_goes_to_discipline_too(city):
    assert route(region=city.villages[0], problem_type_number=9, suspected_violation=True).unit == city.discipline_room


def test_a_discipline_matter_without_a_supervising_room_goes_to_the_discipline_commission(city):
    commission = org_services.unit_create(actor=None, name="市纪委监委", kind=UnitKind.DISCIPLINE_COMMISSION)
    r = route(region=city.villages[2], problem_type_number=16)
    assert (r.unit, r.rule) == (commission, "discipline_commission")


def test_a_discipline_matter_never_falls_back_to_the_township_it_concerns(city):
    r = route(region=city.villages[2], problem_type_number=16)
    assert r.unit == city.governance_office


def test_a_clue_with_no_place_and_no_unit_goes_to_the_governance_office_to_screen(city):
    assert route().unit == city.governance_office


def test_a_report_about_a_village_committee_goes_to_its_township(city):
    assert route(about_unit=city.village_units[2]).unit == city.township_units[1]


def test_every_submitted_report_is_copied_to_the_special_governance_office(city):
    _, case, _ = submit(city, village=3)
    assert CaseCopy.objects.filter(case=case, to_unit=city.governance_office).count() == 1


def test_a_township_matter_entered_at_a_city_desk_is_flagged_as_skipping_a_level(city):
    report, _, _ = submit(city, channel=Channel.HOTLINE, actor=city.accounts["office"])
    assert report.skipped_level and report.received_by == city.governance_office
    local, _, _ = submit(city, channel=Channel.HOTLINE, actor=city.accounts["township1"])
    assert not local.skipped_level


def test_a_transfer_from_above_about_a_village_skips_a_level(city):
    report, _, _ = submit(city, channel=Channel.TRANSFER_FROM_ABOVE, actor=city.accounts["office"])
    assert report.skipped_level


def test_a_clue_about_a_poor_village_is_handled_first(city):
    _, poor, _ = submit(city, village=0)  # villages[0] is a poor village in the test city
    _, other, _ = submit(city, village=1, text="请问村部周末几点开门")
    assert poor.priority < other.priority
