"""`sunshine redflags export DIR`: the tables the rules read, as Parquet partitioned by city, for a Spark cluster.

Each logical table of the rules' `TABLES` becomes `DIR/<logical>/_city=<6-digit code>/*.parquet`: rows with a
region (a village, or a household's village, or the region itself) go under the county-level city their region code
starts with, so one province's lake holds each city's export side by side and a cluster reads one city's slice by
partition pruning. Registries have no region: they go under `_city=registry` and are read whole by every city's run.
`DIR/_manifest.json` records the tables, their columns and types, the row counts, the source and the time.

Rows leave the database as CSV (PostgreSQL's COPY, or the cursor in batches on SQLite) into a temporary file that
DuckDB types and writes as Parquet; nothing is held in memory. Column types come from the Django model fields, so
dates stay dates and amounts stay decimals on the cluster.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, models

PARTITION = "_city"
REGISTRY_PARTITION = "registry"
MANIFEST = "_manifest.json"
NULL = r"\N"
BATCH = 5000


@dataclass(frozen=True)
class ExportedTable:
    logical: str
    db_table: str
    columns: list[str]
    types: dict[str, str]
    regional: bool  # partitioned by city (False: a registry, read whole)
    rows: int


def table_specs() -> dict[str, tuple[str, list[str]]]:
    """`logical name -> (db_table, columns)` from the rules' TABLES mapping."""
    from sunshine.redflags.rules import TABLES

    out = {}
    for logical, spec in TABLES.items():
        db_table = _attr(spec, "db_table")
        if db_table is None:
            model = _attr(spec, "model")
            db_table = model._meta.db_table
        columns = list(_attr(spec, "columns") or [])
        out[logical] = (db_table, columns)
    return out


def _attr(spec, name):
    if isinstance(spec, dict):
        return spec.get(name)
    if isinstance(spec, tuple | list) and name in ("db_table", "columns"):
        return spec[0 if name == "db_table" else 1] if len(spec) > 1 else None
    return getattr(spec, name, None)


def _model_for(db_table: str) -> type[models.Model]:
    for model in apps.get_models():
        if model._meta.db_table == db_table:
            return model
    raise LookupError(f"no model has db_table {db_table!r}")


def _duck_type(field: models.Field) -> str:
    if isinstance(field, models.ForeignKey):
        return "BIGINT"
    kind = field.get_internal_type()
    if kind in ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField"):
        return "BIGINT"
    if kind == "DecimalField":
        return f"DECIMAL({field.max_digits},{field.decimal_places})"
    if kind == "DateField":
        return "DATE"
    if kind == "DateTimeField":
        return "TIMESTAMPTZ"
    if kind == "BooleanField":
        return "BOOLEAN"
    if kind == "FloatField":
        return "DOUBLE"
    return "VARCHAR"


def _columns_and_types(model: type[models.Model], columns: list[str]) -> tuple[list[str], dict[str, str]]:
    by_column = {f.column: f for f in model._meta.concrete_fields}
    if not columns:
        columns = list(by_column)
    unknown = [c for c in columns if c not in by_column]
    if unknown:
        raise LookupError(f"{model._meta.db_table} has no column(s) {', '.join(unknown)}")
    return columns, {c: _duck_type(by_column[c]) for c in columns}


def _region_join(model: type[models.Model]) -> tuple[str, str] | None:
    """(joins, expression of the region code) for a model with a region, directly or through one foreign key."""
    from sunshine.org.models import Region

    region_table = Region._meta.db_table
    if model is Region:
        return "", "t.code"
    for name in ("village", "region", "scope_region"):
        field = _fk(model, name)
        if field is not None and field.related_model is Region:
            return f" LEFT JOIN {region_table} r ON r.id = t.{field.column}", "r.code"
    for field in model._meta.concrete_fields:  # one hop: a member's household's village
        if isinstance(field, models.ForeignKey) and field.related_model is not Region:
            inner = _fk(field.related_model, "village")
            if inner is not None and inner.related_model is Region:
                parent = field.related_model._meta.db_table
                return (f" LEFT JOIN {parent} p ON p.id = t.{field.column}"
                        f" LEFT JOIN {region_table} r ON r.id = p.{inner.column}", "r.code")
    return None


def _fk(model: type[models.Model], name: str) -> models.ForeignKey | None:
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return None
    return field if isinstance(field, models.ForeignKey) else None


def export(directory: str | Path, *, progress=None) -> list[ExportedTable]:
    """Write every table of the rules as Parquet under `directory` (replacing a previous export there)."""
    import duckdb

    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    done: list[ExportedTable] = []
    duck = duckdb.connect()
    duck.execute("SET TimeZone = 'UTC'")
    try:
        with tempfile.TemporaryDirectory(prefix="redflags-export-") as tmp:
            for logical, (db_table, wanted) in table_specs().items():
                model = _model_for(db_table)
                columns, types = _columns_and_types(model, wanted)
                region = _region_join(model)
                joins, code = region if region else ("", None)
                city = f"substr({code}, 1, 6)" if code else f"'{REGISTRY_PARTITION}'"
                select = (f"SELECT {', '.join('t.' + c for c in columns)}, COALESCE({city}, '{REGISTRY_PARTITION}') "
                          f"FROM {db_table} t{joins}")
                csv_path = Path(tmp) / f"{logical}.csv"
                rows = _dump_csv(select, csv_path)
                target = root / logical
                if target.exists():
                    shutil.rmtree(target)
                if rows:
                    duck_columns = {**types, PARTITION: "VARCHAR"}
                    spec = ", ".join(f"'{c}': '{t}'" for c, t in duck_columns.items())
                    duck.execute(
                        f"COPY (SELECT * FROM read_csv('{csv_path}', columns={{{spec}}}, header=false,"
                        f" nullstr='{NULL}', allow_quoted_nulls=false, quote='\"', escape='\"', delim=',',"
                        f" new_line='\\n')) TO '{target}' (FORMAT PARQUET, PARTITION_BY ({PARTITION}),"
                        f" OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part_{{uuid}}')")
                else:  # an empty table still has its schema on disk
                    empty = target / f"{PARTITION}={REGISTRY_PARTITION}"
                    empty.mkdir(parents=True)
                    duck.execute(
                        f"COPY (SELECT {', '.join(f'CAST(NULL AS {t}) AS {c}' for c, t in types.items())} LIMIT 0)"
                        f" TO '{empty / 'empty.parquet'}' (FORMAT PARQUET)")
                csv_path.unlink()
                table = ExportedTable(logical, db_table, columns, types, region is not None, rows)
                done.append(table)
                if progress:
                    progress(table)
    finally:
        duck.close()
    manifest = {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "partition": PARTITION,
        "registry_partition": REGISTRY_PARTITION,
        "tables": {t.logical: {"db_table": t.db_table, "columns": t.columns, "types": t.types,
                               "regional": t.regional, "rows": t.rows} for t in done},
    }
    (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return done


def read_manifest(directory: str | Path, spark=None) -> dict:
    """The export's manifest; a cluster path (hdfs://, s3a://) is read through Spark."""
    if "://" in str(directory) and not str(directory).startswith("file://"):
        if spark is None:
            raise FileNotFoundError(f"{directory}: a cluster path needs a Spark session to read")
        text = spark.read.text(f"{directory}/{MANIFEST}", wholetext=True).collect()[0][0]
        return json.loads(text)
    path = Path(str(directory).removeprefix("file://")) / MANIFEST
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `sunshine redflags export {directory}` first")
    return json.loads(path.read_text(encoding="utf-8"))


def _dump_csv(select: str, path: Path) -> int:
    """The rows of `select` as CSV (NULL as \\N) in `path`; returns the row count."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cursor, open(path, "wb") as out:
            with cursor.copy(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, NULL '{NULL}')") as copy:
                for block in copy:
                    out.write(block)
            rows = cursor.rowcount
        return rows
    n = 0
    with connection.cursor() as cursor, open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        cursor.execute(select)
        while True:
            batch = cursor.fetchmany(BATCH)
            if not batch:
                break
            writer.writerows([NULL if v is None else _csv_value(v) for v in row] for row in batch)
            n += len(batch)
    return n


def _csv_value(value):
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return value
