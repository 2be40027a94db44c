"""The import pipeline shared by the four funds importers.

Every import runs in one transaction: a bad row or a crash leaves nothing behind. Rows are streamed from the file
(sunshine.core.tabular) and validated without building model objects (lookups come from dicts built once); bad
rows are collected with their number, column and reason, and once one is found nothing more is written.

Two ways to write, one outcome:

- Direct (importers with `direct = True`: household payments, whose lists run to a million rows). Each chunk of
  good rows goes straight into the table (binary COPY on PostgreSQL), with ids handed out ahead so the chunk's side
  effects (SMS outbox rows) are written right after it, from memory. The Python work that needs no connection is
  done while the server writes: the chunk's SMS rows during its COPY, reading and checking the next chunk during
  the SMS rows' COPY. A new file never meets the natural-key index: this is the whole import. If it does meet it (the
  file, or part of it, was imported before, or states the same fact twice), the direct writes are rolled back to
  their savepoint and the file is imported the staged way instead.
- Staged. Good rows stream into a temporary table (COPY / executemany); duplicates inside the file are found with
  one GROUP BY and reported with both row numbers; one INSERT … SELECT … ON CONFLICT DO NOTHING writes the rows
  not imported before (the same file twice changes nothing); the side effects follow for the rows it wrote.
"""
from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sunshine.core.bulkwrite import BulkWriter, IdsInterleaved, accept_uuid_bytes
from sunshine.core.importjobs import ImportResult
from sunshine.core.models import ImportJob
from sunshine.core.scoping import Scope
from sunshine.core.tabular import Column, Row, RowErrors, open_table

logger = logging.getLogger(__name__)

STAGE_TABLE = "funds_import_stage"
SQLITE_BATCH = 5000
PROGRESS_EVERY = 5000
# Share of the progress bar: reading and validating, then writing the records, then side effects.
VALIDATE_SHARE, WRITE_SHARE = 70, 85
MAX_DUPLICATES_LISTED = 1000
DIRECT_CHUNK = 20_000  # rows per direct write: bounds memory (the chunk being written and the next one)
READ_BACK_CHUNK = 5_000

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (bad rows found, or a dry run)."""


class Importer:
    """One record type's import: its columns, its row check and what it writes besides the records.

    Subclasses set `kind`, `model`, `columns`, `stage_columns` (the per-row columns staged, natural_key first)
    and implement `prepare()` and `parse(row, errors)`; they may add checks on the staged rows and side effects
    (`after_insert` over the stage, or, for a direct importer, `after_rows` over each chunk written).
    """

    kind: str
    model: type
    columns: list[Column]
    stage_columns: tuple[str, ...]
    label: str = "记录"
    # May rows be written straight into the table? (Needs row_effects: the direct way has no stage.)
    direct: bool = False
    # Side effects per written row (`after_rows`), on both ways, instead of `after_insert` over the stage.
    row_effects: bool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.direct and not cls.row_effects:
            raise TypeError(f"{cls.__name__}: a direct importer's side effects must be per row (row_effects)")

    def __init__(self, *, scope: Scope | None, actor=None, unit=None, job: ImportJob | None = None,
                 options: dict | None = None):
        self.scope = scope  # None: the whole city (a command run without --unit)
        self.actor = actor
        self.unit = unit
        self.job = job
        self.options = options or {}
        self.headings: dict[str, str] = {}
        self.now = timezone.now()

    # -- hooks --------------------------------------------------------------------------------------------------
    def lock_tables(self) -> None:
        """Locks taken at the start of the import's transaction, before `prepare` reads anything."""

    def prepare(self) -> None:
        """Build the lookups `parse` needs, once per import."""

    def start_writing(self) -> None:
        """Before each way of writing: anything that remembers what was written (ids of rows it wrote) starts
        afresh, since a direct attempt abandoned for the staged way is rolled back with all it wrote."""

    def parse(self, row: Row, errors: RowErrors) -> tuple | None:
        """The row's staged values (in `stage_columns` order), or None after adding its errors."""
        raise NotImplementedError

    def check_staged(self, stage: Stage, errors: RowErrors) -> None:
        """Checks across rows, in SQL over the staged rows (default: the same fact twice in the file)."""
        stage.duplicate_errors(errors, column=self.duplicate_column(), what=self.label)

    def duplicate_column(self) -> str:
        return next(iter(self.headings.values()), "")

    def constant_columns(self) -> dict[str, object]:
        """Columns with the same value on every inserted row."""
        now = self.now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(self.now)
        return {"version": 1, "is_current": True, "correction_reason": "", "supersedes_id": None,
                "published_at": None, "created_at": now, "import_job_id": self.job.pk if self.job else None}

    def after_insert(self, stage: Stage, result: ImportResult) -> None:
        """Side effects of the new records (SMS outbox rows, events), in the same transaction."""

    def after_rows(self, ids: list[int], rows: list[tuple], result: ImportResult, prepared=None,
                   meanwhile=None) -> None:
        """Side effects of rows just written: their ids, and their values in `stage_columns` order; `prepared`
        is what prepare_rows made of them, when the direct way had the time. `meanwhile()`, when given, must be
        called once: while the database writes the side effects where it can (a COPY), else after them."""
        if meanwhile is not None:
            meanwhile()

    def prepare_rows(self, ids: list[int], rows: list[tuple]):
        """after_rows' work that needs no database, done while the database is still writing the rows."""

    # -- helpers for subclasses -------------------------------------------------------------------------------
    def in_scope(self, path: str) -> bool:
        return self.scope is None or self.scope.covers_region_path(path)

    def for_department(self) -> bool:
        """A sector department (no territory) allocates funds and runs projects anywhere in the city; the records
        stay visible to it through their owner unit."""
        from ..services.records import DEPARTMENT_KINDS

        return self.unit is not None and self.unit.kind in DEPARTMENT_KINDS

    def heading(self, key: str) -> str:
        return self.headings.get(key) or next((c.headings[0] for c in self.columns if c.key == key), key)


class Stage:
    """A temporary table shaped like the target's columns plus the file's row number."""

    def __init__(self, model: type, columns: tuple[str, ...]):
        self.model = model
        self.table = model._meta.db_table
        self.columns = columns
        self.conflict_fields = model.natural_key_fields  # the unique columns that say "imported before"
        self.vendor = connection.vendor
        cols = ", ".join(columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE_TABLE}")
            if self.vendor == "postgresql":
                # Same column types as the target, no constraints or indexes: COPY at full speed.
                cursor.execute(f"CREATE TEMP TABLE {STAGE_TABLE} ON COMMIT DROP AS "
                               f"SELECT {cols} FROM {self.table} WITH NO DATA")
                cursor.execute(f"ALTER TABLE {STAGE_TABLE} ADD COLUMN row_number integer")
            else:
                cursor.execute(f"CREATE TEMP TABLE {STAGE_TABLE} AS SELECT {cols} FROM {self.table} WHERE 0")
                cursor.execute(f"ALTER TABLE {STAGE_TABLE} ADD COLUMN row_number integer")
        self.count = 0

    def load(self, rows: Iterable[tuple]) -> int:
        """Stream (row_number, *values) tuples into the stage."""
        names = ", ".join(("row_number", *self.columns))
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                accept_uuid_bytes(cursor.cursor, text=True)  # natural keys may come as 16 bytes
                with cursor.cursor.copy(f"COPY {STAGE_TABLE} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.count += 1
            else:
                marks = ", ".join(["%s"] * (len(self.columns) + 1))
                sql = f"INSERT INTO {STAGE_TABLE} ({names}) VALUES ({marks})"
                batch: list[tuple] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= SQLITE_BATCH:
                        cursor.executemany(sql, batch)
                        self.count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    self.count += len(batch)
        return self.count

    def analyze(self) -> None:
        """Statistics for the planner: a temporary table is never auto-analysed, and without them the joins below
        are planned as if the stage were empty (nested loops over a million rows)."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {STAGE_TABLE}")

    def duplicate_errors(self, errors: RowErrors, *, column: str, what: str) -> None:
        """Rows stating a fact an earlier row of the same file already stated."""
        with connection.cursor() as cursor:
            # One hash aggregate answers the usual case (no duplicates) before any per-row listing.
            cursor.execute(f"SELECT 1 FROM {STAGE_TABLE} GROUP BY natural_key HAVING COUNT(*) > 1 LIMIT 1")
            if cursor.fetchone() is None:
                return
        sql = (
            f"SELECT s.row_number, d.first_row FROM {STAGE_TABLE} s JOIN ("
            f" SELECT natural_key, MIN(row_number) AS first_row FROM {STAGE_TABLE}"
            f" GROUP BY natural_key HAVING COUNT(*) > 1) d ON s.natural_key = d.natural_key"
            f" WHERE s.row_number > d.first_row ORDER BY s.row_number LIMIT {MAX_DUPLICATES_LISTED}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            for row_number, first_row in cursor.fetchall():
                errors.add(row_number, column, f"与第 {first_row} 行是同一笔{what}（重复）")

    def existing_count(self) -> int:
        same = " AND ".join(f"t.{f} = s.{f}" for f in self.conflict_fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE_TABLE} s WHERE EXISTS ("
                           f"SELECT 1 FROM {self.table} t WHERE {same})")
            return cursor.fetchone()[0]

    def insert(self, constants: dict[str, object], *, returning: bool = False) -> int | list[int]:
        """New rows into the target; natural keys already present are skipped (the import is idempotent).
        The number of rows written, or with `returning` their ids."""
        cols = ", ".join((*self.columns, *constants))
        marks = ", ".join(["%s"] * len(constants))
        # No ORDER BY: the stage is read in the order it was written (the file's), and a sort of a million wide
        # rows would spill to disk. "WHERE true" keeps SQLite from reading ON CONFLICT as part of a join clause.
        sql = (f"INSERT INTO {self.table} ({cols}) SELECT {', '.join(self.columns)}, {marks} FROM {STAGE_TABLE} "
               f"WHERE true ON CONFLICT ({', '.join(self.conflict_fields)}) DO NOTHING")
        with connection.cursor() as cursor:
            if returning:
                cursor.execute(sql + " RETURNING id", list(constants.values()))
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(sql, list(constants.values()))
            return cursor.rowcount

    def stream(self, sql: str, params: Iterable = (), itersize: int = 5000) -> Iterator[tuple]:
        """Rows of a query over the stage, without loading them all (a server-side cursor on PostgreSQL)."""
        if self.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor(name="funds_import_stream") as cursor:
                cursor.itersize = itersize
                cursor.execute(sql, list(params))
                yield from cursor
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, list(params))
                while chunk := cursor.fetchmany(itersize):
                    yield from chunk

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE_TABLE}")


def run_import(importer: Importer, *, source: str | Path, filename: str, dry_run: bool = False,
               progress: Progress | None = None) -> ImportResult:
    """Validate the whole file, then (unless a dry run or any row is bad) write it in one transaction."""
    table = open_table(source, filename=filename, columns=importer.columns)
    importer.headings = dict(table.headings)
    result = ImportResult(dry_run=dry_run)
    errors = RowErrors()
    try:
        with transaction.atomic():
            importer.lock_tables()
            importer.prepare()
            done = False
            if importer.direct and not dry_run and _rereadable(source):
                importer.start_writing()
                done = _import_direct(importer, table, result, errors, progress)
                if not done:
                    # Met rows imported before (or the same row twice): start over, the staged way.
                    table = open_table(_rewound(source), filename=filename, columns=importer.columns)
                    result.total_rows = 0
                    errors.clear()
            if not done:
                importer.start_writing()
                _import_staged(importer, table, result, errors, progress, dry_run=dry_run)
    except _Rollback:
        pass
    if errors:
        result.errors, result.error_count, result.message = errors.as_list(), errors.count, errors.summary()
    elif dry_run:
        result.message = (f"检查通过：{result.total_rows} 行，将新增 {result.created} 条{importer.label},"
                          f"{result.unchanged} 条已导入过。未写入（试导入）。")
    else:
        result.message = (f"导入完成：{result.total_rows} 行，新增 {result.created} 条{importer.label},"
                          f"{result.unchanged} 条已导入过（未变化）" +
                          (f"；已生成短信 {result.sms_queued} 条。" if result.sms_queued else "。"))
    if not result.total_rows and not errors:
        result.error_count = 1
        result.errors = [{"row": table.header_row_number, "column": "", "reason": "表头下面没有数据行"}]
        result.message = "文件中没有数据行，未导入任何数据。"
    return result


def _rereadable(source) -> bool:
    return isinstance(source, (str, Path, bytes)) or (hasattr(source, "seekable") and source.seekable())


def _rewound(source):
    if isinstance(source, io.IOBase) or hasattr(source, "seek"):
        source.seek(0)
    return source


def _validated(importer: Importer, table, result: ImportResult, errors: RowErrors,
               progress: Progress | None) -> Iterator[tuple]:
    """(row number, *values) of each good row while no row is bad; every row is read and checked regardless."""
    parse = importer.parse
    total = table.total_rows_hint or 0
    for row in table.rows():
        result.total_rows += 1
        if progress and result.total_rows % PROGRESS_EVERY == 0:
            progress("validate", result.total_rows, max(total, result.total_rows))
        if row.problems:
            errors.add_row_problems(row, importer.headings)
            continue
        values = parse(row, errors)
        if values is not None and not errors:
            yield (row.number, *values)


def _import_staged(importer: Importer, table, result: ImportResult, errors: RowErrors,
                   progress: Progress | None, *, dry_run: bool) -> None:
    stage = Stage(importer.model, importer.stage_columns)
    stage.load(_validated(importer, table, result, errors, progress))
    if progress:
        progress("validate", result.total_rows, result.total_rows)
    stage.analyze()
    if not errors:
        importer.check_staged(stage, errors)
    if errors:
        raise _Rollback
    if dry_run:
        result.unchanged = stage.existing_count()
        result.created = stage.count - result.unchanged
        raise _Rollback
    if importer.row_effects:
        ids = stage.insert(importer.constant_columns(), returning=True)
        result.created = len(ids)
        result.unchanged = stage.count - result.created
        if progress:
            progress("write", result.total_rows, result.total_rows)
        stage.drop()
        _after_rows_read_back(importer, ids, result)
        return
    result.created = stage.insert(importer.constant_columns())
    result.unchanged = stage.count - result.created
    if progress:
        progress("write", result.total_rows, result.total_rows)
    importer.after_insert(stage, result)
    stage.drop()


def _after_rows_read_back(importer: Importer, ids: list[int], result: ImportResult) -> None:
    """The direct importer's side effects for the rows a staged insert wrote, read back by id."""
    cols = ", ".join(importer.stage_columns)
    table = importer.model._meta.db_table
    ids = sorted(ids)
    for start in range(0, len(ids), READ_BACK_CHUNK):
        chunk = ids[start:start + READ_BACK_CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {cols} FROM {table} WHERE id IN ({marks}) ORDER BY id", chunk)
            rows = cursor.fetchall()
        importer.after_rows([r[0] for r in rows], [r[1:] for r in rows], result)


def _chunks(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    """The good rows (values only, without their row number) in lists of DIRECT_CHUNK."""
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row[1:])
        if len(chunk) >= DIRECT_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prepare_rows(importer: Importer, chunk: list[tuple], out: list, ids: list[int]) -> None:
    out.append(importer.prepare_rows(ids, chunk))


def _read_ahead(chunks: Iterator[list[tuple]], out: list) -> None:
    """The next chunk, read and checked from the file while the connection is busy. In this thread: a second Python
    thread would only fight this one for the interpreter lock (measured slower, on both databases)."""
    out.append(next(chunks, None))


def _import_direct(importer: Importer, table, result: ImportResult, errors: RowErrors,
                   progress: Progress | None) -> bool:
    """Write the file's rows straight into the table. False: a row was imported before (or twice), nothing kept."""
    writer = BulkWriter(importer.model, importer.stage_columns, constants=importer.constant_columns())
    total = table.total_rows_hint or 0
    chunks = _chunks(_validated(importer, table, result, errors, None))
    try:
        with transaction.atomic():
            chunk = next(chunks, None)
            while chunk is not None:
                if errors:
                    # A bad row was found: the rest is only read and checked, and nothing is kept.
                    chunk = next(chunks, None)
                    continue
                # While the server writes the chunk, its SMS rows are made ready; while it writes those, the next
                # chunk is read and checked. Python and the server each keep a core busy.
                prepared: list = []
                ids = writer.write(chunk, meanwhile=functools.partial(_prepare_rows, importer, chunk, prepared))
                ahead: list = []
                importer.after_rows(ids, chunk, result, prepared=prepared[0] if prepared else None,
                                    meanwhile=functools.partial(_read_ahead, chunks, ahead))
                chunk = ahead[0] if ahead else next(chunks, None)
                if progress:
                    progress("validate", result.total_rows, max(total, result.total_rows))
            if errors:
                raise _Rollback
    except (IntegrityError, IdsInterleaved):
        result.sms_queued = 0
        return False
    result.created = writer.count
    result.unchanged = 0
    if progress:
        progress("validate", result.total_rows, result.total_rows)
        progress("write", result.total_rows, result.total_rows)
    return True


def import_job_run(*, job_id: int, importer_class: type[Importer], options: dict | None = None) -> ImportJob:
    """Run a queued funds import job as its creator (their jurisdiction applies), through core's one runner."""
    from sunshine.core import importjobs
    from sunshine.org.jurisdiction import scope_for

    def work(job: ImportJob) -> ImportResult:
        actor = job.created_by
        scope = scope_for(actor) if actor is not None else None
        if scope is not None and scope.whole_city:
            scope = None
        importer = importer_class(scope=scope, actor=actor, unit=getattr(actor, "unit", None), job=job,
                                  options=options)

        def report(stage: str, done: int, total: int) -> None:
            share = VALIDATE_SHARE if stage == "validate" else WRITE_SHARE
            importjobs.job_progress(job=job, percent=done * share // max(total, 1))

        return run_import(importer, source=job.stored_path, filename=job.filename, progress=report)

    return importjobs.import_job_run(job_id=job_id, work=work)
