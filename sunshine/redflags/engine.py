"""Running the rules inside the database: one set-based SELECT per rule, translated by sqlglot from the one text.

`render_sql` gives a rule's text in any dialect sqlglot knows (postgres, sqlite, duckdb, spark); `run_rules` runs
the enabled rules on Django's database and hands the hits to `services.runs` (recorded, new ones become clues).
Python never loops over the source rows: it only reads each rule's result, the hits.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal

import sqlglot
from sqlglot import exp

from sunshine.core.plan import plan_value

from .rules import HIT_COLUMNS, RULES, TABLES, Rule

FULL_RUN_DATE = dt.date(1900, 1, 1)
_DJANGO_DIALECT = {"postgresql": "postgres", "sqlite": "sqlite"}
_MARK = "__redflags_param_{}__"
PG_WORK_MEM = "256MB"  # per rule, for its transaction only (SET LOCAL)
PG_RANDOM_PAGE_COST = 1.1  # an SSD's, per rule


# The run's switches a rule may test against a number (`:since_payment = 0`: a full run; R10's tolerance sign). Folded into the text
# before a database plans it (`values` given): PostgreSQL turns IN/EXISTS into joins before it folds constants, so
# `:since_payment = 0 OR EXISTS (…)` would stay a per-row subplan in an incremental run and a full run would still
# plan the dead branch; folded, a full run has no such test at all and an incremental one has a plain semi-join.
SWITCHES = ("since_payment", "since_batch", "tolerance_percent")
_COMPARE = {exp.EQ: lambda a, b: a == b, exp.NEQ: lambda a, b: a != b, exp.GT: lambda a, b: a > b,
            exp.GTE: lambda a, b: a >= b, exp.LT: lambda a, b: a < b, exp.LTE: lambda a, b: a <= b}


def _number(node: exp.Expression) -> Decimal | None:
    """A numeric literal (`0`, `-100`) as a Decimal, else None."""
    if isinstance(node, exp.Neg):
        inner = _number(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Literal) and not node.is_string:
        return Decimal(node.this)
    return None


def _fold_switches(tree: exp.Expression, values: dict) -> exp.Expression:
    """Replace `:switch <op> number` by TRUE/FALSE and simplify the AND/OR/WHERE/HAVING around them."""

    def fold(node: exp.Expression) -> exp.Expression:
        compare = _COMPARE.get(type(node))
        if compare is not None:
            left, right = node.this, node.expression
            number = _number(right)
            if (isinstance(left, exp.Placeholder) and left.name in SWITCHES and left.name in values
                    and number is not None):
                return exp.true() if compare(Decimal(str(values[left.name])), number) else exp.false()
            return node
        if isinstance(node, exp.Paren) and isinstance(node.this, exp.Boolean):
            return node.this
        if isinstance(node, exp.Or | exp.And):
            a, b = node.this, node.expression
            absorbing = isinstance(node, exp.Or)  # TRUE absorbs an OR, FALSE an AND
            for x, y in ((a, b), (b, a)):
                if isinstance(x, exp.Boolean):
                    return x if x.this is absorbing else y
        if isinstance(node, exp.Not) and isinstance(node.this, exp.Boolean):
            return exp.false() if node.this.this else exp.true()
        return node

    changed = [True]

    def folding(node: exp.Expression) -> exp.Expression:
        out = fold(node)
        if out is not node:
            changed[0] = True
        return out

    # transform() visits a parent before its children: fold until nothing changes (a flag, not comparing the
    # whole text each pass: generating SQL is the costly part of rendering, issue 15 speed)
    while changed[0]:
        changed[0] = False
        tree = tree.transform(folding, copy=False)
    for clause in list(tree.find_all(exp.Where, exp.Having)):
        if isinstance(clause.this, exp.Boolean) and clause.this.this:
            clause.pop()
    return tree


@functools.lru_cache(maxsize=256)
def _parsed(sql: str) -> exp.Expression:
    """A rule's text parsed once per process (parsing is most of rendering's cost); callers copy it."""
    return sqlglot.parse_one(sql, read="postgres")


def _switch_signature(sql: str, values: dict) -> tuple:
    """What folding `sql` with `values` depends on: the outcome of each `:switch <op> number` in it. Two runs with
    the same outcomes fold to the same text (an incremental run's watermarks differ from run to run, the text not)."""
    out = []
    for node in _parsed(sql).find_all(*_COMPARE):
        left, number = node.this, _number(node.expression)
        if (isinstance(left, exp.Placeholder) and left.name in SWITCHES and left.name in values
                and number is not None):
            out.append(_COMPARE[type(node)](Decimal(str(values[left.name])), number))
    return tuple(out)


def _tree(rule: Rule, *, physical: bool, values: dict | None = None) -> exp.Expression:
    tree = _parsed(rule.sql).copy()
    if values is not None:
        tree = _fold_switches(tree, values)
    if physical:
        ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            if table.name in TABLES and table.name not in ctes:
                alias = table.alias or table.name
                table.set("this", exp.to_identifier(TABLES[table.name].db_table))
                table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return tree


def render_sql(rule: Rule, dialect: str, *, physical: bool = True, values: dict | None = None) -> str:
    """The rule's SELECT in `dialect` ("postgres", "sqlite", "duckdb", "spark"), with the dialect's own named
    placeholders. `physical=False` keeps the logical table names (an engine that registers them as views);
    `values` folds the run's switches (SWITCHES) into the text, as the database engine does."""
    signature = None if values is None else _switch_signature(rule.sql, values)
    return _render(rule.sql, dialect, physical, signature, values)


def render_for_django(rule: Rule, vendor: str, values: dict | None = None) -> str:
    """The rule for Django's cursor: placeholders as %(name)s, literal % doubled; `values`: see render_sql."""
    signature = None if values is None else _switch_signature(rule.sql, values)
    return _render(rule.sql, "django-" + vendor, True, signature, values)


# Rendered texts by (rule text, dialect, physical, switches' outcomes): a rule is rendered once per process and
# shape, not once per run (issue 15, speed: rendering the 17 rules took about 0.5 s of an incremental run).
_RENDERED: dict[tuple, str] = {}


def _render(sql: str, dialect: str, physical: bool, signature: tuple | None, values: dict | None) -> str:
    key = (sql, dialect, physical, signature)
    text = _RENDERED.get(key)
    if text is None:
        rule = Rule(code="", title="", explanation="", problem_type=0, sql=sql)
        if dialect.startswith("django-"):
            text = _render_django(rule, dialect.removeprefix("django-"), values)
        else:
            text = _tree(rule, physical=physical, values=values).sql(dialect=dialect)
        _RENDERED[key] = text
    return text


def _render_django(rule: Rule, vendor: str, values: dict | None) -> str:
    tree = _tree(rule, physical=True, values=values)
    for node in list(tree.find_all(exp.Placeholder)):
        node.replace(exp.column(_MARK.format(node.name)))
    text = tree.sql(dialect=_DJANGO_DIALECT[vendor]).replace("%", "%%")
    return re.sub(_MARK.format(r"(\w+?)"), r"%(\1)s", text)


def run_parameters(*, today: dt.date, since_payment: int = 0, since_batch: int = 0,
                   prev_overdue_before: dt.date = FULL_RUN_DATE) -> dict:
    """The values every rule may use (rules.RUN_PARAMETERS) and every rule's plan numbers for today's year."""
    from sunshine.funds.rules import publication_overdue_before

    from .plan import R13_DISCLOSE_DAYS

    values: dict = {
        "since_payment": since_payment, "since_batch": since_batch,
        "overdue_before": publication_overdue_before(today), "prev_overdue_before": prev_overdue_before,
        "idle_cutoff": _idle_cutoff(today),
        "disclose_before": dt.datetime.combine(
            today - dt.timedelta(days=int(plan_value(R13_DISCLOSE_DAYS, year=today.year))), dt.time(),
            tzinfo=dt.UTC),
    }
    for rule in RULES:
        for name, param in rule.params.items():
            values[name] = plan_value(param, year=today.year)
    return values


def _idle_cutoff(today: dt.date) -> dt.date:
    """The statistics desk's idle-money cut-off (funds.rules.idle_cutoff, the plan's funds.idle.days)."""
    from sunshine.funds import rules

    return rules.idle_cutoff(today)


def adapt_parameters(values: dict, vendor: str) -> dict:
    """SQLite compares dates as text and numbers only with numbers: give it ISO strings and floats."""
    if vendor != "sqlite":
        return values
    out = {}
    for name, value in values.items():
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        out[name] = value
    return out


PER_RULE = "_per_rule"  # in a run's values: {rule code: the rule's own watermarks} (services.run_start)


def rule_values(values: dict, rule: Rule) -> dict:
    """The run's values as `rule` sees them: with its own watermarks (since_payment, since_batch,
    prev_overdue_before) where the run gives each rule its own."""
    out = {name: value for name, value in values.items() if name != PER_RULE}
    out.update(values.get(PER_RULE, {}).get(rule.code, {}))
    return out


def execute_rule(rule: Rule, values: dict, *, using: str = "default") -> list[dict]:
    """Run one rule in the database; its hits as dicts keyed by HIT_COLUMNS."""
    from django.db import connections, transaction

    values = rule_values(values, rule)
    connection = connections[using]
    sql = render_for_django(rule, connection.vendor, values)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A rule is one analytical query: let its sorts and hashes stay in memory (the default 4 MB spills
            # a city's grouping to disk) and skip JIT compilation, which costs more than it saves at these sizes.
            cursor.execute(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
            cursor.execute("SET LOCAL jit = off")
            # Probing an index (a matched household's payments) is what these rules are shaped for; at the default
            # random_page_cost (4, a spinning disk) PostgreSQL prefers hashing the whole payment table whenever it
            # overestimates the registry matches, which it cannot estimate (hashed keys have no overlap statistics).
            cursor.execute(f"SET LOCAL random_page_cost = {PG_RANDOM_PAGE_COST}")
            if not values.get("since_payment") and not values.get("since_batch"):  # a full run (see Rule)
                for setting in rule.pg_settings:
                    cursor.execute(f"SET LOCAL {setting}")
            else:
                # An incremental run's rule reads a few thousand rows by index: starting parallel workers costs
                # more than it saves (measured: 10–20 ms a Gather, even for a branch a one-time filter skips).
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, adapt_parameters(values, connection.vendor))
        return [dict(zip(HIT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def run_rules(*, engine: str = "db", full: bool = False, actor=None, codes: list[str] | None = None,
              today: dt.date | None = None, progress: Callable[[str], None] | None = None,
              make_clues: bool = True):
    """Run the enabled rules (all, or `codes`) once: incrementally over what arrived since the last run, or in
    full. Returns the finished Run. `engine="spark"` is handled by redflags.engines.spark."""
    from . import services

    if engine != "db":
        from .engines import spark

        return spark.run_rules(full=full, actor=actor, codes=codes, today=today, progress=progress,
                               make_clues=make_clues)
    run, values, rules = services.run_start(engine="db", full=full, actor=actor, codes=codes, today=today)
    try:
        for rule in rules:
            services.hits_record(run=run, rule=rule, rows=execute_rule(rule, values))
            if progress is not None:
                progress(rule.code)
        return services.run_finish(run=run, make_clues=make_clues)
    except Exception as exc:
        # The hits recorded so far stay (the next run does not find them new); a hit still without a clue gets
        # one on the next run.
        services.run_fail(run=run, message=str(exc))
        raise
