"""三(一)3: a township's villages' discipline clues go to the township commission first; the city room that
supervises the township takes them up (提级)."""
import pytest

from sunshine.cases import services
from sunshine.cases.selectors import case_list_visible_to
from sunshine.cases.tests.builders import submit
from sunshine.org import services as org_services
from sunshine.org.choices import Role, UnitKind
from sunshine.org.testing import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission(city):
    return org_services.unit_create(actor=None, name="测试镇1纪委", kind=UnitKind.TOWNSHIP_DISCIPLINE,
                                    territory=city.townships[0], parent=city.township_units[0])


def test_a_discipline_clue_about_a_village_goes_to_its_township_commission(city, commission):
    _, case, _ = submit(city, village=0, problem_type_number=17, text="村干部虚报冒领扶贫项目资金")
    assert case.handling_unit == commission and case.suspected_violation
    _, other, _ = submit(city, village=0, problem_type_number=3, text="帮扶干部不入户")
    assert other.handling_unit == city.township_units[0]  # not a discipline matter
    _, about_township, _ = submit(city, village=0, problem_type_number=17, about_unit=city.township_units[0],
                                  text="镇政府截留扶贫资金")
    assert about_township.handling_unit == city.discipline_room  # the township's own government: the city room
    _, elsewhere, _ = submit(city, village=2, problem_type_number=17, text="村干部优亲厚友")
    assert elsewhere.handling_unit != commission  # 测试镇2 has no commission on record


def test_the_commission_sees_its_township_and_the_city_room_takes_the_clue_up(city, commission):
    _, case, _ = submit(city, village=1, problem_type_number=16, text="产业扶贫资金被挪用")
    officer = make_account("tdisc", Role.DISCIPLINE, commission)
    assert case_list_visible_to(actor=officer).filter(pk=case.pk).exists()
    room = city.accounts["discipline"]
    assert case_list_visible_to(actor=room).filter(pk=case.pk).exists()
    case = services.case_escalate_level(case=case, actor=room, reason="涉及金额较大,提级办理")
    assert case.handling_unit == city.discipline_room and case.escalated
