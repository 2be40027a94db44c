"""Writing to the SMS outbox: one message (sms_queue) or a million (sms_queue_many / SmsBulkWriter), in the caller's
transaction. A message row names its recipient and its body (SmsBody: the rendered text and parameters); messages
that say the same thing share one body."""
from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sunshine.core.bulkwrite import copy_types, run_meanwhile, sqlite_literal
from sunshine.core.errors import ApplicationError
from sunshine.core.validators import MOBILE_RE, normalize_mobile
from sunshine.notify.errors import NotifyErrorCode

from ..choices import SmsStatus
from ..models import SmsBody, SmsMessage
from .links import sms_segments
from .templates import CompiledTemplate, template_compiled

KEY_MAX = 128
PHONE_MAX = 32
BULK_CHUNK = 20_000  # drafts rendered and written per round trip; bounds memory on a million-row import
RENDER_CACHE_MAX = 4_096  # shared params dicts remembered at once by a bulk write (an import has a few hundred)
BODY_CACHE_MAX = 100_000  # body ids remembered by digest between chunks (bounded: texts could all differ)
PHONE_CACHE_MAX = 500_000  # checked phone numbers remembered by one bulk write


class SmsDraft(NamedTuple):
    """One message for sms_queue_many (a named tuple: an import builds a million, a third the cost of a dataclass)."""

    phone: str
    template: str
    params: dict[str, str]
    idempotency_key: str
    purpose: str = ""
    related_type: str = ""
    related_id: int | None = None
    region_path: str = ""  # the village (or other region) the message concerns, for scoping the staff page


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX:
        raise ApplicationError(f"短信幂等键须为1至{KEY_MAX}个字符", code=NotifyErrorCode.SMS_KEY_INVALID)
    return key


def _phone_status(phone: object) -> tuple[str, str, str]:
    """(phone to store, status, error): a bad number is recorded as failed with the reason, never raised."""
    if type(phone) is str and len(phone) == 11 and phone.isascii() and MOBILE_RE.match(phone):
        # Already normal (what the household register stores): NFKC, stripping and prefixes change nothing.
        return phone, SmsStatus.QUEUED, ""
    try:
        return normalize_mobile(phone), SmsStatus.QUEUED, ""
    except ValidationError:
        # The reason names no digits: the number itself is personal data, shown masked on the staff pages.
        reason = "号码为空" if not str(phone or "").strip() else "不是有效的11位手机号码"
        return str(phone or "")[:PHONE_MAX], SmsStatus.FAILED, f"号码无效:{reason}"


def _dispatch_after_commit() -> None:
    from sunshine.core.tasks import enqueue

    from ..tasks import dispatch_pending

    enqueue(dispatch_pending)


def _schedule_dispatch() -> None:
    """One dispatch after the current transaction commits, however many messages it queued."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(entry[1] is _dispatch_after_commit for entry in conn.run_on_commit):
        return
    transaction.on_commit(_dispatch_after_commit)


def body_digest(template_code: str, pairs: list, text: str) -> str:
    """What identifies a body: two messages with the same template, parameters and text share one."""
    payload = json.dumps([template_code, pairs, text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _body_get_or_create(*, template_code: str, pairs, text: str, protected: bool, now, segments: int) -> int:
    """The id of the body saying this, written if new. A protected body is always new (its own ciphertext)."""
    digest = uuid.uuid4().hex if protected else body_digest(template_code, pairs, text)
    if not protected:
        found = SmsBody.objects.filter(digest=digest).values_list("id", flat=True).first()
        if found is not None:
            return found
    try:
        # A savepoint: a concurrent writer of the same body makes this insert fail without spoiling the caller's
        # transaction, and the winner's row is used.
        with transaction.atomic():
            return SmsBody.objects.create(digest=digest, template_code=template_code, params=pairs, text=text,
                                          protected=protected, created_at=now, segments=segments).pk
    except IntegrityError:
        return SmsBody.objects.get(digest=digest).pk


def sms_queue(*, phone: str, template: str, params: dict[str, str], idempotency_key: str, purpose: str = "",
              related: tuple[str, int] | None = None, region_path: str = "", protected: bool = False) -> SmsMessage:
    """Write one outbox row in the current transaction and deliver it after commit; a key seen before returns
    the existing row. Missing template parameters raise ApplicationError; a bad phone is recorded as failed.
    `protected` (whistleblower SMS) stores phone, text and parameters encrypted."""
    key = _check_key(idempotency_key)
    existing = SmsMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    text, pairs = template_compiled(code=template).render(params)
    segments = sms_segments(text)
    stored_phone, status, error = _phone_status(phone)
    if protected:
        from sunshine.core.crypto import encrypt

        stored_phone, text = encrypt(stored_phone), encrypt(text)
        pairs = {"enc": encrypt(json.dumps(pairs, ensure_ascii=False))}
    now = timezone.now()
    related_type, related_id = related if related else ("", None)
    try:
        # A savepoint: a concurrent writer of the same key makes this insert fail without spoiling the caller's
        # transaction, and the winner's row is returned (one message per key).
        with transaction.atomic():
            body_id = _body_get_or_create(template_code=template, pairs=pairs, text=text, protected=protected,
                                          now=now, segments=segments)
            message = SmsMessage.objects.create(
                idempotency_key=key, phone=stored_phone, template_code=template, body_id=body_id,
                purpose=purpose[:40], related_type=related_type[:40], related_id=related_id,
                region_path=region_path[:80], status=status, last_error=error, next_attempt_at=now, protected=protected,
                created_at=now, updated_at=now, failed_at=now if status == SmsStatus.FAILED else None,
            )
    except IntegrityError:
        return SmsMessage.objects.get(idempotency_key=key)
    if status == SmsStatus.QUEUED:
        _schedule_dispatch()
    return message


# Column order of a bulk row: what differs from message to message, then what one bulk write gives every row.
# Every NOT NULL column is given (COPY and raw INSERT bypass Django's defaults).
BULK_COLUMNS = (
    "idempotency_key", "phone", "template_code", "body_id", "purpose", "related_type", "related_id",
    "region_path", "status", "last_error", "failed_at",
)
BODY_ID = BULK_COLUMNS.index("body_id")
CONSTANT_COLUMNS = ("attempts", "next_attempt_at", "lease_token", "provider", "provider_message_id", "created_at",
                    "updated_at", "protected")
STAGE = "notify_sms_stage"


class SmsBulkWriter:
    """sms_queue for a stream of drafts in the caller's transaction: `write(drafts)`, or for an import's messages
    `prepare_many` then `write_prepared` (no draft object for each of a million), as often as needed.

    An import's drafts share a few hundred params dicts (same item, amount, date and village): each is rendered,
    and its body found or written, once. A dict is recognised by identity (the cache holds it, so its id is not
    reused) and trusted only while it still equals the snapshot taken then (a caller may refill one dict).
    """

    def __init__(self, *, assume_new_keys: bool = False):
        # assume_new_keys: the caller knows no key can exist yet (keys named after rows it has just inserted), so
        # chunks are copied straight in without asking first; a key that does exist still cannot get a second
        # row (the unique index refuses the copy, and the chunk goes the ON CONFLICT way).
        self.assume_new_keys = assume_new_keys
        self.now = timezone.now()
        self.vendor = connection.vendor
        adapt = (lambda v: v) if self.vendor == "postgresql" else connection.ops.adapt_datetimefield_value
        self.stamp = adapt(self.now)
        self.constants = (0, self.stamp, "", "", "", self.stamp, self.stamp, False)  # CONSTANT_COLUMNS
        self.compiled: dict[str, CompiledTemplate] = {}
        # (template, id(params)) → (params, snapshot, digest, template, pairs, text)
        self.rendered: dict[tuple[str, int], tuple] = {}
        self.bodies: dict[str, int] = {}  # digest → id of bodies known to be stored
        self.pending: dict[str, tuple] = {}  # digest → rendering, of bodies to look up or write
        self.copy_types: list[str] | None = None
        self.phones: dict[object, tuple[str, str, str]] = {}  # phone as given → _phone_status (households recur)
        self.written = 0

    def _render(self, d: SmsDraft) -> tuple:
        tpl = self.compiled.get(d.template)
        if tpl is None:
            tpl = self.compiled[d.template] = template_compiled(code=d.template)
        try:
            text, pairs = tpl.render(d.params)
        except ApplicationError as exc:
            raise ApplicationError(f"{exc.message}(幂等键 {d.idempotency_key})", code=exc.code,
                                   extra=exc.extra) from None
        if len(self.rendered) >= RENDER_CACHE_MAX:
            self.rendered.clear()
        hit = (d.params, dict(d.params), body_digest(d.template, pairs, text), d.template, pairs, text)
        self.rendered[(d.template, id(d.params))] = hit
        return hit

    def _bodies_write(self, pending: dict[str, tuple]) -> None:
        """Ids of the bodies for `pending` digests: those already stored, the rest inserted (ON CONFLICT: a
        concurrent writer of the same body wins, and its row is used)."""
        table = SmsBody._meta.db_table
        digests = list(pending)
        with connection.cursor() as cursor:
            for _ in range(2):
                marks = ", ".join(["%s"] * len(digests))
                cursor.execute(f"SELECT digest, id FROM {table} WHERE digest IN ({marks})", digests)
                self.bodies.update(cursor.fetchall())
                missing = [d for d in digests if d not in self.bodies]
                if not missing:
                    return
                rows = [(d, pending[d][3], json.dumps(pending[d][4], ensure_ascii=False), pending[d][5],
                         sms_segments(pending[d][5]), False, self.stamp) for d in missing]
                cursor.executemany(
                    f"INSERT INTO {table} (digest, template_code, params, text, segments, protected, created_at) "
                    f"VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (digest) DO NOTHING", rows)
                digests = missing
        raise RuntimeError("SMS bodies could not be written")  # pragma: no cover - the second round finds them

    def write(self, drafts: Iterable[SmsDraft]) -> int:
        """Queue the drafts (keys already present are skipped); returns the number of rows written. Each draft is
        rendered as it comes (a caller may refill one params dict between drafts)."""
        written = 0
        # Runs of drafts that share template, purpose and related type go through prepare_many together.
        for (template, purpose, related_type), group in itertools.groupby(
                drafts, key=lambda d: (d.template, d.purpose, d.related_type)):
            self.use_template(template)
            items = ((d.idempotency_key, d.phone, d.params, d.related_id, d.region_path) for d in group)
            while rows := self.prepare_many(template=template, purpose=purpose, related_type=related_type,
                                            items=itertools.islice(items, BULK_CHUNK)):
                written += self.write_prepared(rows)
        return written

    def use_template(self, code: str) -> None:
        """Read template `code` now: prepare_many reads nothing from the database."""
        if code not in self.compiled:
            self.compiled[code] = template_compiled(code=code)

    def prepare_many(self, *, template: str, purpose: str, related_type: str,
                     items: Iterable[tuple[str, str, dict[str, str], int | None, str]]) -> list[list]:
        """The rows of messages that share their template, purpose and related type, each given as (idempotency
        key, phone, params, related id, region path), built without touching the database (so a caller may build
        them while its connection is busy with something else); write_prepared writes them. The same checks as
        sms_queue: a bad key raises, a bad phone is recorded as failed. Until written, each row holds its body's
        digest where the body id goes. The template must have been read (use_template)."""
        if template not in self.compiled:
            raise RuntimeError(f"prepare_many: call use_template({template!r}) first")
        rendered, bodies, pending, phones = self.rendered, self.bodies, self.pending, self.phones
        stamp = self.stamp
        purpose, related_type = purpose[:40], related_type[:40]
        failed = SmsStatus.FAILED
        rows = []
        for key, phone, params, related_id, region in items:
            hit = rendered.get((template, id(params)))
            if hit is None or hit[1] != params:
                hit = self._render(SmsDraft(phone=phone, template=template, params=params, idempotency_key=key))
            if hit[2] not in bodies:
                pending[hit[2]] = hit
            if not key or len(key) > KEY_MAX or key != key.strip():
                key = _check_key(key)  # raises with the reason, or strips
            checked = phones.get(phone)
            if checked is None:
                checked = _phone_status(phone)
                if len(phones) < PHONE_CACHE_MAX:
                    phones[phone] = checked
            stored, status, error = checked
            rows.append([key, stored, template, hit[2], purpose, related_type, related_id, region[:80], status, error,
                         stamp if status == failed else None])
        return rows

    def write_prepared(self, rows: list[list], *, meanwhile=None) -> int:
        """Write rows from prepare_many: their new bodies first, then the rows, with body ids in place.
        `meanwhile()`, if given, is called once, while the database is still writing the rows where it can be
        (PostgreSQL's COPY), else after: work that must not use the connection."""
        if self.pending:
            self._bodies_write(self.pending)
            self.pending = {}
        bodies = self.bodies
        for row in rows:
            row[BODY_ID] = bodies[row[BODY_ID]]
        if len(bodies) > BODY_CACHE_MAX:
            bodies.clear()  # the next chunks look their bodies up again
        return self._flush(_batched(rows, BULK_CHUNK), meanwhile=meanwhile)

    def _flush(self, chunks: Iterable[list[tuple]], meanwhile=None) -> int:
        written = 0
        pending = [meanwhile] if meanwhile is not None else []  # emptied by whoever calls it
        with transaction.atomic():
            for chunk in chunks:
                if self.vendor == "postgresql":
                    written += self._write_postgresql(chunk, pending)
                else:
                    written += self._write_insert_ignore(chunk)
            if written:
                _schedule_dispatch()
        if pending:  # not called during a COPY (SQLite, or the staged way): now, under the same rule
            run_meanwhile(pending.pop())
        self.written += written
        return written

    def _write_postgresql(self, chunk: tuple[tuple, ...], pending: list) -> int:
        if self._copy_new_keys(chunk, pending):
            return len(chunk)
        # COPY into a staging table, then one INSERT … ON CONFLICT DO NOTHING skips keys that exist (also keys
        # repeated inside the chunk). ON COMMIT DROP: the stage lives only in this transaction.
        cols = ", ".join(BULK_COLUMNS)
        table = SmsMessage._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ON COMMIT DROP AS "
                           f"SELECT {cols} FROM {table} WITH NO DATA")
            cursor.execute(f"TRUNCATE {STAGE}")
            with cursor.cursor.copy(f"COPY {STAGE} ({cols}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(row)
            marks = ", ".join(["%s"] * len(CONSTANT_COLUMNS))
            cursor.execute(f"INSERT INTO {table} ({cols}, {', '.join(CONSTANT_COLUMNS)}) SELECT {cols}, {marks} "
                           f"FROM {STAGE} ON CONFLICT (idempotency_key) DO NOTHING", list(self.constants))
            return cursor.rowcount

    def _copy_new_keys(self, chunk: tuple[tuple, ...], pending: list) -> bool:
        """COPY the chunk straight into the outbox when none of its keys is there yet (a first import: a third less
        work than staging). Unless the caller vouched for the keys, one indexed lookup decides first. A key that
        exists after all (a concurrent writer who committed first) makes the COPY fail on the unique index, which
        rolls back only this savepoint; the caller then takes the staged ON CONFLICT path, still one row per key.
        False: nothing was written."""
        import psycopg
        from psycopg.errors import UniqueViolation

        table = SmsMessage._meta.db_table
        keys = [row[0] for row in chunk]
        if len(set(keys)) != len(keys):
            return False
        connection.ensure_connection()
        if not self.assume_new_keys:
            # A server-binding cursor sending the keys as one binary array: half the time of quoting 20,000 keys
            # into the SQL text (Django's client-side binding).
            with psycopg.Cursor(connection.connection) as check:
                check.execute(f"SELECT 1 FROM {table} WHERE idempotency_key = ANY(%b) LIMIT 1", [keys])
                if check.fetchone() is not None:
                    return False
        from psycopg.copy import QueuedLibpqWriter

        if self.copy_types is None:
            self.copy_types = copy_types(SmsMessage, BULK_COLUMNS + CONSTANT_COLUMNS)
        extra = self.constants
        with connection.cursor() as cursor:
            try:
                with transaction.atomic():
                    # Binary: the server parses nothing (three timestamps a row); a worker thread sends.
                    raw = cursor.cursor
                    columns = ", ".join(BULK_COLUMNS + CONSTANT_COLUMNS)
                    with raw.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)",
                                  writer=QueuedLibpqWriter(raw)) as copy:
                        copy.set_types(self.copy_types)
                        for row in chunk:
                            copy.write_row((*row, *extra))
                        if pending:  # the caller's meanwhile(), while the server writes the rows
                            run_meanwhile(pending.pop())
            except UniqueViolation:
                return False
        return True

    def _write_insert_ignore(self, chunk) -> int:
        """SQLite: the chunk in one executemany; what all rows share is written into the statement, not bound for
        each row (binding is most of the cost of an insert there)."""
        table = SmsMessage._meta.db_table
        cols = ", ".join(BULK_COLUMNS + CONSTANT_COLUMNS)
        values = ", ".join([*(["%s"] * len(BULK_COLUMNS)), *(sqlite_literal(v) for v in self.constants)])
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({cols}) VALUES ({values}) ON CONFLICT (idempotency_key) DO NOTHING", chunk
            )
            return cursor.rowcount


def sms_queue_many(drafts: Iterable[SmsDraft]) -> int:
    """Bulk sms_queue for imports, in the caller's transaction: keys already present are skipped, bad phones are
    recorded as failed, one dispatch is scheduled after commit. Returns the number of rows written."""
    return SmsBulkWriter().write(drafts)


def _batched(iterable: Iterable, size: int) -> Iterable[tuple]:
    it = iter(iterable)
    while chunk := tuple(itertools.islice(it, size)):
        yield chunk




def sms_region_paths_move(*, old_path: str, new_path: str, **_signal) -> int:
    """A region was recoded or moved (org's `region_path_changed`): outbox rows keep its new path, so the staff
    outbox page still scopes them to the right township and village."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    return (SmsMessage.objects.filter(region_path__startswith=old_path)
            .update(region_path=Substr(Concat(Value(new_path), Substr("region_path", len(old_path) + 1)), 1, 80)))
