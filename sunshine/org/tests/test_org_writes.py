"""Changes to the organisation name who made them (one audit record each), and a region's new code or parent
carries every path under it along."""
import datetime as dt

import pytest

from sunshine.core.audit import audit_verify
from sunshine.core.errors import ApplicationError
from sunshine.core.models import AuditRecord
from sunshine.org import selectors, services
from sunshine.org.choices import Post, RegionLevel, Role, UnitKind
from sunshine.org.models import Region
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db


def org_records():
    return list(AuditRecord.objects.filter(event="org_change").order_by("id")
                .values_list("actor_name", "object_type", "detail"))


def test_seeding_by_the_system_leaves_no_org_record_but_a_persons_change_leaves_one_each(city):
    assert org_records() == []  # build_mini_city seeds with actor=None: nobody acted
    admin = city.accounts["admin"]

    unit = services.unit_create(actor=admin, name="驻测试村1工作队", kind=UnitKind.WORK_TEAM, territory=city.villages[0])
    person = services.person_create(actor=admin, name="李队员", unit=unit)
    position = services.position_start(actor=admin, person=person, unit=unit, post=Post.WORK_TEAM_MEMBER,
                                       start_date=dt.date(2024, 1, 1))
    services.position_end(actor=admin, position=position, end_date=dt.date(2024, 12, 31))
    services.unit_set_supervised(actor=admin, supervisor=city.discipline_room,
                                 units=[city.township_units[0], city.township_units[1]])
    services.account_create(actor=admin, username="newcomer", password="x-pass-123", role=Role.VILLAGE,
                            unit=city.village_units[0])

    assert org_records() == [
        ("admin", "org.unit", {"action": "unit_create"}),
        ("admin", "org.person", {"action": "person_create"}),
        ("admin", "org.position", {"action": "position_start", "post": "work_team_member"}),
        ("admin", "org.position", {"action": "position_end", "post": "work_team_member"}),
        ("admin", "org.unit", {"action": "unit_set_supervised", "added": 1, "removed": 0}),
        ("admin", "org.account", {"action": "account_create", "role": "village"}),
    ]
    assert audit_verify().ok


def test_setting_the_same_supervised_units_again_records_nothing(city):
    services.unit_set_supervised(actor=city.accounts["admin"], supervisor=city.discipline_room,
                                 units=[city.township_units[0]])
    assert org_records() == []


def test_a_new_township_code_rewrites_the_paths_of_its_villages_and_groups(city):
    township = city.townships[0]
    updated = services.region_update(actor=city.accounts["admin"], region=township, code="430381199000")

    assert updated.path == "430381000000/430381199000/"
    assert sorted(Region.objects.filter(path__startswith=updated.path).values_list("path", flat=True)) == [
        "430381000000/430381199000/",
        "430381000000/430381199000/430381101201/",
        "430381000000/430381199000/430381101201/430381101201001/",
        "430381000000/430381199000/430381101202/",
        "430381000000/430381199000/430381101202/430381101202001/",
    ]
    assert Region.objects.filter(path__startswith="430381000000/430381101000/").count() == 0
    # the other township is untouched
    assert Region.objects.get(pk=city.villages[2].pk).path == "430381000000/430381102000/430381102201/"
    assert org_records() == [("admin", "org.region", {"action": "region_update", "moved": 4})]


def test_a_village_moved_to_another_township_is_seen_by_that_township_and_no_longer_by_its_old_one(city):
    village = city.villages[0]
    household = make_household(village)
    services.region_update(actor=city.accounts["admin"], region=village, parent=city.townships[1])

    group = Region.objects.get(pk=city.groups[0].pk)
    assert group.path == "430381000000/430381102000/430381101201/430381101201001/"
    assert selectors.household_list_visible_to(actor=city.accounts["township2"]).filter(pk=household.pk).exists()
    assert not selectors.household_list_visible_to(actor=city.accounts["township1"]).filter(pk=household.pk).exists()


def test_a_region_cannot_move_under_a_wrong_level_and_nothing_changes(city):
    village = city.villages[0]
    with pytest.raises(ApplicationError):
        services.region_update(actor=city.accounts["admin"], region=village, parent=city.villages[2])
    with pytest.raises(ApplicationError):
        services.region_update(actor=city.accounts["admin"], region=city.townships[0], code="一〇一")
    assert Region.objects.get(pk=village.pk).path == "430381000000/430381101000/430381101201/"
    assert org_records() == []


def test_a_renamed_region_keeps_its_path(city):
    village = services.region_update(actor=city.accounts["admin"], region=city.villages[1], name="新名村")
    assert village.name == "新名村" and village.path == "430381000000/430381101000/430381101202/"
    assert org_records() == [("admin", "org.region", {"action": "region_update", "moved": 0})]


def test_the_region_level_of_a_city_needs_no_parent_and_a_village_one(city):
    with pytest.raises(ApplicationError):
        services.region_create(actor=None, code="430381101299", name="错层", level=RegionLevel.VILLAGE, parent=city.city)


def test_recoding_a_township_in_the_admin_site_moves_its_villages_too(login, city):
    township = city.townships[0]
    client = login(city.accounts["admin"])
    response = client.post(f"/admin/org/region/{township.pk}/change/", {
        "code": "430381199000", "name": township.name, "level": township.level, "parent": city.city.pk,
        "_save": "保存"})
    assert response.status_code == 302
    group = Region.objects.get(pk=city.groups[0].pk)
    assert group.path == "430381000000/430381199000/430381101201/430381101201001/"
    # The admin's save is the one CONFIG_CHANGE record; the service's ORG_CHANGE is not written a second time.
    assert AuditRecord.objects.filter(event="config_change", object_type="org.region").count() == 1
    assert org_records() == []
