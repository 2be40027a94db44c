"""Writing many rows of one model fast, in the caller's transaction: ids handed out ahead, rows sent in bulk.

PostgreSQL: binary COPY (the server parses nothing) through psycopg's queued writer (a worker thread talks to the
server while this thread formats the next rows). SQLite: one executemany per chunk. Both raise IntegrityError
when a row breaks a unique constraint, so a caller may try the fast way first and fall back to a slower, careful
one. Django's bulk_create does neither thing (it builds a model object per row and, on PostgreSQL, a multi-row
INSERT whose parameters the server parses): a third of the speed on a million rows.
"""
from __future__ import annotations

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


def _column_field(model: type[models.Model], column: str) -> models.Field:
    for field in model._meta.concrete_fields:
        if field.column == column:
            return field.target_field if field.is_relation else field
    raise ValueError(f"{model.__name__} has no column {column}")


def copy_types(model: type[models.Model], columns: Sequence[str]) -> list[str]:
    """The psycopg type name of each column, for Copy.set_types."""
    return [_COPY_TYPES[_column_field(model, c).get_internal_type()] for c in columns]


class IdBlock:
    """Primary keys for rows this transaction is about to insert, handed out before the insert (COPY returns
    none, and the rows' side effects need them). PostgreSQL: drawn from the table's own sequence, so they never
    collide with anyone's. SQLite: counted on from the highest id ever used; the transaction holds the database's
    only write lock (IMMEDIATE transactions), so nobody else can take one meanwhile."""

    def __init__(self, model: type[models.Model]):
        self.table = model._meta.db_table
        self.pk = model._meta.pk.column
        self.vendor = connection.vendor
        self._next: int | None = None

    def take(self, n: int) -> list[int]:
        if n <= 0:
            return []
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [self.table, self.pk, n])
                return [row[0] for row in cursor.fetchall()]
            if self._next is None:
                cursor.execute(f"SELECT MAX({self.pk}) FROM {self.table}")
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
                self._next = max(highest, row[0] if row else 0) + 1
        first = self._next
        self._next += n
        return list(range(first, first + n))


class BulkWriter:
    """Insert rows (tuples in `columns` order) into `model`'s table; a unique violation raises IntegrityError."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        self.columns = tuple(columns)
        self.vendor = connection.vendor
        self.types = copy_types(model, self.columns) if self.vendor == "postgresql" else None
        self.count = 0

    def write(self, rows: Sequence[tuple]) -> int:
        if not rows:
            return 0
        cols = ", ".join(self.columns)
        if self.vendor == "postgresql":
            self._copy(rows, cols)
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", rows)
        self.count += len(rows)
        return len(rows)

    def _copy(self, rows: Sequence[tuple], cols: str) -> None:
        from psycopg import errors as pg_errors
        from psycopg.copy import QueuedLibpqWriter

        connection.ensure_connection()
        raw = connection.connection
        try:
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {self.table} ({cols}) FROM STDIN (FORMAT BINARY)",
                                 writer=QueuedLibpqWriter(cursor)) as copy:
                    copy.set_types(self.types)
                    for row in rows:
                        copy.write_row(row)
        except pg_errors.IntegrityError as exc:
            # The same exception Django raises for an INSERT, so callers handle one type on both databases.
            raise IntegrityError(*exc.args) from exc
