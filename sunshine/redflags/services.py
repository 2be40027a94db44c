"""Writes of the data comparison: beneficiaries' keys, runs and their hits, clues, reviews and rule switches."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import require

from . import evidence as evidence_mod
from .capabilities import Capability
from .choices import HitReview, RunStatus
from .errors import RedflagsErrorCode
from .idkeys import id_key_function, id_keys
from .models import KEY_LENGTH, Hit, RegistryBatch, RuleSetting, Run
from .rules import RULES, RULES_BY_CODE, Rule

logger = logging.getLogger(__name__)
KEY_BATCH = 5000
CLUE_BATCH = 200  # hits made clues in one transaction
REASON_MAX = 300


# ---- beneficiaries' keys ------------------------------------------------------------------------------------
_SQLITE_FUNCTION = "redflags_id_key"


def person_keys_refresh(*, full: bool = False, since_member: int = 0, since_household: int = 0) -> int:
    """Key every household member and head not keyed yet (every key brought up to date when `full`); returns how
    many were added (how many keys there are, when `full`).

    In bulk (issue 15, speed: a city's 3,000,000 people in a minute or so, not the 45 minutes of inserting them one
    by one): the members, then the heads (a head who is also a member keeps the member's household, as before),
    each read in pages of the primary key. The keyed hash is always computed in this process (idkeys.id_keys): on
    PostgreSQL the keys are copied in (COPY) to a temporary table and inserted from it by one INSERT … SELECT, so
    the HMAC's key never reaches the database server (a server logging statements, errors or slow queries with
    their parameters, or pg_stat_activity, would show it); SQLite (in this process) calls idkeys.id_key as an SQL
    function. A run passes the
    previous run's watermarks (`since_member`, `since_household`: the largest ids it had seen), so only members and
    households added since are looked at (an index range, not every person of the city).
    """
    from django.db import connection

    with transaction.atomic(), connection.cursor() as cursor:
        if full:
            _person_keys_merge(cursor, connection.vendor)
            since_member = since_household = 0
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM redflags_personkey")
        before = cursor.fetchone()[0]
        added = 0
        for table, number, household, since in (("org_householdmember", "id_number", "household_id", since_member),
                                                ("org_household", "head_id_number", "id", since_household)):
            added += _person_keys_insert(cursor, connection.vendor, table=table, number=number,
                                         household=household, since=since)
        _person_keys_mark_shared(cursor, after=None if full else before)
        if full:
            cursor.execute("SELECT COUNT(*) FROM redflags_personkey")
            return cursor.fetchone()[0]
        return added


KEY_PAGE = 50_000  # rows read, hashed and copied in at a time (memory stays a page's)
_STAGE = "redflags_keys_stage"


def _stage_create(cursor) -> None:
    """A temporary table of (seq, id, id_number, id_key, household_id) rows keyed in this process, dropped at
    commit (PostgreSQL)."""
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} (seq bigint, id bigint, id_number varchar(18), "
                   f"id_key varchar({KEY_LENGTH}), household_id bigint) ON COMMIT DROP")
    cursor.execute(f"TRUNCATE {_STAGE}")


def _stage_copy(cursor, rows: list[tuple]) -> None:
    """COPY `rows` into the stage: the rows travel as COPY data, which no statement log records."""
    with cursor.cursor.copy(f"COPY {_STAGE} (seq, id, id_number, id_key, household_id) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _pages(cursor, select: str, params: dict):
    """`select` (ids after %(after)s, ORDER BY the id, LIMIT %(page)s, the id first) page by page."""
    after = 0
    while True:
        cursor.execute(select, {**params, "after": after, "page": KEY_PAGE})
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _person_keys_merge(cursor, vendor: str) -> None:
    """A full refresh brings every existing key up to date in place instead of deleting and making 3,000,000 keys
    again (an insert into the id_key index at a random place for each): people no longer anyone's lose their key,
    a key made otherwise (another secret) is made again, a person no longer in the household keyed goes to a
    household that lists the person (one that has the person as a member before one headed by them, as a
    refresh from nothing chooses); the people not keyed yet are then added by the caller, and `shared` recomputed.
    """
    t = "redflags_personkey"
    cursor.execute(f"DELETE FROM {t} WHERE NOT EXISTS (SELECT 1 FROM org_householdmember m "
                   f"WHERE m.id_number = {t}.id_number) AND NOT EXISTS (SELECT 1 FROM org_household h "
                   f"WHERE h.head_id_number = {t}.id_number)")
    if vendor == "postgresql":  # every key made again here, the few that differ copied in and updated
        _stage_create(cursor)
        for rows in _pages(cursor, f"SELECT id, id_number, id_key FROM {t} WHERE id > %(after)s ORDER BY id "
                                   f"LIMIT %(page)s", {}):
            keys = id_keys([r[1] for r in rows])
            _stage_copy(cursor, [(0, pk, None, k, None) for (pk, _n, old), k in zip(rows, keys, strict=True)
                                 if k != old])
        cursor.execute(f"UPDATE {t} SET id_key = s.id_key FROM {_STAGE} s WHERE {t}.id = s.id")
    else:
        _sqlite_register(cursor)
        key = f"{_SQLITE_FUNCTION}({t}.id_number)"
        cursor.execute(f"UPDATE {t} SET id_key = {key} WHERE {t}.id_key <> {key}")
    member_here = (f"EXISTS (SELECT 1 FROM org_householdmember m WHERE m.id_number = {t}.id_number "
                   f"AND m.household_id = {t}.household_id)")
    a_member = f"EXISTS (SELECT 1 FROM org_householdmember m WHERE m.id_number = {t}.id_number)"
    head_here = (f"EXISTS (SELECT 1 FROM org_household h WHERE h.id = {t}.household_id "
                 f"AND h.head_id_number = {t}.id_number)")
    cursor.execute(
        f"UPDATE {t} SET household_id = COALESCE("
        f"(SELECT MIN(m.household_id) FROM org_householdmember m WHERE m.id_number = {t}.id_number), "
        f"(SELECT MIN(h.id) FROM org_household h WHERE h.head_id_number = {t}.id_number)) "
        f"WHERE NOT {member_here} AND ({a_member} OR NOT {head_here})")
    # `shared` again from the keys as they now are: cleared where no other key has the id_key any more (few rows:
    # only those marked), marked by the caller where another one does.
    cursor.execute(f"UPDATE {t} SET shared = FALSE WHERE shared = TRUE AND NOT EXISTS "
                   f"(SELECT 1 FROM {t} o WHERE o.id_key = {t}.id_key AND o.id <> {t}.id)")


def _person_keys_insert(cursor, vendor: str, *, table: str, number: str, household: str, since: int) -> int:
    """Insert the keys of `table`'s people (id > since) not keyed yet; returns how many were added.
    NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a subquery larger than work_mem row by row; NOT EXISTS is
    an anti-join. ON CONFLICT DO NOTHING keeps the first of one number listed twice (two households): the rows are
    inserted in the order of `table`'s ids."""
    source = (f"FROM {table} x WHERE x.id > %(since)s AND NOT EXISTS "
              f"(SELECT 1 FROM redflags_personkey k WHERE k.id_number = x.{number})")
    if vendor == "postgresql":
        staged = False
        for rows in _pages(cursor, f"SELECT x.id, x.{number}, x.{household} {source} AND x.id > %(after)s "
                                   f"ORDER BY x.id LIMIT %(page)s", {"since": since}):
            if not staged:  # no temporary table for a run with nobody new (most runs)
                _stage_create(cursor)
                staged = True
            keys = id_keys([r[1] for r in rows])
            _stage_copy(cursor, [(pk, None, n, k, h) for (pk, n, h), k in zip(rows, keys, strict=True)])
        if not staged:
            return 0
        cursor.execute(f"INSERT INTO redflags_personkey (id_number, id_key, household_id, shared) "
                       f"SELECT id_number, id_key, household_id, FALSE FROM {_STAGE} ORDER BY seq "
                       f"ON CONFLICT (id_number) DO NOTHING")
        return cursor.rowcount
    _sqlite_register(cursor)
    cursor.execute(f"INSERT OR IGNORE INTO redflags_personkey (id_number, id_key, household_id, shared) "
                   f"SELECT x.{number}, {_SQLITE_FUNCTION}(x.{number}), x.{household}, 0 {source} ORDER BY x.id",
                   {"since": since})
    return cursor.rowcount


def _sqlite_register(cursor) -> None:
    """idkeys.id_key as an SQL function on this SQLite connection (deterministic: SQLite may cache it)."""
    one = id_key_function()
    cursor.db.connection.create_function(_SQLITE_FUNCTION, 1, lambda n: None if n is None else one(n),
                                         deterministic=True)


def _person_keys_mark_shared(cursor, *, after: int | None) -> None:
    """Mark `shared` the person keys whose id_key another one has too: looking only at the keys added after id
    `after` (each an index probe on id_key), or at every key (`after` None: a full refresh)."""
    if after is None:
        cursor.execute("UPDATE redflags_personkey SET shared = TRUE WHERE shared = FALSE AND id_key IN "
                       "(SELECT id_key FROM redflags_personkey GROUP BY id_key HAVING COUNT(*) > 1)")
        return
    cursor.execute("UPDATE redflags_personkey SET shared = TRUE WHERE shared = FALSE AND id_key IN "
                   "(SELECT n.id_key FROM redflags_personkey n WHERE n.id > %s AND EXISTS "
                   "(SELECT 1 FROM redflags_personkey o WHERE o.id_key = n.id_key AND o.id <> n.id))", [after])


# ---- the payment slots R08 and R09 read ----------------------------------------------------------------------
def payment_slots_refresh(*, since: int | None = None, upto: int | None = None) -> int:
    """List the (household, item, period) and (payee, item, period) slots that the payments with ids in (since, upto]
    made clashes of: another current payment of the same household, or of the same payee in another village (models
    HouseholdSlotClash, PayeeSlotClash; R08 and R09 read only these). Returns `upto`.

    Issue 15 ("stop duplicates with a unique key at import"): a city's 10,000,000 payments are grouped once, by the
    first refresh (`since` 0); from then on each run looks only at the payments added since the last one (`since`
    defaults to the last finished run's `slots_upto`), each an index probe (funds_payment_slot,
    funds_payment_payee_slot) for its twin. Both tables have a unique key, so a slot seen again adds nothing.
    """
    from django.db import connection

    from sunshine.funds.models import HouseholdPayment

    if since is None:
        previous = Run.objects.filter(status=RunStatus.SUCCEEDED).order_by("-id").first()
        since = int(previous.inputs.get("slots_upto", 0)) if previous is not None else 0
    if upto is None:
        upto = HouseholdPayment.objects.aggregate(m=Max("id"))["m"] or 0
    if upto <= since:
        return upto
    params = {"since": since, "upto": upto}
    if since == 0:  # every payment: one grouping (in key order over the slot indexes on PostgreSQL)
        household = """
            SELECT p.household_id, p.fund_item, p.period FROM funds_householdpayment p
            WHERE p.is_current AND p.id <= %(upto)s GROUP BY p.household_id, p.fund_item, p.period
            HAVING COUNT(*) > 1"""
        payee = """
            SELECT p.payee_id_number, p.fund_item, p.period, MIN(p.village_id) FROM funds_householdpayment p
            WHERE p.is_current AND p.id <= %(upto)s GROUP BY p.payee_id_number, p.fund_item, p.period
            HAVING MIN(p.village_id) <> MAX(p.village_id)"""
    else:  # the new payments (a range of the primary key), each probing for its twin
        household = """
            SELECT DISTINCT n.household_id, n.fund_item, n.period FROM funds_householdpayment n
            WHERE n.id > %(since)s AND n.id <= %(upto)s AND n.is_current
              AND EXISTS (SELECT 1 FROM funds_householdpayment q WHERE q.household_id = n.household_id
                          AND q.fund_item = n.fund_item AND q.period = n.period AND q.is_current AND q.id <> n.id)"""
        payee = """
            SELECT n.payee_id_number, n.fund_item, n.period, MIN(n.village_id) FROM funds_householdpayment n
            WHERE n.id > %(since)s AND n.id <= %(upto)s AND n.is_current
              AND EXISTS (SELECT 1 FROM funds_householdpayment q WHERE q.payee_id_number = n.payee_id_number
                          AND q.fund_item = n.fund_item AND q.period = n.period AND q.is_current
                          AND q.village_id <> n.village_id)
            GROUP BY n.payee_id_number, n.fund_item, n.period"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO redflags_householdslotclash (household_id, fund_item, period) "
                       f"{household} ON CONFLICT DO NOTHING", params)
        cursor.execute("INSERT INTO redflags_payeeslotclash (payee_id_number, fund_item, period, village_id) "
                       f"{payee} ON CONFLICT DO NOTHING", params)
    return upto


# ---- the person keys a registry lists (incremental runs' registry rules start from them) ---------------------
# Every registry's key column: a person key found in any of them is listed (one list for every rule: a superset of
# each rule's matches, so a rule's conditions (a vehicle's type, a purchase's amount) and the plan's thresholds may
# change without rebuilding it).
REGISTRY_KEY_COLUMNS = (("redflags_official", "id_key"), ("redflags_officialrelative", "id_key"),
                        ("redflags_deathrecord", "id_key"), ("redflags_vehicle", "owner_key"),
                        ("redflags_businessrole", "id_key"), ("redflags_propertypurchase", "buyer_key"),
                        ("redflags_pensionenrolment", "id_key"))


def registry_keys_refresh(*, since_key: int | None = None, since_batch: int | None = None) -> list[int]:
    """List (models.RegistryKey) the person keys that some registry lists: those with ids in (since_key, now] probe
    the registries' key indexes, the registry rows of batches after `since_batch` probe the person keys' id_key
    index; `since_key` 0 rebuilds the list whole (after a full refresh of the person keys, which may re-key or move
    them). Defaults: the last finished run's `registry_keys_upto`. Returns the new watermarks [person key, batch].

    Issue 15, speed: an incremental run's registry rules then read a few of these rows per new payment's household
    instead of every person key of those households (30,000 at the issue's size) against each registry.
    """
    from django.db import connection

    if since_key is None or since_batch is None:
        previous = Run.objects.filter(status=RunStatus.SUCCEEDED).order_by("-id").first()
        upto = previous.inputs.get("registry_keys_upto") if previous is not None else None
        since_key, since_batch = (int(upto[0]), int(upto[1])) if upto else (0, 0)
    insert = "INSERT INTO redflags_registrykey (household_id, id_key) "
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM redflags_registrybatch")
        batch_upto = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM redflags_personkey")
        key_upto = cursor.fetchone()[0]
        if since_key == 0:
            cursor.execute("DELETE FROM redflags_registrykey")
            listed = " UNION ".join(f"SELECT {column} FROM {table}" for table, column in REGISTRY_KEY_COLUMNS)
            cursor.execute(f"{insert} SELECT DISTINCT k.household_id, k.id_key FROM redflags_personkey k "
                           f"WHERE k.id <= %s AND k.id_key IN ({listed}) ON CONFLICT DO NOTHING", [key_upto])
            return [key_upto, batch_upto]
        if key_upto > since_key:  # the new person keys (an index range), each probing every registry's key index
            found = " OR ".join(f"EXISTS (SELECT 1 FROM {table} r WHERE r.{column} = k.id_key)"
                                for table, column in REGISTRY_KEY_COLUMNS)
            cursor.execute(f"{insert} SELECT k.household_id, k.id_key FROM redflags_personkey k "
                           f"WHERE k.id > %s AND k.id <= %s AND ({found}) ON CONFLICT DO NOTHING",
                           [since_key, key_upto])
        if batch_upto > since_batch:  # the new registry rows (their batch index), each probing the person keys
            rows = " UNION ".join(f"SELECT {column} AS id_key FROM {table} WHERE batch_id > %(since)s "
                                  f"AND batch_id <= %(upto)s" for table, column in REGISTRY_KEY_COLUMNS)
            cursor.execute(f"{insert} SELECT DISTINCT k.household_id, k.id_key FROM redflags_personkey k "
                           f"WHERE k.id_key IN ({rows}) ON CONFLICT DO NOTHING",
                           {"since": since_batch, "upto": batch_upto})
    return [key_upto, batch_upto]


# ---- rule switches ------------------------------------------------------------------------------------------
def rules_enabled(codes: list[str] | None = None) -> list[Rule]:
    off = set(RuleSetting.objects.filter(enabled=False).values_list("code", flat=True))
    chosen = [r for r in RULES if (codes is None or r.code in codes)]
    return [r for r in chosen if r.code not in off]


@transaction.atomic
def rule_set_enabled(*, actor, code: str, enabled: bool) -> RuleSetting:
    """Switch a rule on or off (its past hits stay); audited as a configuration change."""
    require(actor, Capability.CONFIGURE)
    if code not in RULES_BY_CODE:
        raise ApplicationError("规则不存在", code=RedflagsErrorCode.RULE_UNKNOWN)
    setting, _ = RuleSetting.objects.select_for_update().get_or_create(code=code)
    before = setting.enabled
    setting.enabled = bool(enabled)
    setting.changed_by = actor
    setting.changed_at = timezone.now()
    setting.save()
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, object_type="redflags.rule", object_id=code,
                 detail={"enabled_from": before, "enabled_to": setting.enabled})
    return setting


def rule_set_threshold(*, actor, code: str, year: int, name: str, value) -> None:
    """Change one of a rule's thresholds for a year (kept in core.plan, audited there)."""
    from sunshine.core.plan import plan_value_set

    require(actor, Capability.CONFIGURE)
    rule = RULES_BY_CODE.get(code)
    if rule is None or name not in rule.params:
        raise ApplicationError("规则或参数不存在", code=RedflagsErrorCode.RULE_UNKNOWN)
    plan_value_set(actor=actor, year=year, param=rule.params[name], value=value)


# ---- runs ---------------------------------------------------------------------------------------------------
def _registries_summary() -> list[dict]:
    latest = (RegistryBatch.objects.values("kind").annotate(last=Max("id")).values_list("last", flat=True))
    return [{"kind": b.kind, "source": b.source, "data_date": b.data_date.isoformat(), "rows": b.rows,
             "batch": b.pk}
            for b in RegistryBatch.objects.filter(pk__in=list(latest)).order_by("kind")]


def run_start(*, engine: str, full: bool, actor=None, codes: list[str] | None = None,
              today: dt.date | None = None) -> tuple[Run, dict, list[Rule]]:
    """Open a run: key new beneficiaries, fix the watermarks and the parameters, record them as the inputs."""
    from sunshine.funds.models import HouseholdPayment
    from sunshine.org.models import Household, HouseholdMember

    from .engine import FULL_RUN_DATE, PER_RULE, run_parameters

    if actor is not None:
        require(actor, Capability.RUN)
    today = today or timezone.localdate()
    previous = Run.objects.filter(status=RunStatus.SUCCEEDED).order_by("-id").first()
    incremental = previous is not None and not full
    # Members and households are numbered as they are added: the watermarks are read before keying, so one added
    # meanwhile is keyed now or by the next run (one whose transaction commits out of its number's order is keyed
    # by the next full run).
    member_upto = HouseholdMember.objects.aggregate(m=Max("id"))["m"] or 0
    household_upto = Household.objects.aggregate(m=Max("id"))["m"] or 0
    keyed = person_keys_refresh(
        full=full, since_member=int(previous.inputs.get("member_upto", 0)) if incremental else 0,
        since_household=int(previous.inputs.get("household_upto", 0)) if incremental else 0)
    # The slots R08 and R09 read are refreshed from their own watermark whether the run is full or not: they are
    # kept as payments arrive, never re-grouped (payment_slots_refresh).
    upto_payment = HouseholdPayment.objects.aggregate(m=Max("id"))["m"] or 0
    slots_upto = payment_slots_refresh(upto=upto_payment)
    # The person keys a registry lists, for the registry rules of incremental runs: brought up to date from their
    # own watermark, rebuilt whole after a full refresh of the person keys.
    registry_keys_upto = registry_keys_refresh(since_key=0, since_batch=0) if full else registry_keys_refresh()
    upto_batch = RegistryBatch.objects.aggregate(m=Max("id"))["m"] or 0
    rules = rules_enabled(codes)
    # Each rule goes on from where it last ran (its own watermark, kept in every run's inputs["marks"]): a run of
    # some rules only (the demo's R11) leaves the others' marks where they were, so their next run still sees every
    # payment and registry row since.
    # A full run of some rules carries the other rules' marks forward too.
    marks = _rule_marks(previous) if previous is not None else {}
    per_rule = {}
    for rule in rules:
        start = marks.get(rule.code) if incremental else None
        since_p, since_b, overdue = start or (0, 0, FULL_RUN_DATE.isoformat())
        per_rule[rule.code] = {"since_payment": since_p, "since_batch": since_b,
                               "prev_overdue_before": dt.date.fromisoformat(overdue)}
    since_payment = min((v["since_payment"] for v in per_rule.values()), default=0)
    since_batch = min((v["since_batch"] for v in per_rule.values()), default=0)
    values = run_parameters(today=today, since_payment=since_payment, since_batch=since_batch,
                            prev_overdue_before=min((v["prev_overdue_before"] for v in per_rule.values()),
                                                    default=FULL_RUN_DATE))
    overdue_before = values["overdue_before"].isoformat()
    new_marks = {**marks, **{rule.code: [upto_payment, upto_batch, overdue_before] for rule in rules}}
    run = Run.objects.create(
        engine=engine, full=not any(v["since_payment"] or v["since_batch"] for v in per_rule.values()),
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        since_payment=since_payment, since_batch=since_batch, upto_payment=upto_payment, upto_batch=upto_batch,
        inputs={"today": today.isoformat(), "rules": [r.code for r in rules], "people_keyed": keyed,
                "member_upto": member_upto, "household_upto": household_upto, "slots_upto": slots_upto, "registry_keys_upto": registry_keys_upto,
                "parameters": {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in values.items()},
                "overdue_before": overdue_before, "marks": new_marks, "registries": _registries_summary()},
    )
    values[PER_RULE] = per_rule
    # The rules read payments up to the watermark only as far as their own snapshot goes; a payment arriving
    # during the run has a larger id than upto_payment and is seen by the next run.
    return run, values, rules


def _rule_marks(previous: Run) -> dict[str, tuple[int, int, str]]:
    """Each rule's watermark after `previous` (the last finished run): (payments, registry batch, overdue_before)
    it has seen. A run made before the per-rule marks gives its own watermarks to the rules it ran."""
    if "marks" in previous.inputs:
        return {code: tuple(mark) for code, mark in previous.inputs["marks"].items()}
    overdue = previous.inputs.get("overdue_before", "1900-01-01")
    return {code: (previous.upto_payment, previous.upto_batch, overdue) for code in previous.inputs.get("rules", [])}


def hits_record(*, run: Run, rule: Rule, rows: list[dict]) -> list[Hit]:
    """Keep a rule's hits that are new (by subject key); a hit found again in a later run adds nothing."""
    keys = [row["subject_key"] for row in rows]
    known: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        known |= set(Hit.objects.filter(subject_key__in=keys[start:start + KEY_BATCH])
                     .values_list("subject_key", flat=True))
    fresh, seen = [], set()
    for row in rows:
        key = row["subject_key"]
        if key in known or key in seen:
            continue
        seen.add(key)
        fresh.append(Hit(rule_code=rule.code, subject_key=key[:200], run=run, village_id=row["region_id"],
                         household_id=row["household_id"], ref_table=row["ref_table"] or "",
                         ref_id=row["ref_id"], amount=row["amount"], event_date=_date(row["event_date"]),
                         note=str(row["note"] or "")[:300]))
    with transaction.atomic():
        Hit.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
    counts = run.counts
    counts[rule.code] = {"found": len(rows), "new": len(fresh)}
    Run.objects.filter(pk=run.pk).update(counts=counts)
    return fresh


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def run_fail(*, run: Run, message: str) -> None:
    Run.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now(), message=message[:2000])


def run_finish(*, run: Run, make_clues: bool = True) -> Run:
    """Close the run; then every hit still without a clue gets one (each in its own transaction)."""
    run.refresh_from_db()
    if make_clues:
        clues = hits_make_clues()
        run.counts = {**run.counts, "_clues": clues}
    run.status = RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "counts", "updated_at"])
    return run


def hits_make_clues(*, limit: int | None = None) -> int:
    """Turn hits without a clue into clues at the report desk; returns how many were made.

    In batches of CLUE_BATCH hits, one transaction each (a failing hit is rolled back alone, to its savepoint, and
    logged; it gets its clue on the next run). Every hit still goes through the report desk's one intake; what the
    intake derives from a text alone (its words, for the classifier and the duplicate check) is remembered by the
    case desk itself (`cases.classifier.tokenize`, `cases.similarity.bigrams`/`words`), so a run's clues, which
    share their rule's explanation, do not re-read it.
    """
    pending = list(Hit.objects.filter(report__isnull=True).order_by("id").values_list("pk", flat=True))
    if limit:
        pending = pending[:limit]
    made = 0
    for start in range(0, len(pending), CLUE_BATCH):
        made += _clues_batch(pending[start:start + CLUE_BATCH])
    return made


def _clues_batch(hit_ids: list[int]) -> int:
    made = 0
    with transaction.atomic():
        hits = (Hit.objects.select_for_update(of=("self",)).select_related("village")
                .filter(pk__in=hit_ids, report__isnull=True).order_by("id"))
        for hit in hits:
            try:
                with transaction.atomic():
                    _clue_submit(hit)
                made += 1
            except ApplicationError:
                logger.exception("red-flag hit %s could not become a clue", hit.pk)
    return made




@transaction.atomic
def hit_clue_create(*, hit_id: int) -> bool:
    """Submit one hit through the report desk's one intake (channel 大数据比对), with its evidence and the rule's
    explanation; the hit keeps the report, so it is never submitted twice."""
    hit = Hit.objects.select_for_update(of=("self",)).select_related("village").get(pk=hit_id)
    if hit.report_id is not None:
        return False
    _clue_submit(hit)
    return True


def _clue_submit(hit: Hit) -> None:
    """The hit (locked by the caller, without a report yet) as a report through the one intake."""
    from sunshine.cases.choices import Channel
    from sunshine.cases.services import report_submit

    rule = RULES_BY_CODE[hit.rule_code]
    if not hit.evidence:
        hit.evidence = evidence_mod.build(hit)
    lines = [f"【大数据比对 {rule.code} {rule.title}】", rule.explanation, "比对依据："]
    lines += [f"- {item['label']}:{item['value']}" for item in hit.evidence]
    region = hit.village if hit.village is not None and hit.village.level in (2, 3, 4) else None
    report, _code = report_submit(channel=Channel.REDFLAG, text="\n".join(lines), region=region,
                                  problem_type_number=rule.problem_type, about_type="redflags.hit",
                                  about_id=hit.pk)
    hit.report = report
    hit.save(update_fields=["report", "evidence", "updated_at"])


# ---- review -------------------------------------------------------------------------------------------------
@transaction.atomic
def hit_review(*, hit: Hit, actor, verdict: str, reason: str) -> Hit:
    """A reviewer marks a hit confirmed (属实) or a false positive (误报), with a reason; the rule's precision
    counts it. A reviewed hit may be reviewed again (a later finding), and each review is audited."""
    require(actor, Capability.REVIEW)
    if verdict not in (HitReview.CONFIRMED, HitReview.FALSE_POSITIVE):
        raise ApplicationError("请选择“属实”或“误报”", code=RedflagsErrorCode.VERDICT)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写核实理由", code=RedflagsErrorCode.REASON_REQUIRED)
    if len(reason) > REASON_MAX:
        raise ApplicationError(f"理由不能超过{REASON_MAX}字", code=RedflagsErrorCode.REASON_REQUIRED)
    locked = Hit.objects.select_for_update().get(pk=hit.pk)
    before = locked.review
    locked.review, locked.review_reason = verdict, reason
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    try:
        locked.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at", "updated_at"])
    except IntegrityError as exc:  # pragma: no cover - the checks above keep the constraint
        raise ApplicationError("核实结果无效", code=RedflagsErrorCode.VERDICT) from exc
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=locked,
                 detail={"review_from": before, "review_to": verdict, "rule": locked.rule_code})
    return locked


@transaction.atomic
def run_async(*, actor, full: bool = False) -> None:
    """Queue a run as a background task (after commit: Celery in production, in-process in embedded mode)."""
    from sunshine.core.tasks import enqueue

    from .tasks import redflags_run_task

    require(actor, Capability.RUN)
    if Run.objects.filter(status=RunStatus.RUNNING, created_at__gte=timezone.now() - dt.timedelta(hours=2)).exists():
        raise ApplicationError("已有比对正在运行，请稍后再试", code=RedflagsErrorCode.RUN_IN_PROGRESS)
    enqueue(redflags_run_task, actor.pk, full)


# ---- registries ---------------------------------------------------------------------------------------------
@transaction.atomic
def registry_import_start(*, actor, kind: str, uploaded, source: str, data_date: str):
    """Store an uploaded registry file and queue its import (core's one job runner); returns the job."""
    from sunshine.core.importjobs import import_job_from_upload
    from sunshine.core.tasks import enqueue

    from .registries import JOB_KIND_PREFIX, SPECS
    from .tasks import registry_import_task

    require(actor, Capability.IMPORT)
    if kind not in SPECS:
        raise ApplicationError("名册类型无效", code=RedflagsErrorCode.REGISTRY_KIND)
    if not (source or "").strip():
        raise ApplicationError("请填写数据来源（提供单位）", code=RedflagsErrorCode.SOURCE_REQUIRED)
    try:
        date = dt.date.fromisoformat((data_date or "").strip())
    except ValueError:
        raise ApplicationError("请填写数据日期（如 2026-03-31）", code=RedflagsErrorCode.DATA_DATE) from None
    if date > timezone.localdate():
        raise ApplicationError("数据日期不能晚于今天", code=RedflagsErrorCode.DATA_DATE)
    job = import_job_from_upload(uploaded=uploaded, kind=JOB_KIND_PREFIX + kind, actor=actor,
                                 options={"source": source.strip()[:120], "data_date": date.isoformat()})
    enqueue(registry_import_task, job.pk)
    return job
