"""Each rule finds exactly its planted hits and none of the near-misses (tests/planted.py), on the test database."""
from __future__ import annotations

import datetime as dt

import pytest

from sunshine.funds.models import HouseholdPayment
from sunshine.funds.rules import publication_due_date
from sunshine.redflags.engine import execute_rule, render_sql, run_parameters
from sunshine.redflags.rules import HIT_COLUMNS, RULES, TABLES
from sunshine.redflags.services import payment_slots_refresh, person_keys_refresh

from .planted import TODAY, subject_key

pytestmark = pytest.mark.django_db


def hits_of(rule, *, engine: str, today: dt.date = TODAY) -> set[str]:
    assert engine == "db"
    person_keys_refresh()
    payment_slots_refresh(since=0)
    return {row["subject_key"] for row in execute_rule(rule, run_parameters(today=today))}


def test_there_are_at_least_the_seventeen_rules_each_with_its_problem_type_and_explanation():
    assert [r.code for r in RULES][:17] == [f"R{i:02d}" for i in range(1, 18)]
    for rule in RULES:
        assert 1 <= rule.problem_type <= 27
        assert f"第{rule.problem_type}类问题" in rule.explanation
        assert set(rule.tables) <= set(TABLES)


@pytest.mark.parametrize("dialect", ["postgres", "sqlite", "duckdb", "spark"])
def test_every_rule_renders_in_every_dialect(dialect):
    for rule in RULES:
        sql = render_sql(rule, dialect)
        assert sql.upper().startswith(("SELECT", "WITH"))


@pytest.mark.parametrize("code", [r.code for r in RULES if r.code != "R14"])
def test_rule_finds_its_planted_hits_and_not_the_near_misses(world, rule_engine, code):
    rule = next(r for r in RULES if r.code == code)
    assert world.expected[code], "every rule has at least one planted hit"
    assert hits_of(rule, engine=rule_engine) == world.expected[code]


def test_overdue_publication_rule_agrees_with_the_household_pages_due_date(world, rule_engine):
    """R14 and funds.rules.publication_due_date say the same: unpublished and due before today."""
    rule = next(r for r in RULES if r.code == "R14")
    expected = {f"R14:{p.village_id}:{p.fund_item}:{p.period}"
                for p in HouseholdPayment.objects.filter(is_current=True, published_at__isnull=True)
                if publication_due_date(p.paid_on) < TODAY}
    assert expected and "临时救助" not in {key.split(":")[2] for key in expected if "2026年1月" in key}
    assert hits_of(rule, engine=rule_engine) == expected
    # The day a payment's due date passes it becomes overdue, and not the day before.
    p = HouseholdPayment.objects.get(fund_item="临时救助", paid_on=dt.date(2026, 3, 20))
    due = publication_due_date(p.paid_on)
    key = subject_key("R14", p.village_id, "临时救助", "2026年3月")
    assert key not in hits_of(rule, engine=rule_engine, today=due)
    assert key in hits_of(rule, engine=rule_engine, today=due + dt.timedelta(days=1))


def test_every_rule_returns_the_hit_columns(world):
    from django.db import connection

    from sunshine.redflags.engine import adapt_parameters, render_for_django

    for rule in RULES:
        with connection.cursor() as cursor:
            cursor.execute(render_for_django(rule, connection.vendor),
                           adapt_parameters(run_parameters(today=TODAY), connection.vendor))
            assert tuple(c[0] for c in cursor.description) == HIT_COLUMNS


def test_idle_money_rule_agrees_with_the_statistics_desks_definition(world, rule_engine):
    """R11 and funds.rules.idle_allocations (the statistics desk's idle money) find the same allocations."""
    from sunshine.funds.rules import idle_allocations

    rule = next(r for r in RULES if r.code == "R11")
    expected = {f"R11:{a.lineage.hex}" for a in idle_allocations(today=TODAY)}
    assert expected == world.expected["R11"]
    assert hits_of(rule, engine=rule_engine) == expected
    rows = execute_rule(rule, run_parameters(today=TODAY))
    assert [float(r["amount"]) for r in rows] == [float(a.unspent) for a in idle_allocations(today=TODAY)]
