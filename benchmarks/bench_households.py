"""Registry import speed: BENCH_HOUSEHOLD_PERSONS (default 1,000,000) persons in 330,000 households of the 建档立卡
registry from a CSV built like the national system's export (title rows above the header, 户编号 and 人数 on every
row of a household), imported on PostgreSQL, against the floor measured in the same run.

- Its own database `bench_households` (created with psycopg, migrated, dropped after; BENCH_PG_URL names the
  server's maintenance database). The city's townships and villages are built through `import_regions` from a
  division list, as a real deployment does.
- The floor: the rows the import wrote (households, members and the households' history rows) copied aside, the
  tables emptied, and the same rows written back into the real tables, with every index and constraint, by one
  INSERT … SELECT per table in one transaction: no Python at all. Target: import ≤ 2 × floor.
- Re-importing the same file must write nothing and take about as long as reading and comparing it.
- Peak RSS of the import process (target < 400 MB).

Small runs: BENCH_HOUSEHOLD_PERSONS=20000 python -m benchmarks households.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PERSONS = int(os.environ.get("BENCH_HOUSEHOLD_PERSONS", "1000000"))
HOUSEHOLDS = max(1, PERSONS * 33 // 100)  # 1,000,000 persons → 330,000 households (3 or 4 persons each)
RATIO_TARGET, RSS_TARGET = 2, 400
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_households"
WORKDIR = Path(os.environ.get("BENCH_WORKDIR", Path(tempfile.gettempdir()) / "sunshine-bench-households"))
RESULT_PREFIX = "BENCH_HOUSEHOLDS_RESULT "
CITY_CODE, CITY_NAME = "430381000000", "湘乡市"
TOWNSHIPS, VILLAGES_PER_TOWNSHIP = 20, 20
HEADER = ["序号", "乡镇", "行政村", "户编号", "人数", "姓名", "性别", "证件号码", "与户主关系", "联系电话",
          "主要致贫原因", "脱贫属性", "脱贫年度"]
RELATIONS = ("户主", "配偶", "之子", "之女")
CAUSES = ("因病", "因残", "因学", "缺技术", "缺劳力", "缺资金")
STATUSES = ("已脱贫", "未脱贫", "监测户")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华建国红梅玉凤春花云飞志鹏辉林波斌宇浩凯"
BIRTH_BASE = dt.date(1940, 1, 1)


def township_code(t: int) -> str:
    return f"430381{101 + t:03d}000"


def village_code(t: int, v: int) -> str:
    return f"430381{101 + t:03d}{201 + v:03d}"


def write_division_list(path: Path) -> None:
    """The statistics bureau's list for the city: 统计用区划代码, 城乡分类代码 (villages only), 名称."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["统计用区划代码", "城乡分类代码", "名称"])
        writer.writerow(["430000000000", "", "湖南省"])
        writer.writerow(["430300000000", "", "湘潭市"])
        writer.writerow([CITY_CODE, "", CITY_NAME])
        for t in range(TOWNSHIPS):
            writer.writerow([township_code(t), "", f"基准镇{t + 1}"])
            for v in range(VILLAGES_PER_TOWNSHIP):
                writer.writerow([village_code(t, v), "220", f"基准村{t + 1}-{v + 1}"])


def sizes() -> list[int]:
    """Persons per household: 3 each, one more in as many households as needed to make PERSONS."""
    extra = PERSONS - 3 * HOUSEHOLDS
    return [3 + (1 if h < extra else 0) for h in range(HOUSEHOLDS)]


def write_households(path: Path) -> None:
    from sunshine.core.validators import make_id_number

    tmp = path.with_suffix(".part")
    villages = TOWNSHIPS * VILLAGES_PER_TOWNSHIP
    person = 0
    with open(tmp, "w", newline="", encoding="utf-8") as out:
        out.write("全国防返贫监测信息系统 建档立卡户成员信息\r\n导出单位:湘乡市\r\n")
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for h, size in enumerate(sizes()):
            v = h % villages
            t, vv = divmod(v, VILLAGES_PER_TOWNSHIP)
            code = f"{village_code(t, vv)}{h // villages + 1:05d}"
            cause, status = CAUSES[h % len(CAUSES)], STATUSES[h % len(STATUSES)]
            year = str(2014 + h % 7)
            for k in range(size):
                person += 1
                name = SURNAMES[(h + k) % len(SURNAMES)] + GIVEN[(person // 7) % len(GIVEN)] + GIVEN[person % len(GIVEN)]
                id_number = make_id_number("430381", BIRTH_BASE + dt.timedelta(days=person // 1000), person % 1000)
                phone = f"139{h:08d}" if k == 0 else ""
                writer.writerow([person, f"基准镇{t + 1}", f"基准村{t + 1}-{vv + 1}", code, size, name,
                                 "男" if person % 2 else "女", id_number, RELATIONS[min(k, 3)], phone, cause, status,
                                 year])
    tmp.replace(path)


# ---- orchestration -------------------------------------------------------------------------------------------

def _child(step: str, env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_households", step], env=env,
                          stdout=subprocess.PIPE, text=True, check=True)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    return {}


def _log(message: str) -> None:
    print(f"[bench_households {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def run() -> dict:
    WORKDIR.mkdir(parents=True, exist_ok=True)
    regions = WORKDIR / "regions.csv"
    write_division_list(regions)
    data = WORKDIR / f"households-{PERSONS}.csv"
    if not data.exists():
        _log(f"writing {PERSONS:,} persons ({HOUSEHOLDS:,} households) to {data}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunshine.settings.test")
        write_households(data)
    pg_url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sunshine.settings.test", "DATABASE_URL": pg_url,
           "BENCH_REGIONS": str(regions), "BENCH_HOUSEHOLDS": str(data), "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
    _pg_admin(f"CREATE DATABASE {PG_DB}")
    try:
        _log("PostgreSQL: migrate and import the division list")
        _child("setup", env)
        _log("PostgreSQL: import, re-import, floor")
        imp = _child("import", env)
    finally:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    ratio = imp["seconds"] / imp["floor_seconds"]
    verdict = "met" if ratio <= RATIO_TARGET else f"MISSED (target {RATIO_TARGET})"
    rss_verdict = "met" if imp["peak_rss_mb"] < RSS_TARGET else f"MISSED (target < {RSS_TARGET})"
    return {
        "household_import_persons_per_s": (
            round(PERSONS / imp["seconds"]),
            f"{PERSONS:,} persons, {HOUSEHOLDS:,} households in {imp['seconds']:.1f} s; {imp['phases']}"),
        "household_import_pg_ratio_vs_floor": (
            round(ratio, 2), f"floor {imp['floor_seconds']:.1f} s: the same {imp['households']:,} households, "
                             f"{imp['members']:,} members and {imp['history']:,} history rows written into the real "
                             f"tables with no Python; {verdict}"),
        "household_import_peak_rss_mb": (
            round(imp["peak_rss_mb"]), f"{imp['baseline_rss_mb']:.0f} MB with Django loaded; {rss_verdict}"),
        "household_reimport_seconds": (
            round(imp["reimport_seconds"], 1),
            f"the same file again: {imp['reimport_written']} households written (a no-op), "
            f"{imp['reimport_seconds'] / imp['seconds']:.2f} × the first import"),
    }


# ---- child steps ----------------------------------------------------------------------------------------------

def _django():
    import django

    django.setup()


def step_setup() -> dict:
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sunshine.org.regions_import import regions_import

    result = regions_import(path=os.environ["BENCH_REGIONS"], filename="regions.csv", actor=None)
    assert result.ok, result.errors[:5]
    return {"regions": result.created}


def step_import() -> dict:
    _django()
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from sunshine.org.importers import households_import
    from sunshine.org.models import Household, HouseholdMember

    connection.ensure_connection()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    path = os.environ["BENCH_HOUSEHOLDS"]
    started, cpu_started = time.perf_counter(), time.process_time()
    result = households_import(path=path, filename=Path(path).name, actor=None)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    assert result.ok, result.errors[:5]
    assert result.created == HOUSEHOLDS, result.created
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ct = ContentType.objects.get_for_model(Household).pk
    counts = {"households": Household.objects.count(), "members": HouseholdMember.objects.count(),
              "history": LogEntry.objects.filter(content_type_id=ct).count()}
    assert counts["members"] == PERSONS and counts["history"] == HOUSEHOLDS, counts
    started = time.perf_counter()
    again = households_import(path=path, filename=Path(path).name, actor=None)
    reimport = time.perf_counter() - started
    assert again.ok and again.created == 0 and again.updated == 0, (again.created, again.updated)
    assert LogEntry.objects.filter(content_type_id=ct).count() == HOUSEHOLDS
    floor = _floor(ct)
    return {"seconds": seconds, "peak_rss_mb": peak, "baseline_rss_mb": baseline, "floor_seconds": floor,
            "reimport_seconds": reimport, "reimport_written": again.created + again.updated,
            "phases": f"{cpu:.1f} s of Python CPU", **counts}


def _floor(content_type_id: int) -> float:
    """Seconds to write the rows the import wrote (households, members, the households' history rows) back into
    the emptied real tables with every index and constraint, with no Python: one INSERT … SELECT per table."""
    from django.db import connection, transaction

    tables = [("org_household", ""), ("org_householdmember", ""),
              ("auditlog_logentry", f"WHERE content_type_id = {content_type_id}")]
    with connection.cursor() as cursor:
        for table, where in tables:
            cursor.execute(f"DROP TABLE IF EXISTS floor_{table}")
            cursor.execute(f"CREATE TABLE floor_{table} AS SELECT * FROM {table} {where}")
        cursor.execute(f"DELETE FROM auditlog_logentry WHERE content_type_id = {content_type_id}")
        cursor.execute("TRUNCATE org_household, org_householdmember CASCADE")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, _ in tables:
            cursor.execute(f"INSERT INTO {table} SELECT * FROM floor_{table}")
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table, _ in tables:
            cursor.execute(f"DROP TABLE floor_{table}")
    return seconds


STEPS = {"setup": step_setup, "import": step_import}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in STEPS:
        sys.exit(f"usage: python -m benchmarks.bench_households {{{'|'.join(STEPS)}}} (or run via python -m benchmarks)")
    print(RESULT_PREFIX + json.dumps(STEPS[sys.argv[1]]()), flush=True)
