"""A run turns hits into clues at the report desk once; reviews update each rule's precision."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sunshine.cases.choices import Channel
from sunshine.cases.models import Report
from sunshine.core.errors import ApplicationError
from sunshine.redflags.choices import HitReview
from sunshine.redflags.engine import run_rules
from sunshine.redflags.models import Hit
from sunshine.redflags.selectors import rule_figures
from sunshine.redflags.services import hit_review, rule_set_enabled

from .planted import TODAY, subject_key

pytestmark = pytest.mark.django_db


def _figures(actor, code):
    return next(f for f in rule_figures(actor=actor) if f.rule.code == code)


def test_a_first_run_makes_every_hit_a_clue_and_a_second_run_makes_none(world):
    office = world.city.accounts["office"]
    run = run_rules(full=True, actor=office, today=TODAY)

    expected = set().union(*world.expected.values())
    assert expected <= set(Hit.objects.values_list("subject_key", flat=True))
    clues = Report.objects.filter(channel=Channel.REDFLAG)
    assert clues.count() == Hit.objects.count()
    assert run.status == "succeeded" and run.counts["R02"] == {"found": 1, "new": 1}
    assert run.inputs["registries"] and run.inputs["parameters"]["min_payments"] == "5"
    dead = Hit.objects.get(rule_code="R02")
    assert "死亡（火化）后仍在领取" in dead.report.text and "第16类问题" in dead.report.text
    assert "2026-02-01" in dead.report.text and dead.report.problem_type.number == 16
    assert dead.report.about_type == "redflags.hit" and dead.report.about_id == dead.pk

    again = run_rules(full=True, actor=office, today=TODAY)
    assert again.counts["R02"] == {"found": 1, "new": 0}
    assert Report.objects.filter(channel=Channel.REDFLAG).count() == clues.count()


def test_an_incremental_run_finds_what_arrived_since_the_last_run(world):
    office = world.city.accounts["office"]
    run_rules(full=True, actor=office, today=TODAY)
    before = Report.objects.filter(channel=Channel.REDFLAG).count()
    household = world.hh(3)
    world.pay(household, item="光伏收益", amount="400", paid_on=dt.date(2026, 1, 15), period="2026年第1季度")
    world.pay(household, item="光伏收益", amount="400", paid_on=dt.date(2026, 1, 16), period="2026年第1季度")

    run = run_rules(actor=office, today=TODAY)

    assert not run.full and run.since_payment > 0
    assert run.counts["R08"] == {"found": 1, "new": 1}
    assert run.counts["R02"] == {"found": 0, "new": 0}  # nothing new about the dead: not even looked at again
    assert Hit.objects.filter(rule_code="R08", subject_key=subject_key("R08", household.pk, "光伏收益", "2026年第1季度")).exists()
    # the two payments are overdue for publication too: the first such group of their village, item and period
    assert run.counts["R14"] == {"found": 1, "new": 1}
    assert Hit.objects.filter(subject_key=subject_key("R14", household.village_id, "光伏收益", "2026年第1季度")).exists()
    assert Report.objects.filter(channel=Channel.REDFLAG).count() == before + 2


def test_each_rule_goes_on_from_its_own_last_run(world):
    """A run of some rules only (the demo's second R11 run) leaves the other rules' watermarks where they were: the
    next run of every rule still finds a duplicate paid before it."""
    office = world.city.accounts["office"]
    run_rules(full=True, actor=office, today=TODAY)
    household = world.hh(3)
    world.pay(household, item="光伏收益", amount="400", paid_on=dt.date(2026, 1, 15), period="2026年第1季度")
    world.pay(household, item="光伏收益", amount="400", paid_on=dt.date(2026, 1, 16), period="2026年第1季度")
    r11 = run_rules(actor=office, codes=["R11"], today=TODAY)
    assert "R08" not in r11.counts and r11.inputs["marks"]["R11"][0] > r11.since_payment
    again = run_rules(actor=office, codes=["R11"], full=True, today=TODAY)  # as the demo's second R11 run
    assert again.inputs["marks"]["R08"] == r11.inputs["marks"]["R08"]

    run = run_rules(actor=office, today=TODAY)

    assert not run.full and run.counts["R08"] == {"found": 1, "new": 1}
    assert run.counts["R02"] == {"found": 0, "new": 0}
    assert run.since_payment < r11.upto_payment  # R08's mark was the full run's


def test_reviews_update_the_rules_precision(world):
    office, room = world.city.accounts["office"], world.city.accounts["discipline"]
    run_rules(full=True, actor=office, today=TODAY)
    hits = list(Hit.objects.filter(rule_code="R08").order_by("id"))
    assert len(hits) == 3
    assert _figures(office, "R08").precision is None

    hit_review(hit=hits[0], actor=office, verdict=HitReview.CONFIRMED, reason="银行流水核实重复发放")
    hit_review(hit=hits[1], actor=office, verdict=HitReview.FALSE_POSITIVE, reason="户籍迁移补发，非重复")
    figures = _figures(office, "R08")
    assert (figures.hits, figures.confirmed, figures.false_positive, figures.pending) == (3, 1, 1, 1)
    assert figures.precision == Decimal("50.0")
    hit_review(hit=hits[2], actor=office, verdict=HitReview.CONFIRMED, reason="核实属实")
    assert _figures(office, "R08").precision == Decimal("66.7")

    with pytest.raises(ApplicationError):
        hit_review(hit=hits[0], actor=office, verdict=HitReview.CONFIRMED, reason="  ")
    with pytest.raises(ApplicationError):
        hit_review(hit=hits[0], actor=room, verdict="maybe", reason="x")


def test_a_rule_switched_off_does_not_run_and_the_change_is_kept(world):
    from sunshine.core.models import AuditRecord

    office = world.city.accounts["office"]
    rule_set_enabled(actor=office, code="R02", enabled=False)
    run = run_rules(full=True, actor=office, today=TODAY)
    assert "R02" not in run.counts and not Hit.objects.filter(rule_code="R02").exists()
    figures = _figures(office, "R02")
    assert not figures.enabled and figures.changed_by == "office"
    assert AuditRecord.objects.filter(object_type="redflags.rule", object_id="R02").exists()
    with pytest.raises(ApplicationError):
        rule_set_enabled(actor=world.city.accounts["discipline"], code="R02", enabled=True)


def test_an_incremental_run_reaches_the_registries_through_the_registry_keys(world):
    """An incremental run's registry rules start from the person keys a registry lists (RegistryKey, kept by
    services.registry_keys_refresh in each run's start): a household added after the last run whose head's car was
    listed before it, and a car listed after the last run for a household keyed before it, are both found."""
    from sunshine.org.models import Household, HouseholdMember
    from sunshine.redflags import testing as reg
    from sunshine.redflags.idkeys import id_key
    from sunshine.redflags.models import RegistryKey

    from .planted import outsider

    office = world.city.accounts["office"]
    number = outsider()
    reg.vehicle(number, "湘C55555")  # listed before anyone has the number
    keyed_before = world.hh(2)
    world.pay(keyed_before)
    run_rules(full=True, actor=office, today=TODAY)
    assert not RegistryKey.objects.filter(id_key=id_key(number)).exists()

    newcomer = world.hh(2)
    HouseholdMember.objects.filter(household=newcomer).update(id_number=number)
    Household.objects.filter(pk=newcomer.pk).update(head_id_number=number)
    world.pay(newcomer)
    reg.vehicle(keyed_before.head_id_number, "湘C66666")  # a new registry batch about a known household

    run = run_rules(actor=office, today=TODAY)

    assert not run.full
    assert set(RegistryKey.objects.filter(household__in=[newcomer, keyed_before]).values_list("id_key", flat=True)) \
        == {id_key(number), id_key(keyed_before.head_id_number)}
    found = set(Hit.objects.filter(rule_code="R03").values_list("subject_key", flat=True))
    assert {subject_key("R03", newcomer.pk, "湘C55555"), subject_key("R03", keyed_before.pk, "湘C66666")} <= found
    assert run.counts["R03"]["new"] == 2
