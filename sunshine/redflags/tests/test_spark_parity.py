"""The same rules on Spark (local[2], over the Parquet export), DuckDB and the database give the same hits.

The planted world (tests/planted.py: every rule's true hits and near-misses, the subject keys each must find) is
exported to Parquet; Spark and DuckDB must find exactly the planted keys, and the same rows (amounts, dates, the
records referred to) as the database engine. The database engine itself is checked on SQLite and PostgreSQL by
test_rules.py; Spark runs once per `make test`, in the SQLite run (marked `spark`, skipped when DATABASE_URL is set),
so the JVM starts once.
"""
from __future__ import annotations

import os
import shutil
from decimal import Decimal, InvalidOperation

import pytest
from django.core.management import call_command

from .planted import TODAY


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    from sunshine.redflags.engines.spark import session

    # A small, quick local session: no UI, two shuffle partitions, the JIT's first tier only (tiny data).
    spark = session("local[2]", conf={
        "spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2",
        "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
        "spark.sql.adaptive.enabled": "false"})
    yield spark
    spark.stop()


def _number(value):
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return value


def _normal(rows: list[dict]) -> list[tuple]:
    """A hit as every engine must give it: numbers as 2-place decimals (SQLite sums in floats, casts 300000.00 to
    '300000'), dates as ISO dates."""
    out = []
    for row in rows:
        event = row["event_date"]
        out.append((row["subject_key"], row["region_id"], row["household_id"], row["ref_table"], row["ref_id"],
                    _number(row["amount"]), None if event is None else str(event)[:10], _number(row["note"])))
    return sorted(out, key=repr)


def _database_hits(values) -> dict[str, list[dict]]:
    from sunshine.redflags import engine
    from sunshine.redflags.rules import RULES

    return {rule.code: engine.execute_rule(rule, values) for rule in RULES}


def _duckdb_hits(root, values) -> dict[str, list[dict]]:
    import duckdb

    from sunshine.redflags import engine
    from sunshine.redflags.export import read_manifest
    from sunshine.redflags.rules import HIT_COLUMNS, RULES

    duck = duckdb.connect()
    duck.execute("SET TimeZone = 'UTC'")
    for logical in read_manifest(root)["tables"]:
        duck.execute(f"CREATE VIEW {logical} AS SELECT * FROM "
                     f"read_parquet('{root}/{logical}/*/*.parquet', hive_partitioning = false)")
    hits = {}
    for rule in RULES:
        text = engine.render_sql(rule, "duckdb", physical=False)
        args = {name: value for name, value in values.items() if f"${name}" in text}
        hits[rule.code] = [dict(zip(HIT_COLUMNS, row, strict=True)) for row in duck.execute(text, args).fetchall()]
    duck.close()
    return hits


@pytest.mark.django_db
def test_export_writes_parquet_partitioned_by_city(world, tmp_path):
    from sunshine.redflags.export import read_manifest
    from sunshine.redflags.models import DeathRecord
    from sunshine.redflags.rules import TABLES

    call_command("redflags", "export", str(tmp_path))
    manifest = read_manifest(tmp_path)
    assert set(manifest["tables"]) == set(TABLES)
    # Beneficiary tables under the city's code; registries whole.
    assert sorted(p.name for p in (tmp_path / "payment").iterdir()) == ["_city=430381"]
    assert sorted(p.name for p in (tmp_path / "death").iterdir()) == ["_city=registry"]
    assert manifest["tables"]["payment"]["regional"] is True
    assert manifest["tables"]["death"]["regional"] is False
    assert manifest["tables"]["death"]["rows"] == DeathRecord.objects.count() > 0
    assert manifest["tables"]["payment"]["types"]["amount"] == "DECIMAL(14,2)"
    assert manifest["tables"]["payment"]["types"]["paid_on"] == "DATE"


@pytest.mark.django_db
@pytest.mark.spark
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="Spark parity runs once per test run, in the SQLite run")
@pytest.mark.skipif(shutil.which("java") is None, reason="Java 17 is not installed (openjdk-17-jre-headless)")
def test_spark_and_duckdb_give_the_database_engine_hits_and_load_them_as_clues(world, tmp_path, spark, monkeypatch):
    from sunshine.redflags import engine
    from sunshine.redflags.engines import spark as spark_engine
    from sunshine.redflags.export import export
    from sunshine.redflags.models import Hit
    from sunshine.redflags.services import payment_slots_refresh, person_keys_refresh

    person_keys_refresh()
    payment_slots_refresh()
    today = TODAY
    values = engine.run_parameters(today=today)
    database = _database_hits(values)
    export(tmp_path)
    duck = _duckdb_hits(tmp_path, values)

    seen: dict = {}
    real_run = spark_engine.run

    def spy(*args, **kwargs):
        seen.update(real_run(*args, **kwargs))
        return seen

    monkeypatch.setattr(spark_engine, "run", spy)
    run = spark_engine.run_rules(full=True, export_dir=tmp_path, spark=spark, today=today)
    spark_rows = {code: [{k: v for k, v in row.items() if k != "_city"} for row in rows]
                  for code, rows in seen.items()}
    from sunshine.redflags.rules import RULES

    assert len(RULES) >= 17
    for rule in RULES:
        code = rule.code
        keys = {row["subject_key"] for row in database[code]}
        assert keys, f"{code} has planted hits"
        if world.expected.get(code):
            assert keys == world.expected[code], code
        assert {row["subject_key"] for row in spark_rows[code]} == keys, code
        assert {row["subject_key"] for row in duck[code]} == keys, code
        assert _normal(spark_rows[code]) == _normal(database[code]), code
        assert _normal(duck[code]) == _normal(database[code]), code
    # Loaded back as the database engine loads its hits: one hit per finding, a clue each, the run recorded.
    total = sum(len(rows) for rows in database.values())
    assert run.engine == "spark" and run.status == "succeeded"
    assert {code: figures["found"] for code, figures in run.counts.items() if not code.startswith("_")} == {
        code: len(rows) for code, rows in database.items()}
    assert Hit.objects.count() == total
    assert Hit.objects.filter(report__isnull=True).count() == 0
    assert run.counts["_clues"] == total
    # The same findings by the database engine later are not new: no second clue.
    again = engine.run_rules(engine="db", full=True, today=today)
    assert all(figures["new"] == 0 for code, figures in again.counts.items() if not code.startswith("_"))
    assert Hit.objects.count() == total
