"""The demo city: its organisation, households, accounts and their scope, determinism, invented names."""
import datetime as dt
import hashlib
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

from sunshine.core.demo import DEMO_PASSWORD
from sunshine.core.validators import normalize_id_number, normalize_mobile
from sunshine.org import demo, selectors
from sunshine.org.choices import Post, PovertyStatus, RegionLevel, Relation, UnitKind
from sunshine.org.models import Account, Household, HouseholdMember, Person, Position, Region, Unit
from sunshine.org.testing import login_verified

pytestmark = pytest.mark.django_db

SMALL = {"households": 300, "townships": 3, "villages": 12, "today": dt.date(2026, 11, 25), "apps": "org"}


def seed_small(**overrides) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{**SMALL, **overrides})
    return out.getvalue()


def current(post, **lookup):
    return Position.objects.filter(post=post, end_date__isnull=True, **lookup)


def test_every_member_unit_has_a_principal_an_in_charge_and_a_specific_responsible_person():
    seed_small()
    members = Unit.objects.filter(member_order__isnull=False)
    assert members.count() == 31
    for unit in members:
        posts = set(Position.objects.filter(unit=unit, end_date__isnull=True).values_list("post", flat=True))
        assert {Post.PRINCIPAL, Post.IN_CHARGE, Post.SPECIFIC} <= posts, unit.name


def test_the_city_has_its_party_secretary_mayor_leaders_office_and_discipline_units():
    seed_small()
    assert current(Post.PARTY_SECRETARY).count() == 1
    assert current(Post.MAYOR).count() == 1
    assert current(Post.CITY_LEADER).count() == len(demo.CITY_LEADERS)
    city = Region.objects.get(code=demo.CITY_CODE, level=RegionLevel.CITY)
    assert Unit.objects.get(kind=UnitKind.GOVERNANCE_OFFICE).territory == city
    assert Unit.objects.filter(kind=UnitKind.INSPECTION).exists()
    assert Unit.objects.filter(kind=UnitKind.DISCIPLINE_COMMISSION).exists()
    # 三(一)3: the rooms share the townships between them; the dispatched groups share the departments.
    rooms = Unit.objects.filter(kind=UnitKind.DISCIPLINE_ROOM)
    supervised = [t for room in rooms for t in room.supervised_units.all()]
    townships = Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV)
    assert sorted(u.pk for u in supervised) == sorted(townships.values_list("pk", flat=True))
    groups = Unit.objects.filter(kind=UnitKind.DISCIPLINE_GROUP)
    assert groups.count() == demo.DISCIPLINE_GROUPS
    watched = {u.pk for g in groups for u in g.supervised_units.all()}
    assert set(Unit.objects.filter(member_order__isnull=False).values_list("pk", flat=True)) <= watched


def test_every_township_has_a_secretary_and_a_head_and_every_village_its_cadres():
    seed_small()
    for township in Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV):
        assert current(Post.TOWNSHIP_SECRETARY, unit=township).count() == 1
        assert current(Post.TOWNSHIP_HEAD, unit=township).count() == 1
        commission = Unit.objects.get(kind=UnitKind.TOWNSHIP_DISCIPLINE, territory=township.territory)
        assert current(Post.PRINCIPAL, unit=commission).count() == 1  # its 纪委书记 (纪工委书记 in a street)
    villages = Unit.objects.filter(kind=UnitKind.VILLAGE_COMMITTEE)
    assert villages.count() == SMALL["villages"]
    for village in villages:
        assert current(Post.VILLAGE_SECRETARY, unit=village).count() == 1
        assert current(Post.VILLAGE_DIRECTOR, unit=village).count() == 1
        assert current(Post.GRID_WORKER, unit=village).exists()
        supervisors = Person.objects.filter(positions__in=current(Post.VILLAGE_SUPERVISOR, unit=village))
        assert 1 <= supervisors.count() <= 2
        for supervisor in supervisors:  # 三(二)3: they receive an SMS for each account movement
            assert normalize_mobile(supervisor.phone) == supervisor.phone


def test_every_poor_village_has_a_work_team_and_a_third_or_so_of_villages_are_poor():
    seed_small(villages=30, townships=3)
    poor = Region.objects.filter(level=RegionLevel.VILLAGE, is_poor_village=True)
    assert 3 <= poor.count() <= 20
    for village in poor:
        team = Unit.objects.get(kind=UnitKind.WORK_TEAM, territory=village)
        assert current(Post.WORK_TEAM_LEADER, unit=team).count() == 1
        assert current(Post.WORK_TEAM_MEMBER, unit=team).exists()
        assert team.parent.member_order is not None  # sent by a member unit


def test_some_posts_have_a_predecessor_whose_position_ended_before_the_holders_began():
    seed_small()
    ended = Position.objects.filter(end_date__isnull=False)
    assert ended.exists()
    for old in ended:
        successor = Position.objects.get(unit=old.unit, post=old.post, end_date__isnull=True)
        assert old.start_date <= old.end_date < successor.start_date


def test_households_have_members_valid_ids_and_a_pairing_cadre_when_poor_or_monitored():
    seed_small()
    households = Household.objects.select_related("village", "group", "pairing_cadre").annotate(
        n=Count("members"), heads=Count("members", filter=Q(members__relation=Relation.HEAD)))
    assert households.count() == SMALL["households"]
    assert {h.poverty_status for h in households} == set(PovertyStatus.values)
    for household in households:
        assert household.n == household.member_count and household.heads == 1
        assert household.code.startswith(household.village.code) and len(household.code) == 17
        assert household.group.parent_id == household.village_id
        assert 2014 <= household.status_year <= 2020
        assert household.poverty_cause and household.household_attribute
        if household.poverty_status == PovertyStatus.EXITED:
            continue
        cadre = household.pairing_cadre
        assert cadre is not None
        assert Position.objects.filter(person=cadre, post=Post.PAIRING_CADRE, end_date__isnull=True).exists()
    for member in HouseholdMember.objects.all():
        assert normalize_id_number(member.id_number) == member.id_number
        assert not member.phone or normalize_mobile(member.phone) == member.phone
    head = HouseholdMember.objects.filter(relation=Relation.HEAD).select_related("household").first()
    assert head.household.head_id_number == head.id_number and head.household.head_name == head.name
    assert Household.objects.exclude(phone="").count() > SMALL["households"] * 0.8
    for person in Person.objects.all():
        assert normalize_id_number(person.id_number) == person.id_number
        assert normalize_mobile(person.phone) == person.phone


def test_no_person_named_in_the_work_plan_appears_in_the_demo():
    seed_small()
    for real in demo.REAL_NAMES_IN_PLAN:
        assert not Person.objects.filter(name__contains=real).exists()
        assert not HouseholdMember.objects.filter(name__contains=real).exists()
        assert not Household.objects.filter(head_name__contains=real).exists()
        assert not Account.objects.filter(first_name__contains=real).exists()


def test_the_name_maker_never_draws_a_real_name_even_where_faker_would():
    # 周 is a common surname and 杰 a common given name in Faker's tables: unfiltered, 周杰 turns up.
    names = demo.NameMaker(random.Random(7))
    drawn = [names.name(male=True, surname="周") for _ in range(20_000)]
    assert not any(real in name for name in drawn for real in demo.REAL_NAMES_IN_PLAN)
    assert len(set(drawn)) > 1000


def test_each_demo_account_logs_in_and_sees_its_own_jurisdiction(client, settings):
    settings.SUNSHINE_REQUIRE_2FA = False  # as in the demo (sunshine.settings.local): the password is enough
    seed_small()
    accounts = {key: Account.objects.get(username=username) for key, username, _ in demo.DEMO_ACCOUNTS}
    for account in accounts.values():
        response = client.post("/desk/login/", {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        assert client.get("/desk/").status_code == 200
        client.post("/desk/logout/")

    def households_seen(key):
        return set(selectors.household_list_visible_to(actor=accounts[key]).values_list("pk", flat=True))

    everything = set(Household.objects.values_list("pk", flat=True))
    for key in ("admin", "party_secretary", "mayor", "leader", "office", "inspection", "audit"):
        assert households_seen(key) == everything, key
    township = accounts["township"].unit.territory
    in_township = set(Household.objects.filter(village__parent=township).values_list("pk", flat=True))
    assert households_seen("township") == in_township and in_township < everything
    village = accounts["village"].unit.territory
    assert households_seen("village") == set(Household.objects.filter(village=village).values_list("pk", flat=True))
    room = accounts["discipline"].unit
    watched = [u.territory for u in room.supervised_units.all()]
    assert township in watched
    assert households_seen("discipline") == set(
        Household.objects.filter(village__parent__in=watched).values_list("pk", flat=True))
    commission = accounts["township_discipline"].unit
    assert (commission.kind, commission.territory, commission.parent) == (
        UnitKind.TOWNSHIP_DISCIPLINE, township, accounts["township"].unit)
    assert households_seen("township_discipline") == in_township
    assert accounts["department"].unit.name == "市农业局" and accounts["audit"].unit.name == "市审计局"
    assert accounts["admin"].is_superuser and accounts["party_secretary"].person.positions.get().post == Post.PARTY_SECRETARY


def test_a_township_account_gets_404_for_a_household_in_another_township(client):
    seed_small()
    account = Account.objects.get(username="township")
    elsewhere = Household.objects.exclude(village__parent=account.unit.territory).first()
    login_verified(client, account)
    assert client.get(f"/desk/households/{elsewhere.pk}/").status_code == 404


def city_digest() -> str:
    """A fingerprint of everything seeded that does not depend on primary keys or clocks."""
    digest = hashlib.sha256()
    for rows in (
        Region.objects.order_by("code").values_list("code", "name", "is_poor_village"),
        Unit.objects.order_by("name").values_list("name", "kind", "territory__code", "parent__name"),
        Person.objects.order_by("id_number").values_list("name", "gender", "id_number", "phone", "unit__name"),
        Position.objects.order_by("person__id_number", "post", "start_date").values_list(
            "person__id_number", "unit__name", "post", "title", "start_date", "end_date"),
        Household.objects.order_by("code").values_list(
            "code", "head_name", "head_id_number", "phone", "member_count", "poverty_status", "status_year",
            "poverty_cause", "household_attribute", "group__code", "pairing_cadre__id_number"),
        HouseholdMember.objects.order_by("id_number").values_list(
            "household__code", "name", "id_number", "relation", "gender", "phone"),
        Account.objects.order_by("username").values_list("username", "role", "unit__name", "person__id_number"),
    ):
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


class _Discard(Exception):
    pass


def seeded_digest(**overrides) -> str:
    try:
        with transaction.atomic():
            seed_small(**overrides)
            digest = city_digest()
            raise _Discard
    except _Discard:
        pass
    return digest


def test_the_same_seed_builds_the_same_city_and_another_seed_a_different_one():
    first = seeded_digest()
    assert not Household.objects.exists()  # the first city was rolled back
    assert seeded_digest() == first
    assert seeded_digest(seed=12345) != first


def test_if_empty_leaves_a_seeded_database_alone_and_a_second_seed_is_refused():
    seed_small()
    before = (Household.objects.count(), Person.objects.count(), Unit.objects.count())
    assert "跳过" in seed_small(if_empty=True)
    assert (Household.objects.count(), Person.objects.count(), Unit.objects.count()) == before
    with pytest.raises(CommandError, match="已有城市数据"):
        seed_small()


def test_seed_demo_reports_what_it_built_and_how_long_it_took():
    out = seed_small()
    assert "建档立卡户 300 户" in out
    assert "org " in out and " s" in out


def test_seed_demo_at_verbosity_0_is_quiet_so_make_demo_ends_with_the_accounts_table():
    assert seed_small(verbosity=0) == ""
    assert Household.objects.count() == 300
    assert seed_small(verbosity=0, if_empty=True) == ""


def test_seed_demo_refuses_a_city_its_division_codes_cannot_hold():
    with pytest.raises(CommandError, match="乡镇"):
        seed_small(townships=0)
    with pytest.raises(CommandError, match="不少于乡镇数"):
        seed_small(townships=3, villages=2)
    assert not Region.objects.exists()


def test_seed_demo_refuses_to_run_under_production_settings_with_no_override(settings):
    settings.SETTINGS_MODULE = "sunshine.settings.production"
    with pytest.raises(CommandError, match="演示账号的密码是公开的"):
        seed_small()
    with pytest.raises(TypeError, match="allow_production"):  # the former override is gone
        seed_small(allow_production=True)
    assert not Region.objects.exists()


def test_demo_accounts_prints_every_account_its_scope_and_the_login_address():
    seed_small()
    out = io.StringIO()
    call_command("demo_accounts", port=8123, stdout=out)
    text = out.getvalue()
    for _, username, _ in demo.DEMO_ACCOUNTS:
        assert f"\n{username} " in text
    assert DEMO_PASSWORD in text and "http://127.0.0.1:8123/desk/login/" in text
    assert "市级领导" in text and "全市" in text and "市农业局" in text


def test_demo_accounts_without_a_demo_city_says_how_to_make_one():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("demo_accounts", stdout=io.StringIO())


def test_seed_demo_runs_each_apps_registered_step_in_order_on_top_of_the_city():
    from sunshine.core.demo import demo_steps

    assert [step.app for step in demo_steps()][:3] == ["org", "funds", "cases"]
    out = seed_small(apps="")  # no --apps: every registered step
    assert "演示数据生成完毕" in out
    timings = [line.split()[0] for line in out.splitlines() if line.split() and line.split()[-1] == "s"]
    assert timings == [step.app for step in demo_steps()]
    assert Account.objects.filter(username="village").exists()


def test_seed_demo_names_the_registered_apps_when_asked_for_an_unknown_one():
    with pytest.raises(CommandError, match="org, funds, cases"):
        seed_small(apps="org,nosuch")
