"""Public-portal speed: the household self-check and a village page on a city-sized database.

A dedicated PostgreSQL database (`bench_lookup`; BENCH_LOOKUP_DATABASE_URL to point elsewhere) is filled with
BENCH_HOUSEHOLDS households (default 1,000,000) and BENCH_PAYMENTS published payments (default 10,000,000) by COPY
of generated rows, then kept: a re-run whose row counts match reuses it. Requests go through Django's test Client,
so the time is the server's (middleware, view, queries, template), not a network's; a bare view returning a
constant, timed the same way in the same process, shows what the framework alone costs.

Target (issue 3): lookup p99 under 30 ms. `run()` returns the figures; `python -m benchmarks.bench_lookup` runs the
measurement in a child process with its own DATABASE_URL, so the runner's Django settings are left alone.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_lookup"
TOWNSHIPS = 20
VILLAGES_PER_TOWNSHIP = 20
NOTICES_PER_VILLAGE = 10  # payments of a village are published in 10 batches (e.g. quarters over 2.5 years)
ALLOCATIONS_PER_VILLAGE = 6
PROJECTS_PER_VILLAGE = 4
TRANSACTIONS_PER_VILLAGE = 120
SAMPLES = int(os.environ.get("BENCH_LOOKUP_SAMPLES", "1000"))
WARMUP = 100
SEED = 20261125
COPY_CHUNK = 20_000
from benchmarks.worker import ensure_database, run_worker  # noqa: E402

RESULT_PREFIX = "BENCH_LOOKUP_RESULT "
BIG_TABLES = ("org_household ", "org_householdmember ", "funds_householdpayment ", "funds_noticeitem ")

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
            "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华建国红梅玉凤春花云飞志鹏辉林波斌宇浩凯秀珍金福贵"
         "德胜利民生文武海山水清荣昌盛发财运东南北松柏竹菊莲香月星光亮正义仁礼智信忠孝和顺安康")
FUND_ITEMS = ("产业奖补", "教育资助", "危房改造补助", "小额信贷贴息", "光伏收益分配", "生态护林员补助", "公益岗位工资",
              "医疗救助", "低保金", "以工代赈劳务报酬")
AMOUNTS = ("100.00", "200.00", "300.00", "500.00", "800.00", "1000.00", "1200.00", "1500.00", "2000.00", "3000.00")


# ---- orchestration (runs in the caller's process) ------------------------------------------------------------

TARGET_P99_MS = 30


def run() -> dict:
    """Build or reuse the database, time the lookups in a child process; `name -> (value, reference)`, each timing
    beside the bare view's in the same run."""
    return _with_references(_measured())


def _with_references(raw: dict) -> dict:
    figures: dict = {}
    for name, value in raw.items():
        if name.endswith(("_p50_ms", "_p99_ms")) and not name.startswith("bare_view"):
            pct = name.rsplit("_", 2)[1]
            bare = raw[f"bare_view_{pct}_ms"]
            reference = f"bare Django view {pct} {bare:.2f} ms in the same run: {value / bare:.0f}×"
            if pct == "p99" and name.startswith(("lookup_p", "village_page")):
                reference += f"; target < {TARGET_P99_MS} ms: " + ("met" if value < TARGET_P99_MS else "MISSED")
            figures[name] = (value, reference)
        else:
            figures[name] = value
    return figures


def _measured() -> dict[str, float]:
    url = os.environ.get("BENCH_LOOKUP_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    return run_worker("benchmarks.bench_lookup", url=url, prefix=RESULT_PREFIX)



def _log(message: str) -> None:
    print(f"[bench_lookup {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- the worker (a child process whose default database is the bench database) ------------------------------

def worker() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    households = int(os.environ.get("BENCH_HOUSEHOLDS", "1000000"))
    payments = int(os.environ.get("BENCH_PAYMENTS", "10000000"))
    call_command("migrate", verbosity=0, interactive=False)
    if _counts() != (households, payments):
        _log(f"building: {households:,} households, {payments:,} payments (kept for later runs)")
        started = time.perf_counter()
        _build(households, payments)
        _log(f"built in {time.perf_counter() - started:.0f} s")
    else:
        _log(f"reusing the database: {households:,} households, {payments:,} payments")
    results = _measure(households)
    print(RESULT_PREFIX + json.dumps(results), flush=True)


def _counts() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM org_household")
        h = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM funds_householdpayment")
        p = cursor.fetchone()[0]
    return h, p


# ---- building ------------------------------------------------------------------------------------------------

def _build(n_households: int, n_payments: int) -> None:
    from django.db import connection, transaction

    rng = random.Random(SEED)
    with connection.cursor() as cursor:
        # Everything generated here is consistent by construction: skip the per-row foreign-key triggers.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "TRUNCATE funds_noticeitem, funds_ledgerentry, funds_notice, funds_householdpayment, "
            "funds_accounttransaction, funds_villageaccount, funds_fundallocation, funds_projectevent, "
            "funds_project, org_householdmember, org_household RESTART IDENTITY CASCADE")
    with transaction.atomic():
        villages = _regions()
    names, ids = _households(n_households, villages, rng)
    notices = _notices(villages)
    _payments(n_payments, names, ids, villages, notices, rng)
    _village_records(villages, rng)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = origin")
        _log("ANALYZE")
        cursor.execute("ANALYZE")


def _regions() -> list[tuple[int, str]]:
    """The city, its townships and villages (kept when present); returns [(village_id, code)]."""
    from sunshine.org.choices import RegionLevel
    from sunshine.org.models import Region

    city, _ = Region.objects.get_or_create(code="430381000000", defaults={"name": "湘乡市", "level": RegionLevel.CITY})
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
            villages.append((village.pk, vcode))
    return villages


def _copy(table: str, columns: list[str], lines) -> int:
    """COPY tab-separated text lines into `table`, in chunks; returns the rows written."""
    from django.db import connection

    n = 0
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            chunk: list[str] = []
            for line in lines:
                chunk.append(line)
                if len(chunk) >= COPY_CHUNK:
                    copy.write("".join(chunk))
                    n += len(chunk)
                    chunk = []
            if chunk:
                copy.write("".join(chunk))
                n += len(chunk)
    raw.commit()
    _reset_sequence(table)
    return n


def _reset_sequence(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _households(n: int, villages: list, rng: random.Random) -> tuple[list[str], list[str]]:
    """Households spread evenly over the villages, each with its head as a member; returns names and IDs."""
    from sunshine.core.validators import id_check_char

    now = dt.datetime.now(dt.UTC).isoformat()
    names: list[str] = []
    ids: list[str] = []
    base = dt.date(1940, 1, 1)
    for i in range(n):
        first17 = f"430381{base + dt.timedelta(days=i // 1000):%Y%m%d}{i % 1000:03d}"
        names.append(_name(rng))
        ids.append(first17 + id_check_char(first17))
    _log("COPY households")

    def household_lines():
        for i in range(n):
            village_id = villages[i % len(villages)][0]
            yield (f"{i + 1}\t{now}\t{now}\tB{i:09d}\t{village_id}\t{names[i]}\t{ids[i]}\t"
                   f"13{i:09d}\t1\tpoor\t2016\t\t\n")

    _copy("org_household", ["id", "created_at", "updated_at", "code", "village_id", "head_name", "head_id_number",
                            "phone", "member_count", "poverty_status", "status_year", "poverty_cause",
                            "household_attribute"], household_lines())
    _log("COPY household members (heads)")

    def member_lines():
        for i in range(n):
            yield f"{i + 1}\t{now}\t{now}\t{i + 1}\t{names[i]}\t{ids[i]}\t户主\t\t\n"

    _copy("org_householdmember", ["id", "created_at", "updated_at", "household_id", "name", "id_number",
                                  "relation", "gender", "phone"], member_lines())
    return names, ids


def _notices(villages: list) -> dict[tuple[int, int], tuple[int, str, str]]:
    """Published payment notices, NOTICES_PER_VILLAGE per village, with a valid ledger chain over small payloads."""
    from sunshine.funds.canonical import canonical_json, sha256_hex, short_code
    from sunshine.funds.models import LedgerHead
    from sunshine.funds.services.ledger import entry_hash

    now = dt.datetime.now(dt.UTC)
    notices: dict[tuple[int, int], tuple[int, str, str]] = {}
    notice_lines, ledger_lines = [], []
    prev = "0" * 64
    seq = 0
    for v_index, (village_id, _code) in enumerate(villages):
        for batch in range(NOTICES_PER_VILLAGE):
            seq += 1
            published = (now - dt.timedelta(days=90 * (NOTICES_PER_VILLAGE - batch))).isoformat()
            payload = canonical_json({"v": 1, "kind": "publish", "bench": True, "notice": seq})
            content = sha256_hex(payload)
            digest = entry_hash(seq=seq, kind="publish", prev_hash=prev, content_hash=content)
            code = short_code(digest)
            starts = (now - dt.timedelta(days=90 * (NOTICES_PER_VILLAGE - batch))).date().isoformat()
            notice_lines.append(f"{seq}\t{published}\t{published}\tpayment\t到户资金发放公示(第{batch + 1}批)\t"
                                f"{village_id}\t\t{starts}\t10\tpublished\t村委会\t\t{published}\t{code}\n")
            ledger_lines.append(f"{seq}\t{seq}\tpublish\t{seq}\t{payload}\t{content}\t{prev}\t{digest}\t{code}\t"
                                f"{published}\n")
            notices[(v_index, batch)] = (seq, code, published)
            prev = digest
    _log(f"COPY {len(notice_lines):,} notices and their ledger entries")
    _copy("funds_notice", ["id", "created_at", "updated_at", "kind", "title", "scope_region_id", "intro",
                           "starts_on", "period_days", "status", "issuer", "contact_phone", "published_at", "code"],
          notice_lines)
    _copy("funds_ledgerentry", ["id", "seq", "kind", "notice_id", "payload", "content_hash", "prev_hash",
                                "entry_hash", "code", "created_at"], ledger_lines)
    LedgerHead.objects.update_or_create(pk=1, defaults={"seq": seq, "head_hash": prev})
    return notices


def _payments(n: int, names: list[str], ids: list[str], villages: list, notices: dict, rng: random.Random) -> None:
    """n payments spread over the households, each in its village's notice of its batch (10M rows by COPY)."""
    n_households = len(names)
    n_villages = len(villages)
    today = dt.date.today()
    days = [(today - dt.timedelta(days=d)).isoformat() for d in range(900)]
    item_of = [rng.randrange(len(FUND_ITEMS)) for _ in range(1024)]
    amount_of = [rng.randrange(len(AMOUNTS)) for _ in range(1024)]
    now = dt.datetime.now(dt.UTC).isoformat()
    positions: dict[int, int] = {}

    def placement(j: int) -> tuple[int, int, int]:
        household = j % n_households
        batch = (j // n_households) % NOTICES_PER_VILLAGE
        return household, household % n_villages, batch

    def payment_lines():
        for j in range(n):
            h, v, batch = placement(j)
            _notice_id, _code, published = notices[(v, batch)]
            key = f"00000000-0000-4000-8000-{j + 1:012x}"
            paid_on = days[(NOTICES_PER_VILLAGE - batch) * 90 - (j % 60) - 1]
            yield (f"{j + 1}\t{key}\t{key}\t1\tt\t\t{published}\t{now}\t{h + 1}\t{villages[v][0]}\t{names[h]}\t"
                   f"{ids[h]}\t{FUND_ITEMS[item_of[j % 1024]]}\t{AMOUNTS[amount_of[j % 1024]]}\t{paid_on[:7]}\t"
                   f"{paid_on}\t62170027{h:011d}\n")
            if (j + 1) % 1_000_000 == 0:
                _log(f"  payments {j + 1:,}")

    _log(f"COPY {n:,} payments")
    _copy("funds_householdpayment", ["id", "natural_key", "lineage", "version", "is_current", "correction_reason",
                                     "published_at", "created_at", "household_id", "village_id", "payee_name",
                                     "payee_id_number", "fund_item", "amount", "period", "paid_on", "bank_card"],
          payment_lines())

    def item_lines():
        for j in range(n):
            _h, v, batch = placement(j)
            notice_id = notices[(v, batch)][0]
            position = positions.get(notice_id, 0) + 1
            positions[notice_id] = position
            yield f"{j + 1}\t{notice_id}\t{position}\t{j + 1}\n"

    _log(f"COPY {n:,} notice items")
    _copy("funds_noticeitem", ["id", "notice_id", "position", "payment_id"], item_lines())


def _village_records(villages: list, rng: random.Random) -> None:
    """A few allocations and projects and a year of account movements per village (all published)."""
    now = dt.datetime.now(dt.UTC)
    stamp = now.isoformat()
    alloc, proj, acct, txn = [], [], [], []
    today = now.date()
    key = 0
    for v_index, (village_id, code) in enumerate(villages):
        for a in range(ALLOCATIONS_PER_VILLAGE):
            key += 1
            alloc.append(f"{key}\t{_uuid(1, key)}\t{_uuid(1, key)}\t1\tt\t\t{stamp}\t{stamp}\tcounty\t"
                         f"湘乡扶〔2026〕{a + 1}号\t产业发展资金\t{rng.randrange(1, 50) * 1000}.00\tvillage\t{code}村\t"
                         f"{village_id}\t{(today - dt.timedelta(days=30 * a)).isoformat()}\t发展特色产业\n")
        for p in range(PROJECTS_PER_VILLAGE):
            key += 1
            status = ("planned", "approved", "in_progress", "accepted")[p]
            proj.append(f"{key}\t{_uuid(2, key)}\t{_uuid(2, key)}\t1\tt\t\t{stamp}\t{stamp}\tXM{code}{p}\t"
                        f"村组道路硬化{p + 1}期\t{village_id}\t基础设施\t{rng.randrange(5, 50) * 10000}.00\t"
                        f"硬化道路\t\t\t\t\t{status}\t\t\t\n")
        acct.append(f"{v_index + 1}\t{stamp}\t{stamp}\t{village_id}\t{code}股份经济合作社\t农商银行\t"
                    f"430501623601{v_index:08d}\n")
        balance = 100000
        for t in range(TRANSACTIONS_PER_VILLAGE):
            key += 1
            direction = "in" if t % 4 == 0 else "out"
            amount = rng.randrange(1, 200) * 100
            balance += amount if direction == "in" else -amount
            txn.append(f"{key}\t{_uuid(3, key)}\t{_uuid(3, key)}\t1\tt\t\t{stamp}\t{stamp}\t{v_index + 1}\t"
                       f"{village_id}\t{(today - dt.timedelta(days=3 * t)).isoformat()}\tPZ{t:04d}\t{direction}\t"
                       f"{amount}.00\t{balance}.00\t湘乡市财政局\t{'收上级拨款' if direction == 'in' else '支付工程款'}\n")
    _log("COPY allocations, projects, village accounts and transactions")
    versioned = ["id", "natural_key", "lineage", "version", "is_current", "correction_reason", "published_at",
                 "created_at"]
    _copy("funds_fundallocation", [*versioned, "level", "document_number", "fund_type", "amount", "recipient_kind",
                                   "recipient_name", "region_id", "allocated_on", "purpose"], alloc)
    _copy("funds_project", [*versioned, "code", "name", "village_id", "project_type", "budget", "content",
                            "approval_document", "filing_number", "tender_method", "contractor", "status",
                            "acceptance_note", "maintainer", "maintenance_note"], proj)
    _copy("funds_villageaccount", ["id", "created_at", "updated_at", "village_id", "account_name", "bank",
                                   "account_number"], acct)
    _copy("funds_accounttransaction", [*versioned, "account_id", "village_id", "occurred_on", "voucher_number",
                                       "direction", "amount", "balance", "counterparty", "purpose"], txn)


def _uuid(kind: int, n: int) -> str:
    return f"0000000{kind}-0000-4000-8000-{n:012x}"


# ---- measuring -----------------------------------------------------------------------------------------------

def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return round(statistics.median(ordered), 2), round(p99, 2)


def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _measure(n_households: int) -> dict[str, float]:
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path

    import sunshine.urls
    from sunshine.org.models import Household

    def bare(request):
        return HttpResponse("ok")

    # The reference: the same middleware and test Client, a view that does nothing.
    sunshine.urls.urlpatterns.append(path("__bench/bare/", bare))
    clear_url_caches()
    client = Client()
    rng = random.Random(SEED + 1)
    picks = [rng.randrange(n_households) + 1 for _ in range(SAMPLES + WARMUP)]
    rows = {h.pk: h for h in Household.objects.filter(pk__in=picks).select_related("village")
            .only("id", "head_name", "head_id_number", "village_id", "village__code")}
    village_codes = sorted({h.village.code for h in rows.values()})

    def random_ip(prefix: int) -> str:
        # Every request from its own address, as on a city's phones: the per-address limit is not what is timed.
        return f"{prefix}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"

    def lookup_page(h):
        response = client.post("/check/", {"village": h.village.code, "name": h.head_name,
                                           "last4": h.head_id_number[-4:]}, REMOTE_ADDR=random_ip(10))
        assert response.status_code == 200 and "查询结果" in response.content.decode(), response.status_code

    def lookup_api(h):
        response = client.post("/api/v1/public/household-check",
                               {"village_code": h.village.code, "name": h.head_name,
                                "id_last4": h.head_id_number[-4:]},
                               content_type="application/json", REMOTE_ADDR=random_ip(11))
        assert response.status_code == 200 and response.json()["payments"], response.status_code

    def village_page():
        response = client.get(f"/funds/village/{rng.choice(village_codes)}/")
        assert response.status_code == 200, response.status_code

    def bare_view():
        assert client.get("/__bench/bare/").status_code == 200

    households = [rows[p] for p in picks]
    _explain(households[0])
    for h in households[:WARMUP]:
        lookup_page(h)
        lookup_api(h)
        village_page()
        bare_view()
    measured = households[WARMUP:]
    lookup, api = [], []
    for h in measured:
        lookup += _timed(lambda h=h: lookup_page(h), 1)
        api += _timed(lambda h=h: lookup_api(h), 1)
    village = _timed(village_page, SAMPLES)
    reference = _timed(bare_view, SAMPLES)
    lp50, lp99 = _percentiles(lookup)
    ap50, ap99 = _percentiles(api)
    vp50, vp99 = _percentiles(village)
    bp50, bp99 = _percentiles(reference)
    connection.close()
    return {
        "lookup_p50_ms": lp50, "lookup_p99_ms": lp99,
        "lookup_api_p50_ms": ap50, "lookup_api_p99_ms": ap99,
        "village_page_p50_ms": vp50, "village_page_p99_ms": vp99,
        "bare_view_p50_ms": bp50, "bare_view_p99_ms": bp99,
        "lookup_samples": len(lookup), "lookup_households": n_households,
        "lookup_payments": int(os.environ.get("BENCH_PAYMENTS", "10000000")),
    }


def _explain(household) -> None:
    """Print the plans of the lookup's two big queries (stderr): both must be index scans."""
    from django.db import connection

    from sunshine.funds.models import HouseholdPayment, NoticeItem
    from sunshine.org.models import Household, HouseholdMember

    code = household.village.code
    plans = {
        # The same filters as sunshine.funds.public.households._household_matching and household_payments.
        "household": Household.objects.filter(head_name=household.head_name, village__code=code,
                                              village__level=3),
        "member": HouseholdMember.objects.filter(name=household.head_name, household__village__code=code,
                                                 household__village__level=3),
        "payments": HouseholdPayment.objects.filter(household_id=household.pk, published_at__isnull=False,
                                                    is_current=True).order_by("-paid_on", "-id")[:500],
        "notice codes": NoticeItem.objects.filter(payment_id__in=[1, 2, 3], notice__status="published"),
    }
    for label, qs in plans.items():
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n    ".join(row[0] for row in cursor.fetchall())
        _log(f"plan of the {label} query:\n    {plan}")
        if any(f"Seq Scan on {table}" in plan for table in BIG_TABLES):
            raise RuntimeError(f"the {label} lookup scans the whole table: an index is missing")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        from benchmarks.__main__ import _print_figures

        _print_figures(run())
