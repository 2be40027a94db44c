"""Writing many rows of one model fast, in the caller's transaction: ids handed out ahead, rows sent in bulk.

PostgreSQL: binary COPY (the server parses nothing) through psycopg's queued writer (a worker thread talks to the
server while this thread formats the next rows). SQLite: one executemany per chunk. Both raise IntegrityError
when a row breaks a unique constraint, so a caller may try the fast way first and fall back to a slower, careful
one. Django's bulk_create does neither thing (it builds a model object per row and, on PostgreSQL, a multi-row
INSERT whose parameters the server parses): a third of the speed on a million rows.
"""
from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence

from django.db import IntegrityError, connection, models

# psycopg type names for the binary COPY of each Django field type (the server checks them against the columns).
_COPY_TYPES = {
    "AutoField": "int4", "BigAutoField": "int8", "IntegerField": "int4", "BigIntegerField": "int8",
    "SmallIntegerField": "int2", "PositiveSmallIntegerField": "int2", "PositiveIntegerField": "int4",
    "PositiveBigIntegerField": "int8", "BooleanField": "bool", "CharField": "text", "TextField": "text",
    "UUIDField": "uuid", "DecimalField": "numeric", "DateField": "date", "DateTimeField": "timestamptz",
    "JSONField": "jsonb",
}


@functools.cache
def _uuid_dumpers():
    """psycopg dumpers that take a UUID as its 16 bytes (a SHA-256 prefix, as importers compute natural keys)
    without building a uuid.UUID per row (a third of the cost of validating a payment row)."""
    from psycopg.adapt import Dumper
    from psycopg.postgres import types
    from psycopg.pq import Format

    oid = types["uuid"].oid

    class UuidBinaryDumper(Dumper):
        format = Format.BINARY

        def dump(self, obj):
            if isinstance(obj, bytes):
                return obj
            return obj.bytes if isinstance(obj, uuid.UUID) else uuid.UUID(hex=obj).bytes

    class UuidTextDumper(Dumper):
        format = Format.TEXT

        def dump(self, obj):
            return obj.hex().encode() if isinstance(obj, bytes) else str(obj).encode()

    UuidBinaryDumper.oid = UuidTextDumper.oid = oid
    return UuidBinaryDumper, UuidTextDumper


class RawUuid:
    """Marker type under which the bytes-taking UUID dumpers are registered (never instantiated)."""


def accept_uuid_bytes(cursor, *, text: bool = False) -> None:
    """Let this psycopg cursor's COPY take 16-byte strings for uuid columns: binary COPY (by column type, see
    Copy.set_types) or, with `text`, a text COPY (where every bytes value is then written as hex)."""
    binary_dumper, text_dumper = _uuid_dumpers()
    cursor.adapters.register_dumper(RawUuid, binary_dumper)
    if text:
        cursor.adapters.register_dumper(bytes, text_dumper)


def sqlite_literal(value) -> str:
    """A constant as SQLite SQL text (for values the code itself chose, not for user input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "isoformat"):
        value = connection.ops.adapt_datetimefield_value(value) if hasattr(value, "hour") else value.isoformat()
    return "'" + str(value).replace("'", "''") + "'"


def _column_field(model: type[models.Model], column: str) -> models.Field:
    for field in model._meta.concrete_fields:
        if field.column == column:
            return field.target_field if field.is_relation else field
    raise ValueError(f"{model.__name__} has no column {column}")


def copy_types(model: type[models.Model], columns: Sequence[str]) -> list[str]:
    """The psycopg type name of each column, for Copy.set_types."""
    return [_COPY_TYPES[_column_field(model, c).get_internal_type()] for c in columns]


def _no_queries_during_copy(execute, sql, params, many, context):
    raise RuntimeError("work handed to a bulk write (meanwhile) must not query the database: the connection is "
                       "busy writing")


def run_meanwhile(fn, *args) -> None:
    """Run `fn(*args)` while this connection is busy writing (inside a COPY on PostgreSQL): a query now would wait
    for the connection the COPY holds, for ever, so any query raises instead (on SQLite too, to fail the same)."""
    with connection.execute_wrapper(_no_queries_during_copy):
        fn(*args)


class IdsInterleaved(Exception):
    """Another transaction took ids from the table's sequence while a chunk was written: its ids are not known."""


class BulkWriter:
    """Insert rows (tuples in `columns` order, no primary key) into `model`'s table, returning each row's new id.

    COPY returns no ids, and the rows' side effects need them. PostgreSQL: the ids come from the table's own
    sequence as the rows are copied, and a chunk's are one unbroken run unless another transaction took an id
    meanwhile; one nextval before and currval after tell which, and IdsInterleaved says the caller must find the
    ids another way. SQLite: the transaction holds the database's only write lock (IMMEDIATE transactions), so the
    ids are counted on from the highest one ever used and written with the rows. A unique violation raises
    IntegrityError on both.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str], constants: dict | None = None):
        # `constants`: columns with the same value on every row, given once (rows hold only `columns`).
        self.model = model
        self.table = model._meta.db_table
        self.pk = model._meta.pk.column
        self.constants = dict(constants or {})
        self.columns = (*columns, *self.constants)
        self.extra = tuple(self.constants.values())
        self.vendor = connection.vendor
        self.types = copy_types(model, self.columns) if self.vendor == "postgresql" else None
        self.count = 0
        self._sequence: int | None = None
        self._next_id: int | None = None

    def write(self, rows: Sequence[tuple], *, meanwhile=None) -> list[int]:
        """The rows' new ids. `meanwhile(ids)` is called once the rows are sent, while the database is still
        writing them (on PostgreSQL), with the ids they will have: work that must not use the connection."""
        if not rows:
            return []
        cols = ", ".join(self.columns)
        if self.vendor == "postgresql":
            ids = self._copy(rows, cols, meanwhile)
        else:
            ids = self._sqlite_ids(len(rows))
            # The constants are written into the statement: binding is most of an insert's cost on SQLite.
            values = ", ".join(["%s"] * (len(self.columns) - len(self.extra) + 1) +
                               [sqlite_literal(v) for v in self.extra])
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {self.table} ({self.pk}, {cols}) VALUES ({values})",
                                   [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
            if meanwhile is not None:
                run_meanwhile(meanwhile, ids)
        self.count += len(rows)
        return ids

    def _sqlite_ids(self, n: int) -> list[int]:
        if self._next_id is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX({self.pk}) FROM {self.table}")
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
            # AUTOINCREMENT never hands out an id again, even of a deleted row: nor do we.
            self._next_id = max(highest, row[0] if row else 0) + 1
        first = self._next_id
        self._next_id += n
        return list(range(first, first + n))

    def _copy(self, rows: Sequence[tuple], cols: str, meanwhile) -> list[int]:
        from psycopg import errors as pg_errors
        from psycopg.copy import QueuedLibpqWriter

        connection.ensure_connection()
        raw = connection.connection
        try:
            with raw.cursor() as cursor:
                if self._sequence is None:
                    # The sequence's oid, written into the statements as a number: a name or a parameter would
                    # be looked up in the catalogue again each time.
                    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [self.table, self.pk])
                    self._sequence = int(cursor.fetchone()[0])
                cursor.execute(f"SELECT nextval({self._sequence}::regclass)")
                before = cursor.fetchone()[0]
                accept_uuid_bytes(cursor)
                with cursor.copy(f"COPY {self.table} ({cols}) FROM STDIN (FORMAT BINARY)",
                                 writer=QueuedLibpqWriter(cursor)) as copy:
                    copy.set_types(self.types)
                    extra = self.extra
                    if extra:
                        for row in rows:
                            copy.write_row((*row, *extra))
                    else:
                        for row in rows:
                            copy.write_row(row)
                    if meanwhile is not None:
                        # The ids the rows get if nobody else takes one meanwhile (checked below).
                        run_meanwhile(meanwhile, list(range(before + 1, before + 1 + len(rows))))
                cursor.execute(f"SELECT currval({self._sequence}::regclass)")
                last = cursor.fetchone()[0]
        except pg_errors.IntegrityError as exc:
            # The same exception Django raises for an INSERT, so callers handle one type on both databases.
            raise IntegrityError(*exc.args) from exc
        if last - before != len(rows):
            raise IdsInterleaved(f"{self.table}: {len(rows)} rows took ids {before + 1}–{last}")
        return list(range(before + 1, last + 1))
