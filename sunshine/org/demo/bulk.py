"""Batch writes for the demo city: ids reserved first, then COPY (PostgreSQL) or executemany (SQLite)."""
from __future__ import annotations

import dataclasses

from django.db import connection
from django.utils import timezone

from sunshine.org.models import Person, Position


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for `count` rows about to be written in this transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the database's write lock (transaction_mode IMMEDIATE), so max+1 is ours.
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> int:
    """Write rows (values already adapted with connection.ops) with COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return 0
    table = model._meta.db_table
    columns = ", ".join(f'"{model._meta.get_field(f).column}"' for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is ten times faster than INSERT (ENVIRONMENT.md: ~400,000 rows/s into a table with a key).
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join(["%s"] * len(fields))})',
                               rows)
    return len(rows)


@dataclasses.dataclass
class StaffDraft:
    name: str
    gender: str
    id_number: str
    phone: str
    unit_id: int
    positions: list  # [(post, title, start_date, end_date | None)]


class StaffBatch:
    """People with their positions, written together; `add` returns an index that `flush` maps to a Person id."""

    PERSON_FIELDS = ("id", "name", "gender", "id_number", "phone", "unit", "created_at", "updated_at")
    POSITION_FIELDS = ("person", "unit", "post", "title", "start_date", "end_date", "created_at", "updated_at")

    def __init__(self):
        self.drafts: list[StaffDraft] = []

    def add(self, draft: StaffDraft) -> int:
        self.drafts.append(draft)
        return len(self.drafts) - 1

    def flush(self) -> list[int]:
        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        ids = reserve_ids(Person, len(self.drafts))
        insert_rows(Person, self.PERSON_FIELDS, [
            (pk, d.name, d.gender, d.id_number, d.phone, d.unit_id, now, now) for pk, d in zip(ids, self.drafts, strict=True)
        ])
        insert_rows(Position, self.POSITION_FIELDS, [
            (pk, d.unit_id, str(post), title, ops.adapt_datefield_value(start), ops.adapt_datefield_value(end), now, now)
            for pk, d in zip(ids, self.drafts, strict=True) for post, title, start, end in d.positions
        ])
        self.drafts = []
        return ids

