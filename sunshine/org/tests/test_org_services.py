"""The organisation: region tree, posts with history, accounts, audit history."""
import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction

from sunshine.core.errors import ApplicationError
from sunshine.org import services
from sunshine.org.choices import Post, RegionLevel
from sunshine.org.models import Position, ProblemGroup, ProblemType, Unit
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db


def test_the_27_problem_types_and_31_member_units_are_loaded_exactly_as_in_the_plan():
    assert ProblemGroup.objects.count() == 6 and ProblemType.objects.count() == 27
    assert ProblemGroup.objects.get(number=1).title == "(一)“四个意识”不够强的问题"
    assert list(ProblemGroup.objects.get(number=6).types.values_list("number", flat=True)) == [25, 26, 27]
    t16 = ProblemType.objects.get(number=16)
    assert t16.text == "对扶贫资金监管不严,存在贪污侵占、虚报冒领、挥霍浪费、截留挪用等问题。"
    assert ProblemType.objects.get(number=6).short_title == "领导责任落实不到位"
    units = list(Unit.objects.filter(member_order__isnull=False).order_by("member_order").values_list("name", flat=True))
    assert len(units) == 31 and units[0] == "市委组织部" and units[-1] == "市供电公司"
    assert "人民银行湘乡市支行" in units


def test_region_paths_follow_the_tree(city):
    village = city.villages[0]
    assert village.path == "430381000000/430381101000/430381101201/"
    assert village.full_name == "测试镇1测试村1"


def test_a_region_needs_a_parent_one_level_up(city):
    with pytest.raises(ApplicationError):
        services.region_create(actor=None, code="430381101299", name="错层", level=RegionLevel.VILLAGE, parent=city.city)


def test_a_single_seat_post_has_one_current_holder_and_keeps_its_history(city):
    unit = city.township_units[0]
    old = services.person_create(actor=None, name="前任书记", unit=unit)
    new = services.person_create(actor=None, name="现任书记", unit=unit)
    first = services.position_start(actor=None, person=old, unit=unit, post=Post.TOWNSHIP_SECRETARY, start_date=dt.date(2016, 1, 1))
    with pytest.raises(ApplicationError):
        services.position_start(actor=None, person=new, unit=unit, post=Post.TOWNSHIP_SECRETARY, start_date=dt.date(2018, 1, 1))
    services.position_end(actor=None, position=first, end_date=dt.date(2017, 12, 31))
    services.position_start(actor=None, person=new, unit=unit, post=Post.TOWNSHIP_SECRETARY, start_date=dt.date(2018, 1, 1))
    history = Position.objects.filter(unit=unit, post=Post.TOWNSHIP_SECRETARY).order_by("start_date")
    assert [(p.person.name, p.end_date) for p in history] == [("前任书记", dt.date(2017, 12, 31)), ("现任书记", None)]


def test_the_database_refuses_a_position_ending_before_it_starts(city):
    person = services.person_create(actor=None, name="某某", unit=city.department)
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(person=person, unit=city.department, post=Post.STAFF,
                                start_date=dt.date(2020, 1, 2), end_date=dt.date(2020, 1, 1))


def test_every_change_to_a_household_is_kept_in_the_audit_history(city, login):
    household = make_household(city.villages[0], head_name="孙七")
    household.poverty_status = "exited"
    household.save()
    entry = LogEntry.objects.get_for_object(household).order_by("-timestamp").first()
    assert entry.changes_dict["poverty_status"] == ["poor", "exited"]
    page = login(city.accounts["office"]).get(f"/desk/households/{household.pk}/").content.decode()
    assert "修改记录" in page and "poverty_status" in page


def test_staff_home_page_is_role_aware(city, login):
    make_household(city.villages[0])
    township_page = login(city.accounts["township1"]).get("/desk/").content.decode()
    assert "导入建档立卡户" in township_page and "测试镇1" in township_page and "测试镇2" not in township_page
    office_page = login(city.accounts["office"]).get("/desk/").content.decode()
    assert "可见范围:全市" in office_page and "导入建档立卡户" not in office_page


def test_anonymous_staff_pages_redirect_to_login(client):
    response = client.get("/desk/households/")
    assert response.status_code == 302 and "/desk/login/" in response["Location"]


def test_login_page_logs_a_staff_member_in(city, client):
    from sunshine.org.testing import totp_code, totp_device

    device = totp_device(city.accounts["township1"])
    response = client.post("/desk/login/", {"username": "township1", "password": "test-pass-123"})
    assert response.status_code == 302
    client.post("/desk/2fa/verify/", {"code": totp_code(device)})  # the second factor (sunshine.desk.security)
    assert "测试township1" in client.get("/desk/").content.decode()


def test_household_list_api_uses_a_bounded_number_of_queries(city, login, django_assert_max_num_queries):
    for i in range(30):
        make_household(city.villages[i % 2])
    client = login(city.accounts["township1"])
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/org/households?limit=30").json()
    assert body["count"] == 30


def test_api_tokens_authenticate_and_keep_the_scope(city, client):
    from sunshine.core.api_auth import token_issue

    raw = token_issue(account=city.accounts["township2"], name="脚本")
    mine = make_household(city.villages[2])
    theirs = make_household(city.villages[0])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/org/households/{mine.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/org/households/{theirs.pk}", **auth).status_code == 404
    assert client.get("/api/v1/org/households", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_english_is_available(city, client):
    client.cookies["django_language"] = "en"
    page = client.get("/desk/login/").content.decode()
    assert 'lang="en"' in page
