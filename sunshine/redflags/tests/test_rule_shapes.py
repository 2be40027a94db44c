"""The shapes the rules take for speed (issue 15) change no result.

- The engine folds the run's switches (`:since_payment = 0`, engine.SWITCHES) into a rule's text before the database
  plans it: every rule gives the same rows folded and as written, in a full run and in an incremental one.
- R09 finds its candidates by ID number before grouping by the person's key; one number spelt two ways (two person
  keys with one id_key, `PersonKey.shared`) is still one person.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Max

from sunshine.funds.models import HouseholdPayment
from sunshine.org.models import Household, HouseholdMember
from sunshine.org.testing import id_number_ending_in_x
from sunshine.redflags.engine import (
    adapt_parameters,
    execute_rule,
    render_for_django,
    render_sql,
    run_parameters,
)
from sunshine.redflags.idkeys import id_key
from sunshine.redflags.models import PersonKey, RegistryBatch
from sunshine.redflags.rules import HIT_COLUMNS, RULES, RULES_BY_CODE
from sunshine.redflags.services import payment_slots_refresh, person_keys_refresh, registry_keys_refresh

from .planted import TODAY, World, subject_key

pytestmark = pytest.mark.django_db


def _as_written(rule, values) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(render_for_django(rule, connection.vendor), adapt_parameters(values, connection.vendor))
        return [dict(zip(HIT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def _rows(rows: list[dict]) -> list[tuple]:
    return sorted((tuple(str(row[c]) for c in HIT_COLUMNS) for row in rows), key=repr)


def test_a_full_run_has_no_switch_left_and_an_incremental_one_no_dead_branch():
    full = render_sql(RULES_BY_CODE["R08"], "postgres", values={"since_payment": 0, "since_batch": 0})
    assert "since_payment" not in full and " IN (" not in full
    later = render_sql(RULES_BY_CODE["R08"], "postgres", values={"since_payment": 7, "since_batch": 2})
    assert "= 0" not in later and "household_id IN (SELECT n.household_id" in later
    r17 = render_sql(RULES_BY_CODE["R17"], "postgres", values={"since_payment": 0, "since_batch": 0})
    assert "o.id IN" not in r17  # every official is of a batch after 0: no filter in a full run


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
def test_every_rule_gives_the_same_rows_folded_and_as_written(world, incremental):
    person_keys_refresh()
    payment_slots_refresh()
    registry_keys_refresh()
    since_payment = since_batch = 0
    if incremental:  # the last few payments and the last registry batch are new
        since_payment = HouseholdPayment.objects.aggregate(m=Max("id"))["m"] - 6
        since_batch = RegistryBatch.objects.aggregate(m=Max("id"))["m"] - 1
    values = run_parameters(today=TODAY, since_payment=since_payment, since_batch=since_batch)
    found = 0
    for rule in RULES:
        folded = execute_rule(rule, values)
        assert _rows(folded) == _rows(_as_written(rule, values)), rule.code
        found += len(folded)
    assert found


def _person(world, village: int, number: str):
    household = world.hh(village)
    HouseholdMember.objects.filter(household=household).update(id_number=number)
    Household.objects.filter(pk=household.pk).update(head_id_number=number)
    household.refresh_from_db()
    return household


def _pay_as(world, household, number: str):
    payment = world.pay(household, item="低保金", amount="300", paid_on=dt.date(2026, 2, 5), period="2026年2月")
    HouseholdPayment.objects.filter(pk=payment.pk).update(payee_id_number=number)


def test_one_number_spelt_two_ways_is_one_person_paid_in_two_townships(city):
    """Village 0 and village 2 are in two townships. The number is stored once with X and once with x (written
    around the import's normalisation): the two payments have one key, so R09 finds the person, as it did when it
    grouped every payment by key."""
    world = World(city)
    number = id_number_ending_in_x()
    first = _person(world, 0, number)
    _pay_as(world, first, number)
    assert person_keys_refresh() >= 1
    assert not PersonKey.objects.filter(shared=True).exists()
    members = HouseholdMember.objects.aggregate(m=Max("id"))["m"]
    households = Household.objects.aggregate(m=Max("id"))["m"]

    second = _person(world, 2, number[:-1] + "x")
    _pay_as(world, second, number[:-1] + "x")
    person_keys_refresh(since_member=members, since_household=households)  # an incremental refresh marks both
    assert set(PersonKey.objects.filter(shared=True).values_list("id_number", flat=True)) == {
        number, number[:-1] + "x"}

    payment_slots_refresh()
    hits = {row["subject_key"] for row in execute_rule(RULES_BY_CODE["R09"], run_parameters(today=TODAY))}
    assert hits == {subject_key("R09", id_key(number), "低保金", "2026年2月")}


def test_person_keys_made_in_the_database_equal_idkeys(city):
    """The set-based refresh (PostgreSQL's sha256 HMAC, SQLite's function) gives idkeys.id_key's key for every
    spelling: plain, a lower-case x, and a full-width Ｘ (keyed in Python on PostgreSQL)."""
    world = World(city)
    numbers = [id_number_ending_in_x(birth=dt.date(1950 + i, 3, 8)) for i in range(3)]
    numbers = [numbers[0], numbers[1][:-1] + "x", numbers[2][:-1] + "Ｘ"]
    for village, number in enumerate(numbers):
        _person(world, village, number)
    person_keys_refresh()
    keys = dict(PersonKey.objects.filter(id_number__in=numbers).values_list("id_number", "id_key"))
    assert keys == {n: id_key(n) for n in numbers}
    before = dict(PersonKey.objects.values_list("id_number", "id_key"))
    assert person_keys_refresh(full=True) == len(before)  # a full refresh makes the same keys again
    assert dict(PersonKey.objects.values_list("id_number", "id_key")) == before
    # A full refresh brings the kept keys up to date in place: a key made otherwise, a person gone, a person moved.
    PersonKey.objects.filter(id_number=numbers[0]).update(id_key="0" * 32, shared=True)
    gone = _person(world, 3, id_number_ending_in_x(birth=dt.date(1960, 3, 8)))
    moved = world.hh(1)
    person_keys_refresh()
    HouseholdMember.objects.filter(household=gone).delete()
    Household.objects.filter(pk=gone.pk).update(head_id_number="")
    HouseholdMember.objects.filter(id_number=numbers[2]).update(household=moved, relation="子女")
    person_keys_refresh(full=True)
    keys = {k.id_number: k for k in PersonKey.objects.all()}
    assert keys[numbers[0]].id_key == id_key(numbers[0]) and not keys[numbers[0]].shared
    assert gone.head_id_number not in keys and keys[numbers[2]].household_id == moved.pk


def test_payment_slots_follow_new_payments_and_corrections(city):
    """R08 and R09 read the slots listed as paid twice (payment_slots_refresh), kept from the new payments only:
    a twin arriving later is listed by the next refresh; a slot a correction left paid once stays listed but is no
    hit; the same payment imported again adds nothing (its natural key stops it)."""
    from sunshine.core.errors import ApplicationError
    from sunshine.funds.services.records import record_correct
    from sunshine.redflags.models import HouseholdSlotClash, PayeeSlotClash

    world = World(city)
    household = world.hh(0)
    first = world.pay(household, item="低保金", amount="300", paid_on=dt.date(2026, 2, 5), period="2026年2月")
    upto = payment_slots_refresh(since=0)
    assert not HouseholdSlotClash.objects.exists()
    r08 = RULES_BY_CODE["R08"]
    second = world.pay(household, item="低保金", amount="300", paid_on=dt.date(2026, 2, 6), period="2026年2月")
    with pytest.raises(ApplicationError):  # the same payment again: stopped by its natural key
        world.pay(household, item="低保金", amount="300", paid_on=dt.date(2026, 2, 6), period="2026年2月")
    payment_slots_refresh(since=upto)
    assert HouseholdSlotClash.objects.count() == 1
    key = subject_key("R08", household.pk, "低保金", "2026年2月")
    assert {r["subject_key"] for r in execute_rule(r08, run_parameters(today=TODAY))} == {key}
    # Incremental: the rule looks at the households of the payments after the watermark.
    incremental = run_parameters(today=TODAY, since_payment=first.pk)
    assert {r["subject_key"] for r in execute_rule(r08, incremental)} == {key}
    assert not execute_rule(r08, run_parameters(today=TODAY, since_payment=second.pk))

    # The same person paid the same item and period in another township's village: a payee slot.
    other = world.hh(2)
    HouseholdPayment.objects.filter(pk=world.pay(other, item="低保金", amount="300", paid_on=dt.date(2026, 2, 7),
                                                 period="2026年2月").pk).update(
        payee_id_number=first.payee_id_number)
    upto = payment_slots_refresh(since=second.pk)
    assert PayeeSlotClash.objects.filter(payee_id_number=first.payee_id_number).count() == 1
    person_keys_refresh()
    assert {r["subject_key"] for r in execute_rule(RULES_BY_CODE["R09"], run_parameters(today=TODAY))} == {
        subject_key("R09", id_key(first.payee_id_number), "低保金", "2026年2月")}

    # A correction moves the second payment to another period: the slot stays listed, the hit is gone.
    record_correct(actor=world.actor, record=second, reason="所属期录错", changes={"period": "2026年3月"})
    payment_slots_refresh(since=upto)
    assert HouseholdSlotClash.objects.count() == 1
    assert not execute_rule(r08, run_parameters(today=TODAY))
