"""Data comparison (issue 15) at a city's scale: every rule in one full run on PostgreSQL, beside DuckDB and Spark.

A dedicated PostgreSQL database (`bench_redflags`; BENCH_REDFLAGS_DATABASE_URL to point elsewhere) is filled by
`INSERT … SELECT FROM generate_series` inside PostgreSQL (no row passes through Python) with 1,000,000 households,
3,000,000 persons, 10,000,000 payments and the registries (officials and their relatives 300,000, deaths 50,000,
vehicles 200,000, each other registry 100,000), with problems planted at known rates; it is kept, and a re-run whose
size matches reuses it. BENCH_REDFLAGS_SCALE=0.01 builds a hundredth of it (its own database) for a quick look.

Measured in one process: every rule's SQL on PostgreSQL (as the database engine runs it); the same SQL translated
by sqlglot for DuckDB, over the same rows loaded into DuckDB from the Parquet export; an incremental run after
10,000 new payments; and the full run on Spark in local mode over the same export. Target: PostgreSQL within 2× of
DuckDB, the incremental run under a second.
Also `redflags_clue_ms`: hits made clues through the report desk's intake, per clue (in a rolled-back
transaction; BENCH_REDFLAGS_CLUES, default 100). BENCH_REDFLAGS_SPARK=0 skips Spark for a quick look.

`python -m benchmarks.bench_redflags --worker` is the child process (its own DATABASE_URL).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_redflags"
from benchmarks.worker import ensure_database, run_worker  # noqa: E402

RESULT_PREFIX = "BENCH_REDFLAGS_RESULT "
TOWNSHIPS = 20
VILLAGES_PER_TOWNSHIP = 20
FULL = {"households": 1_000_000, "persons": 3_000_000, "payments": 10_000_000, "officials": 100_000,
        "relatives": 200_000, "deaths": 50_000, "vehicles": 200_000, "business": 100_000, "property": 100_000,
        "pension": 100_000, "disability": 100_000}
NEW_PAYMENTS = 10_000
CLUES = int(os.environ.get("BENCH_REDFLAGS_CLUES", "100"))
FUND_ITEMS = ("产业奖补", "教育资助", "危房改造补助", "小额信贷贴息", "光伏收益分配", "生态护林员补助", "公益岗位工资",
              "医疗救助", "低保金", "残疾人两项补贴")
STANDARDS = (3000, 1500, 20000, 500, 800, 800, 600, 2000, 400, 100)
TARGET_RATIO = 2
TARGET_INCREMENTAL_MS = 1000


GENERATOR = 3  # bumped when the generated data changes: a kept database of another version is rebuilt


def _sizes() -> dict[str, int]:
    scale = float(os.environ.get("BENCH_REDFLAGS_SCALE", "1"))
    return {k: max(10, int(v * scale)) for k, v in FULL.items()}


def _signature(sizes: dict) -> dict:
    return {**sizes, "generator": GENERATOR}


# ---- orchestration (runs in the caller's process) ------------------------------------------------------------

def run() -> dict:
    raw = _measured()
    pg, duck = raw["redflags_pg_seconds"], raw["redflags_duckdb_seconds"]
    ratio = pg / duck if duck else float("inf")
    sizes = raw.pop("sizes")
    return {
        "redflags_rules": (raw["redflags_rules"], "issue 15: at least 17"),
        "redflags_pg_seconds": (pg, f"{sizes['households']:,} households, {sizes['payments']:,} payments; "
                                    f"{raw['redflags_hits']:,} hits"),
        "redflags_duckdb_seconds": (duck, "the same SQL (sqlglot) on the same rows, in-process; issue: 2.4 s for 4 rules"),
        "redflags_pg_ratio_vs_duckdb": (ratio, f"target <= {TARGET_RATIO}: " + ("met" if ratio <= TARGET_RATIO
                                                                                 else "MISSED")),
        "redflags_incremental_ms": (raw["redflags_incremental_ms"],
                                    f"after {NEW_PAYMENTS:,} new payments; target < {TARGET_INCREMENTAL_MS} ms: "
                                    + ("met" if raw["redflags_incremental_ms"] < TARGET_INCREMENTAL_MS
                                       else "MISSED")),
        "redflags_clue_ms": (raw["redflags_clue_ms"], f"per clue, {CLUES:,} hits made clues through the report "
                                                      "desk's intake in one call (first-use costs included)"),
        "redflags_spark_seconds": (raw["redflags_spark_seconds"], "local[2], over the Parquet export (no target)"),
        "redflags_export_seconds": raw["redflags_export_seconds"],
        "redflags_parity": (raw["redflags_parity"], "hits per rule equal on PostgreSQL, DuckDB and Spark"),
    }


def _measured() -> dict:
    sizes = _sizes()
    default = DEFAULT_URL if sizes == FULL else DEFAULT_URL + "_small"
    url = os.environ.get("BENCH_REDFLAGS_DATABASE_URL", default)
    ensure_database(url)
    return run_worker("benchmarks.bench_redflags", url=url, prefix=RESULT_PREFIX)



def _log(message: str) -> None:
    print(f"[bench_redflags {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- the worker (a child process whose default database is the bench database) ------------------------------

def worker() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    sizes = _sizes()
    call_command("migrate", verbosity=0, interactive=False)
    if _built_sizes() != _signature(sizes):
        _log(f"building: {sizes} (kept for later runs)")
        started = time.perf_counter()
        _build(sizes)
        _log(f"built in {time.perf_counter() - started:.0f} s")
    else:
        _log(f"reusing the database: {sizes}")
    results = _measure(sizes)
    results["sizes"] = sizes
    print(RESULT_PREFIX + json.dumps(results), flush=True)


def _sql(statement: str, params=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _scalar(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def _built_sizes() -> dict | None:
    _sql("CREATE TABLE IF NOT EXISTS bench_redflags_meta (sizes text NOT NULL)")
    stored = _scalar("SELECT max(sizes) FROM bench_redflags_meta")
    return json.loads(stored) if stored else None


# ---- building ------------------------------------------------------------------------------------------------

def _build(s: dict[str, int]) -> None:
    from django.db import transaction

    _sql("TRUNCATE bench_redflags_meta")
    _sql("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    _sql("SET session_replication_role = replica")  # consistent by construction: no per-row FK triggers
    tables = ("redflags_hit, redflags_run, redflags_personkey, redflags_official, redflags_officialrelative, "
              "redflags_deathrecord, redflags_vehicle, redflags_businessrole, redflags_propertypurchase, "
              "redflags_pensionenrolment, redflags_disabilityrecord, redflags_fundstandard, redflags_registrybatch, "
              "funds_noticeitem, funds_ledgerentry, funds_notice, funds_projectspending, funds_householdpayment, "
              "funds_accounttransaction, "
              "funds_villageaccount, funds_fundallocation, funds_projectevent, funds_project, "
              "org_householdmember, org_household")
    _sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    with transaction.atomic():
        villages = _regions()
    _sql("DROP TABLE IF EXISTS bench_village")
    _sql("CREATE TABLE bench_village (n int PRIMARY KEY, id bigint, township int)")
    _sql("INSERT INTO bench_village SELECT n - 1, id, township FROM unnest(%s::bigint[], %s::int[]) "
         "WITH ORDINALITY AS v(id, township, n)", [[v[0] for v in villages], [v[1] for v in villages]])
    nv = len(villages)
    steps = [
        ("households", f"""
         INSERT INTO org_household (id, created_at, updated_at, code, village_id, head_name, head_id_number, phone,
             member_count, poverty_status, status_year, poverty_cause, household_attribute)
         SELECT i, now(), now(), 'B' || lpad(i::text, 9, '0'), v.id, '户主' || i, {_person_id('(3 * (i - 1) + 1)')},
             '13' || lpad(i::text, 9, '0'), 3, 'poor', 2016, '', ''
         FROM generate_series(1, {s['households']}) i JOIN bench_village v ON v.n = i % {nv}"""),
        ("persons", f"""
         INSERT INTO org_householdmember (id, created_at, updated_at, household_id, name, id_number, relation,
             gender, phone)
         SELECT m, now(), now(), (m - 1) / 3 + 1, '成员' || m, {_person_id('m')},
             CASE (m - 1) % 3 WHEN 0 THEN '户主' WHEN 1 THEN '配偶' ELSE '子女' END, '', ''
         FROM generate_series(1, {s['persons']}) m"""),
        ("person keys", f"""
         INSERT INTO redflags_personkey (id, id_number, id_key, household_id, shared)
         SELECT m, {_person_id('m')}, {_key(_person_id('m'))}, (m - 1) / 3 + 1, FALSE
         FROM generate_series(1, {s['persons']}) m"""),
    ]
    for label, statement in steps:
        _timed_step(label, statement)
    _payments(s, nv)
    _registries(s)
    _village_records(nv)
    _sql("SET session_replication_role = origin")
    for table in ("org_household", "org_householdmember", "funds_householdpayment", "redflags_personkey",
                  "funds_fundallocation", "funds_project", "funds_projectspending", "funds_accounttransaction", "funds_villageaccount",
                  "redflags_registrybatch", "redflags_official", "redflags_officialrelative",
                  "redflags_deathrecord", "redflags_vehicle", "redflags_businessrole",
                  "redflags_propertypurchase", "redflags_pensionenrolment", "redflags_disabilityrecord",
                  "redflags_fundstandard"):
        _sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
             f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
    _timed_step("VACUUM ANALYZE", None)
    # The city's state before the measured incremental run: a full run done, its hits clues on the desk.
    from sunshine.redflags.engine import run_rules

    started = time.perf_counter()
    run = run_rules(engine="db", full=True)
    _log(f"  first full run with clues: {time.perf_counter() - started:.1f} s, {run.counts.get('_clues')} clues")
    _sql("INSERT INTO bench_redflags_meta VALUES (%s)", [json.dumps(_signature(s))])


def _stride(s: dict, kind: str, every: int) -> int:
    """Beneficiary persons found in a registry are every `stride`-th person (a registry's beneficiary rows spread
    over the whole city)."""
    return max(1, s["persons"] // max(1, s[kind] // every))


DISABILITY_EVERY = 10


def _key(number: str) -> str:
    """SQL for redflags.idkeys.id_key(number): the same keyed hash (HMAC-SHA256 with the same derived key, pgcrypto),
    so the registries join the beneficiaries as imported ones would."""
    from django.conf import settings

    from sunshine.redflags.idkeys import _key as derived

    secret = getattr(settings, "REDFLAGS_ID_KEY", "") or settings.SECRET_KEY
    return (f"left(encode(hmac(convert_to({number}, 'UTF8'), decode('{derived(secret).hex()}', 'hex'), 'sha256'), "
            f"'hex'), 32)")


def _person_id(m: str) -> str:
    """The 18-character ID number of person number `m` (a beneficiary): SQL expression."""
    return f"('430381' || lpad(({m})::text, 11, '0') || 'X')"


def _other_id(n: str, series: int) -> str:
    """The ID number of someone who is not a beneficiary (registry series 1..9)."""
    return f"('43{series}000' || lpad(({n})::text, 11, '0') || 'X')"


def _timed_step(label: str, statement: str | None) -> None:
    from django.db import connection

    started = time.perf_counter()
    if statement is None:
        connection.ensure_connection()
        raw = connection.connection
        autocommit = raw.autocommit
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        raw.autocommit = autocommit
    else:
        _sql(statement)
    _log(f"  {label}: {time.perf_counter() - started:.1f} s")


def _regions() -> list[tuple[int, int]]:
    """The city, its townships and villages (kept when present); returns [(village_id, township number)]."""
    from sunshine.org.choices import RegionLevel, UnitKind
    from sunshine.org.models import Region, Unit
    from sunshine.org.services import unit_create

    city, _ = Region.objects.get_or_create(code="430381000000", defaults={"name": "湘乡市", "level": RegionLevel.CITY})
    if not Unit.objects.filter(kind=UnitKind.GOVERNANCE_OFFICE).exists():  # where the clues are routed
        unit_create(actor=None, name="市专项治理办", kind=UnitKind.GOVERNANCE_OFFICE, territory=city)
    villages = []
    for t in range(TOWNSHIPS):
        code = f"430381{101 + t:03d}000"
        township = Region.objects.filter(code=code).first() or Region.objects.create(
            code=code, name=f"第{t + 1}镇", level=RegionLevel.TOWNSHIP, parent=city)
        for v in range(VILLAGES_PER_TOWNSHIP):
            vcode = f"430381{101 + t:03d}{201 + v:03d}"
            village = Region.objects.filter(code=vcode).first() or Region.objects.create(
                code=vcode, name=f"第{t + 1}镇{v + 1}村", level=RegionLevel.VILLAGE, parent=township,
                is_poor_village=v % 3 == 0)
            villages.append((village.pk, t))
    return villages


def _items_sql() -> str:
    return "(ARRAY[" + ", ".join(f"'{i}'" for i in FUND_ITEMS) + "])"


def _payment_select(first: str, last: str, s: dict, nv: int, *, published: bool = True) -> str:
    """Payments number j (first..last): household j mod households, its member (j / households) mod 3, ten
    batches a quarter apart; the amount at or under the item's standard. 1 in 1,000 is not published (by due
    date for the old ones)."""
    h = s["households"]
    items = _items_sql()
    disabled = _stride(s, "disability", DISABILITY_EVERY)  # persons k * disabled - 8 are in the registry
    standards = "(ARRAY[" + ", ".join(str(a) for a in STANDARDS) + "])"
    return f"""
     SELECT j, {_uuid('j')}, {_uuid('j')}, 1, true, '',
         CASE WHEN {'j % 20000 = 7' if published else 'true'} THEN NULL ELSE paid_on + 7 END, now(),
         hh, v.id, '成员' || m, {_person_id('m')}, {items}[1 + item], {standards}[1 + item] * (50 + j % 51) / 100.0,
         to_char(paid_on, 'YYYY-MM'), paid_on, '62170027' || lpad(hh::text, 11, '0')
     FROM (SELECT j, (j - 1) % {h} + 1 AS hh, 3 * ((j - 1) % {h}) + 1 + ((j - 1) / {h}) % 3 AS m,
                  CASE WHEN (3 * ((j - 1) % {h}) + 9 + ((j - 1) / {h}) % 3) % {disabled} = 0 THEN {len(FUND_ITEMS) - 1}
                       WHEN (3 * ((j - 1) % {h}) + 1 + ((j - 1) / {h}) % 3) % {disabled * 100} = 77
                       THEN {len(FUND_ITEMS) - 1}
                       ELSE (j::bigint * 7919) % {len(FUND_ITEMS) - 1} END AS item,
                  current_date - (90 * (10 - ((j - 1) / {h}) % 10) - (j % 60) - 1) AS paid_on
           FROM generate_series({first}, {last}) j) p
     JOIN bench_village v ON v.n = p.hh % {nv}"""


PAYMENT_COLUMNS = ("id, natural_key, lineage, version, is_current, correction_reason, published_at, created_at, "
                   "household_id, village_id, payee_name, payee_id_number, fund_item, amount, period, paid_on, "
                   "bank_card")


def _uuid(n: str) -> str:
    return f"('00000000-0000-4000-8000-' || lpad(to_hex({n}), 12, '0'))::uuid"


def _payments(s: dict, nv: int) -> None:
    n = s["payments"]
    planted = n // 20000  # 1 in 40,000 paid twice in one period, 1 in 40,000 again in another township
    regular = n - planted
    chunk = 2_000_000
    for first in range(1, regular + 1, chunk):
        last = min(regular, first + chunk - 1)
        _timed_step(f"payments {first:,}..{last:,}",
                    f"INSERT INTO funds_householdpayment ({PAYMENT_COLUMNS}) {_payment_select(first, last, s, nv)}")
    half = planted // 2
    # The same payment again (a new record: its own key) in the same village, and in a village of another township.
    _timed_step("planted duplicates", f"""
     INSERT INTO funds_householdpayment ({PAYMENT_COLUMNS})
     SELECT {regular} + k, {_uuid(f'{regular} + k')}, {_uuid(f'{regular} + k')}, 1, true, '', p.published_at, now(),
         p.household_id, CASE WHEN k <= {half} THEN p.village_id ELSE other.id END, p.payee_name,
         p.payee_id_number, p.fund_item, p.amount, p.period, p.paid_on + 3, p.bank_card
     FROM generate_series(1, {planted}) k
     JOIN funds_householdpayment p ON p.id = k * 19997 % {regular} + 1
     JOIN bench_village v ON v.id = p.village_id
     JOIN bench_village other ON other.n = (v.n + {VILLAGES_PER_TOWNSHIP}) % {nv}""")


def _registries(s: dict) -> None:
    batches = [(k, f"{k}") for k in ("officials", "deaths", "vehicles", "business", "property", "pension",
                                    "disability", "standards")]
    for n, (kind, _label) in enumerate(batches, start=1):
        _sql("INSERT INTO redflags_registrybatch (id, created_at, updated_at, kind, source, data_date, filename, "
             "rows) VALUES (%s, now(), now(), %s, %s, current_date - 10, '', 0)", [n, kind, f"bench {kind}"])
    batch = {kind: n for n, (kind, _l) in enumerate(batches, start=1)}

    def who(i: str, kind: str, every: int, series: int) -> str:
        """Every `every`-th row is a beneficiary (persons spread evenly over all), the others are not."""
        stride = _stride(s, kind, every)
        return (f"CASE WHEN {i} % {every} = 0 THEN {_person_id(f'({i} / {every}) * {stride} - {series}')} "
                f"ELSE {_other_id(i, series)} END")

    steps = [
        ("officials", f"""
         INSERT INTO redflags_official (id, batch_id, id_key, id_masked, name, kind, unit_name, post)
         SELECT i, {batch['officials']}, {_key('x')}, left(x, 4) || '**********' || right(x, 4), '干部' || i,
             CASE WHEN i % 3 = 0 THEN 'cadre' ELSE 'public' END, '单位' || (i % 500), ''
         FROM (SELECT i, {who('i', 'officials', 1000, 1)} AS x FROM generate_series(1, {s['officials']}) i) q"""),
        ("relatives", f"""
         INSERT INTO redflags_officialrelative (id, batch_id, official_id, id_key, id_masked, name, relation)
         SELECT i, {batch['officials']}, (i - 1) % {s['officials']} + 1, {_key('x')},
             left(x, 4) || '**********' || right(x, 4), '亲属' || i, CASE WHEN i % 2 = 0 THEN '子女' ELSE '配偶' END
         FROM (SELECT i, {who('i', 'relatives', 500, 2)} AS x FROM generate_series(1, {s['relatives']}) i) q"""),
        ("deaths", f"""
         INSERT INTO redflags_deathrecord (id, batch_id, id_key, id_masked, name, died_on, kind)
         SELECT i, {batch['deaths']}, {_key('x')}, left(x, 4) || '**********' || right(x, 4), '故' || i,
             current_date - (i % 900), CASE WHEN i % 2 = 0 THEN 'death' ELSE 'cremation' END
         FROM (SELECT i, {who('i', 'deaths', 100, 3)} AS x FROM generate_series(1, {s['deaths']}) i) q"""),
        ("vehicles", f"""
         INSERT INTO redflags_vehicle (id, batch_id, plate, owner_key, owner_masked, owner_name, vehicle_type,
             registered_on)
         SELECT i, {batch['vehicles']}, '湘C' || lpad(i::text, 7, '0'), {_key('x')}, left(x, 4) || '**********' || right(x, 4),
             '车主' || i, CASE WHEN i % 3 = 0 THEN '摩托车' ELSE '小型轿车' END, current_date - (i % 3000)
         FROM (SELECT i, {who('i', 'vehicles', 500, 4)} AS x FROM generate_series(1, {s['vehicles']}) i) q"""),
        ("business", f"""
         INSERT INTO redflags_businessrole (id, batch_id, credit_code, company_name, id_key, id_masked, person_name,
             role, registered_on)
         SELECT i, {batch['business']}, '91430381' || lpad(i::text, 10, '0'), '公司' || i, {_key('x')},
             left(x, 4) || '**********' || right(x, 4), '股东' || i,
             CASE WHEN i % 2 = 0 THEN 'legal_rep' ELSE 'shareholder' END, current_date - (i % 3000)
         FROM (SELECT i, {who('i', 'business', 500, 5)} AS x FROM generate_series(1, {s['business']}) i) q"""),
        ("property", f"""
         INSERT INTO redflags_propertypurchase (id, batch_id, certificate, buyer_key, buyer_masked, buyer_name,
             location, amount, bought_on)
         SELECT i, {batch['property']}, '湘(2026)湘乡市不动产权第' || lpad(i::text, 8, '0') || '号', {_key('x')},
             left(x, 4) || '**********' || right(x, 4), '买受人' || i, '小区' || (i % 300), 50000 + (i % 40) * 10000,
             current_date - (i % 2000)
         FROM (SELECT i, {who('i', 'property', 500, 6)} AS x FROM generate_series(1, {s['property']}) i) q"""),
        ("pension", f"""
         INSERT INTO redflags_pensionenrolment (id, batch_id, id_key, id_masked, name, employer, enrolled_on)
         SELECT i, {batch['pension']}, {_key('x')}, left(x, 4) || '**********' || right(x, 4), '参保' || i,
             '企业' || (i % 1000), current_date - (i % 3000)
         FROM (SELECT i, {who('i', 'pension', 500, 7)} AS x FROM generate_series(1, {s['pension']}) i) q"""),
        ("disability", f"""
         INSERT INTO redflags_disabilityrecord (id, batch_id, id_key, id_masked, name, certificate, grade)
         SELECT i, {batch['disability']}, {_key('x')}, left(x, 4) || '**********' || right(x, 4), '残' || i,
             right(x, 18) || '4' || (1 + i % 4), (1 + i % 4)::text || '级'
         FROM (SELECT i, {who('i', 'disability', DISABILITY_EVERY, 8)} AS x FROM generate_series(1, {s['disability']}) i) q"""),
        ("standards", f"""
         INSERT INTO redflags_fundstandard (id, batch_id, fund_item, basis, amount, valid_from, valid_to)
         SELECT k, {batch['standards']}, ({_items_sql()})[k],
             CASE WHEN k % 2 = 0 THEN 'household' ELSE 'person' END,
             (ARRAY[{', '.join(str(a) for a in STANDARDS)}])[k], date '2015-01-01', date '2099-12-31'
         FROM generate_series(1, {len(FUND_ITEMS)}) k"""),
    ]
    for label, statement in steps:
        _timed_step(label, statement)
    # A few payments above the standard (1 in 50,000).
    _timed_step("planted over-standard payments",
                "UPDATE funds_householdpayment SET amount = amount * 3 WHERE id % 50000 = 11")
    for kind, n in batch.items():
        table = {"officials": "redflags_official", "deaths": "redflags_deathrecord", "vehicles": "redflags_vehicle",
                 "business": "redflags_businessrole", "property": "redflags_propertypurchase",
                 "pension": "redflags_pensionenrolment", "disability": "redflags_disabilityrecord",
                 "standards": "redflags_fundstandard"}[kind]
        _sql(f"UPDATE redflags_registrybatch SET rows = (SELECT count(*) FROM {table}) WHERE id = %s", [n])


def _village_records(nv: int) -> None:
    """Per village: 6 allocations (one idle), 4 projects (contractors concentrated in some townships) and 120
    account movements (some split just under the approval threshold); an account per village."""
    versioned = "id, natural_key, lineage, version, is_current, correction_reason, published_at, created_at"
    steps = [
        ("allocations", f"""
         INSERT INTO funds_fundallocation ({versioned}, level, document_number, fund_type, amount, recipient_kind,
             recipient_name, region_id, allocated_on, purpose)
         SELECT k, {_uuid('1000000000 + k')}, {_uuid('1000000000 + k')}, 1, true, '', now(), now(), 'county',
             '湘乡扶〔2026〕' || k || '号', '产业发展资金', 1000 * (1 + k % 50), 'village', '村' || v.n, v.id,
             current_date - 10 * (k % 6) - CASE WHEN k % 60 = 5 THEN 400 ELSE 0 END, '发展特色产业'
         FROM generate_series(1, {nv * 6}) k JOIN bench_village v ON v.n = (k - 1) / 6"""),
        ("projects", f"""
         INSERT INTO funds_project ({versioned}, code, name, village_id, project_type, budget, content,
             approval_document, filing_number, tender_method, contractor, contract_amount, status, started_on,
             accepted_on, acceptance_note, maintainer, maintenance_note)
         SELECT k, {_uuid('2000000000 + k')}, {_uuid('2000000000 + k')}, 1, true, '',
             CASE WHEN k % 10 = 3 THEN NULL ELSE now() END, now() - interval '90 days', 'XM' || k,
             '村组道路硬化' || k || '期', v.id, '基础设施', 10000 * (5 + k % 45), '硬化道路', '', '', '公开招标',
             CASE WHEN v.township % 5 = 0 THEN '湘乡建工' ELSE '施工队' || (k % 97) END, 10000 * (5 + k % 45),
             (ARRAY['planned', 'approved', 'in_progress', 'accepted'])[1 + k % 4],
             CASE WHEN k % 4 >= 2 THEN current_date - 120 END, CASE WHEN k % 4 = 3 THEN current_date - 30 END,
             '', '', ''
         FROM generate_series(1, {nv * 4}) k JOIN bench_village v ON v.n = (k - 1) / 4"""),
        ("project spending", f"""
         INSERT INTO funds_projectspending ({versioned}, project_id, allocation_id, village_id, contract_number,
             payee, invoice_number, paid_on, amount, purpose, paid_before_acceptance)
         SELECT i, {_uuid('4000000000 + i')}, {_uuid('4000000000 + i')}, 1, true, '', now(), now(), pr.id,
             6 * ((pr.id - 1) / 4) + 1, pr.village_id, 'HT' || pr.id, pr.contractor, 'FP' || i,
             current_date - 20 - i % 30, pr.contract_amount * CASE WHEN i % 40 = 0 THEN 0.4 ELSE 0.1 END, '工程款',
             pr.status <> 'accepted'
         FROM generate_series(1, {nv * 8}) i JOIN funds_project pr ON pr.id = (i - 1) / 2 + 1"""),
        ("village accounts", """
         INSERT INTO funds_villageaccount (id, created_at, updated_at, village_id, account_name, bank, account_number)
         SELECT v.n + 1, now(), now(), v.id, '村股份经济合作社' || v.n, '农商银行', '430501623601' || lpad(v.n::text, 8, '0')
         FROM bench_village v"""),
        ("account transactions", f"""
         INSERT INTO funds_accounttransaction ({versioned}, account_id, village_id, occurred_on, voucher_number,
             direction, amount, balance, counterparty, purpose)
         SELECT k, {_uuid('3000000000 + k')}, {_uuid('3000000000 + k')}, 1, true, '', now(), now(), v.n + 1, v.id,
             current_date - 3 * (k % 120), 'PZ' || k, CASE WHEN k % 4 = 0 THEN 'in' ELSE 'out' END,
             CASE WHEN k % 1200 IN (1, 2, 3) THEN 9000 ELSE 100 * (1 + k % 69) END, NULL,
             CASE WHEN k % 1200 IN (1, 2, 3) THEN '某某建材店' ELSE '湘乡市财政局' END,
             CASE WHEN k % 4 = 0 THEN '收上级拨款' ELSE '支付工程款' END
         FROM generate_series(1, {nv * 120}) k JOIN bench_village v ON v.n = (k - 1) / 120"""),
    ]
    for label, statement in steps:
        _timed_step(label, statement)


# ---- measuring -----------------------------------------------------------------------------------------------

def _measure(sizes: dict) -> dict:
    import datetime as dt

    from sunshine.redflags import engine
    from sunshine.redflags.rules import RULES
    from sunshine.redflags.services import payment_slots_refresh

    # The payment slots R08 and R09 read, as kept when payments arrive (the last run left them current; untimed,
    # as the import's work is).
    started = time.perf_counter()
    payment_slots_refresh()
    _log(f"payment slots refreshed in {time.perf_counter() - started:.2f} s")
    values = engine.run_parameters(today=dt.date.today())
    # The rules' texts for both engines rendered before either is timed: a process renders each rule once per shape
    # (engine caches the parse and the folded text), and rendering the one engine's first would make the other's
    # cheaper (the parse shared): the two figures are the queries'.
    for rule in RULES:
        engine.render_for_django(rule, "postgresql", values)
        engine.render_sql(rule, "duckdb", physical=False, values=values)
    _log("PostgreSQL: every rule, full")
    pg_hits: dict[str, list[dict]] = {}
    started = time.perf_counter()
    for rule in RULES:
        t = time.perf_counter()
        pg_hits[rule.code] = engine.execute_rule(rule, values)
        _log(f"  {rule.code}: {len(pg_hits[rule.code]):,} hits in {time.perf_counter() - t:.2f} s")
    pg_seconds = time.perf_counter() - started
    scratch = os.environ.get("BENCH_REDFLAGS_SCRATCH") or None
    with tempfile.TemporaryDirectory(prefix="bench-redflags-", dir=scratch) as root:
        _log("export to Parquet")
        started = time.perf_counter()
        from sunshine.redflags.export import export

        export(root)
        export_seconds = time.perf_counter() - started
        duck_seconds, duck_hits = _duckdb(root, values)
        if os.environ.get("BENCH_REDFLAGS_SPARK", "1") == "0":  # a quick look without Spark's minutes
            spark_seconds, spark_hits = 0.0, duck_hits
        else:
            spark_seconds, spark_hits = _spark(root, values)
    parity = all(_keys(pg_hits[c]) == _keys(duck_hits[c]) == _keys(spark_hits[c]) for c in pg_hits)
    if not parity:
        for code in pg_hits:
            _log(f"  {code}: pg {len(pg_hits[code])} duckdb {len(duck_hits[code])} spark {len(spark_hits[code])}")
    incremental_ms = _incremental(sizes)
    clue_ms = _clue_ms()
    return {"redflags_clue_ms": round(clue_ms, 1),"redflags_rules": len(RULES), "redflags_hits": sum(len(v) for v in pg_hits.values()),
            "redflags_pg_seconds": round(pg_seconds, 2), "redflags_duckdb_seconds": round(duck_seconds, 2),
            "redflags_spark_seconds": round(spark_seconds, 2), "redflags_export_seconds": round(export_seconds, 2),
            "redflags_incremental_ms": round(incremental_ms, 1), "redflags_parity": "yes" if parity else "NO"}


def _keys(rows: list[dict]) -> set[str]:
    return {row["subject_key"] for row in rows}


def _duckdb(root: str, values: dict) -> tuple[float, dict]:
    """The same rules, translated for DuckDB, over the export loaded into DuckDB's own tables (the load is not
    timed, as PostgreSQL's load is not)."""
    import duckdb

    from sunshine.redflags import engine
    from sunshine.redflags.export import read_manifest
    from sunshine.redflags.rules import HIT_COLUMNS, RULES

    duck = duckdb.connect()
    duck.execute("SET TimeZone = 'UTC'")
    for logical in read_manifest(root)["tables"]:
        duck.execute(f"CREATE TABLE {logical} AS SELECT * FROM "
                     f"read_parquet('{root}/{logical}/*/*.parquet', hive_partitioning = false)")
    _log("DuckDB: every rule, full")
    hits = {}
    started = time.perf_counter()
    for rule in RULES:
        t = time.perf_counter()
        # Folded with the run's values as the database engine folds them (engine.SWITCHES): the same text.
        text = engine.render_sql(rule, "duckdb", physical=False, values=values)
        args = {name: value for name, value in values.items() if f"${name}" in text}
        hits[rule.code] = [dict(zip(HIT_COLUMNS, row, strict=True)) for row in duck.execute(text, args).fetchall()]
        _log(f"  {rule.code}: {len(hits[rule.code]):,} hits in {time.perf_counter() - t:.2f} s")
    seconds = time.perf_counter() - started
    duck.close()
    return seconds, hits


def _spark(root: str, values: dict) -> tuple[float, dict]:
    """The full run on Spark in local mode over the Parquet export (the session's start is not timed)."""
    from sunshine.redflags.engines import spark as spark_engine
    from sunshine.redflags.rules import RULES

    spark = spark_engine.session("local[2]", conf={"spark.sql.shuffle.partitions": "8",
                                                   "spark.driver.memory": os.environ.get("BENCH_SPARK_MEMORY", "6g")})
    spark.sql("SELECT 1").collect()
    _log("Spark local[2]: every rule, full")
    started = time.perf_counter()
    hits = spark_engine.run(root, rules=RULES, params=values, spark=spark,
                            progress=lambda city, code, n: _log(f"  {code}: {n:,} hits"))
    seconds = time.perf_counter() - started
    spark.stop()
    return seconds, hits


def _incremental(sizes: dict) -> float:
    """A run after NEW_PAYMENTS new payments (the kept database had its full run when built; each bench run adds
    its 10,000 payments on top, as a city's day of payments would)."""
    from sunshine.redflags.engine import run_rules

    top = _scalar("SELECT max(id) FROM funds_householdpayment")
    nv = _scalar("SELECT count(*) FROM bench_village")
    _sql(f"INSERT INTO funds_householdpayment ({PAYMENT_COLUMNS}) "
         f"{_payment_select(str(top + 1), str(top + NEW_PAYMENTS), sizes, nv)}")
    _sql("ANALYZE funds_householdpayment")
    _log(f"incremental run after {NEW_PAYMENTS:,} new payments")
    started = time.perf_counter()
    marks = [started]
    run = run_rules(engine="db", full=False, progress=lambda code: marks.append(time.perf_counter()))
    elapsed = (time.perf_counter() - started) * 1000
    _log(f"  {elapsed:.0f} ms: {run.counts}")
    steps = [round((b - a) * 1000) for a, b in zip(marks, marks[1:], strict=False)]
    _log("  per rule, ms (the first with the run's start: keys, watermarks; each with recording its hits): "
         + ", ".join(f"{code} {ms}" for code, ms in zip(run.inputs["rules"], steps, strict=False))
         + f"; finish (clues) {round((time.perf_counter() - marks[-1]) * 1000)} ms")
    return elapsed


class _Rollback(Exception):
    pass


def _clue_ms() -> float:
    """Per clue: CLUES hits of the kept database made clues again through the report desk's one intake (their
    reports detached first), inside a transaction that is rolled back so the kept database is unchanged."""
    from django.db import transaction

    from sunshine.redflags import services
    from sunshine.redflags.models import Hit

    elapsed = made = 0
    try:
        with transaction.atomic():
            ids = list(Hit.objects.filter(report__isnull=False).order_by("id").values_list("id", flat=True)[:CLUES])
            Hit.objects.filter(id__in=ids).update(report=None, evidence=[])
            started = time.perf_counter()
            made = services.hits_make_clues()
            elapsed = (time.perf_counter() - started) * 1000
            raise _Rollback
    except _Rollback:
        pass
    _log(f"{made} clues in {elapsed:.0f} ms")
    return elapsed / made if made else float("nan")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        for name, value in run().items():
            print(name, "=", value)
