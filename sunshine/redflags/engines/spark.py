"""The rule set on Apache Spark: the same SQL, translated by sqlglot, over the Parquet export (`redflags export`).

A province's lake holds every city's export under `<table>/_city=<code>`; the row ids of one city's tables are that
city database's ids, so the rules run city by city (a city's slice of each regional table is a partition read, the
registries are read whole) and a hit never joins one city's payment to another city's household. The hits come back
as plain rows in the same shape as the database engine's and are loaded as clues by the same function.

PySpark is optional (`pip install sunshine[spark]`, Java 17): this module imports it only when a run starts.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from sunshine.redflags.export import PARTITION, REGISTRY_PARTITION, read_manifest

APP_NAME = "sunshine-redflags"


def session(master: str = "local[2]", *, conf: dict[str, str] | None = None):
    """A Spark session for the rules (the one already running in this process when there is one)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - the extra is missing
        raise RuntimeError("PySpark is not installed: pip install 'sunshine[spark]' (and Java 17)") from exc
    os.environ.setdefault("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", "python3"))
    builder = (SparkSession.builder.master(master).appName(APP_NAME)
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               # "430381" stays a string, not the integer 430381
               .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
               .config("spark.sql.ansi.enabled", "false"))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_sql(rule) -> str:
    """The rule's SQL in Spark's dialect over the logical table names (registered as views), with Spark's named
    parameter markers (`:name`), filled by `spark.sql(text, args=values)` with the same values as the database's."""
    from sunshine.redflags import engine

    return engine.render_sql(rule, "spark", physical=False)


def cities_in(spark, root: str, manifest: dict) -> list[str]:
    """The cities (6-digit codes) that have rows in the regional tables of the export."""
    found: set[str] = set()
    for logical, table in manifest["tables"].items():
        if not table["regional"]:
            continue
        local = Path(root) / logical
        if local.is_dir():
            found.update(p.name.split("=", 1)[1] for p in local.iterdir() if p.name.startswith(f"{PARTITION}="))
        else:  # a cluster path (hdfs://, s3a://): ask Spark
            rows = spark.read.parquet(f"{root}/{logical}").select(PARTITION).distinct().collect()
            found.update(r[0] for r in rows)
    found.discard(REGISTRY_PARTITION)
    return sorted(found)


def run(root: str | Path, *, master: str = "local[2]", rules: Iterable | None = None, params: dict | None = None,
        cities: Iterable[str] | None = None, spark=None,
        progress: Callable[[str, str, int], None] | None = None) -> dict[str, list[dict]]:
    """Run `rules` (default: every rule) on the export at `root` with the run's values `params`; returns
    `{rule code: [hit as a dict of HIT_COLUMNS and _city]}` over the cities asked for (default: all in the export)."""
    from sunshine.redflags import engine
    from sunshine.redflags.rules import HIT_COLUMNS, RULES

    root = str(root)
    spark = spark or session(master)
    manifest = read_manifest(root, spark)
    rules = list(RULES if rules is None else rules)
    frames = {logical: spark.read.parquet(f"{root}/{logical}") for logical in manifest["tables"]}
    for logical, table in manifest["tables"].items():
        if not table["regional"]:
            frames[logical].drop(PARTITION).createOrReplaceTempView(logical)
    wanted = cities_in(spark, root, manifest)
    if cities is not None:
        asked = set(cities)
        wanted = [c for c in wanted if c in asked]
    statements = {rule.code: spark_sql(rule) for rule in rules}
    hits: dict[str, list[dict]] = {rule.code: [] for rule in rules}
    for city in wanted:
        for logical, table in manifest["tables"].items():
            if table["regional"]:
                frame = frames[logical]
                frame.where(frame[PARTITION] == city).drop(PARTITION).createOrReplaceTempView(logical)
        for rule in rules:
            text = statements[rule.code]
            own = engine.rule_values(params or {}, rule)  # the rule's own watermarks
            args = {name: value for name, value in own.items() if f":{name}" in text}
            rows = spark.sql(text, args=args).collect()
            for row in rows:
                hit = dict(zip(HIT_COLUMNS, row, strict=True))
                hit[PARTITION] = city
                hits[rule.code].append(hit)
            if progress:
                progress(city, rule.code, len(rows))
    return hits


def database_cities() -> list[str]:
    """The cities (first six digits of a region code) this database holds: a run loads back only their hits."""
    from sunshine.org.models import Region

    return sorted({code[:6] for code in Region.objects.values_list("code", flat=True)})


def run_rules(*, full: bool = True, actor=None, codes: list[str] | None = None, today=None, progress=None,
              master: str | None = None, export_dir: str | Path | None = None, make_clues: bool = True,
              spark=None):
    """`sunshine redflags run --engine spark`: the enabled rules on Spark over the Parquet export at `export_dir`
    (a fresh export of this database into a temporary directory when none is given), with the same run values as
    the database engine; the hits of this database's cities are recorded and become clues through the same path
    as the database engine's (`services.hits_record`, `services.run_finish`). Returns the finished Run."""
    import tempfile

    from sunshine.redflags import services
    from sunshine.redflags.export import export

    master = master or os.environ.get("SUNSHINE_SPARK_MASTER", "local[2]")
    run_, values, rules = services.run_start(engine="spark", full=full, actor=actor, codes=codes, today=today)
    try:
        with tempfile.TemporaryDirectory(prefix="redflags-spark-") as tmp:
            root = export_dir
            if root is None:
                root = tmp
                export(root)
            hits = run(root, master=master, rules=rules, params=values, cities=database_cities(), spark=spark)
        for rule in rules:
            rows = [{name: hit[name] for name in hit if name != PARTITION} for hit in hits[rule.code]]
            services.hits_record(run=run_, rule=rule, rows=rows)
            if progress is not None:
                progress(rule.code)
    except Exception as exc:
        services.run_fail(run=run_, message=str(exc))
        raise
    return services.run_finish(run=run_, make_clues=make_clues)
