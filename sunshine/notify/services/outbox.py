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

from sunshine.core.errors import ApplicationError
from sunshine.core.validators import MOBILE_RE, normalize_mobile

from ..choices import SmsStatus
from ..models import SmsBody, SmsMessage
from .templates import CompiledTemplate, template_compiled

KEY_MAX = 128
PHONE_MAX = 32
BULK_CHUNK = 20_000  # drafts rendered and written per round trip; bounds memory on a million-row import
RENDER_CACHE_MAX = 4_096  # shared params dicts remembered at once by a bulk write (an import has a few hundred)
BODY_CACHE_MAX = 100_000  # body ids remembered by digest in one bulk write (bounded: texts could all differ)


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
        raise ApplicationError(f"短信幂等键须为1至{KEY_MAX}个字符", code="sms_key_invalid")
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


def _body_get_or_create(*, template_code: str, pairs, text: str, protected: bool, now) -> int:
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
                                          protected=protected, created_at=now).pk
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
                                          now=now)
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


# Column order of a bulk row; every NOT NULL column is given (COPY and raw INSERT bypass Django's defaults).
BULK_COLUMNS = (
    "idempotency_key", "phone", "template_code", "body_id", "purpose", "related_type", "related_id",
    "region_path", "status", "attempts", "next_attempt_at", "lease_token", "provider", "provider_message_id",
    "last_error", "created_at", "updated_at", "failed_at", "protected",
)
STAGE = "notify_sms_stage"


class SmsBulkWriter:
    """sms_queue for a stream of drafts in the caller's transaction: `write(drafts)` per chunk, as often as needed.

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
        self.compiled: dict[str, CompiledTemplate] = {}
        self.rendered: dict[tuple[str, int], tuple[dict, dict, int]] = {}
        self.bodies: dict[str, int] = {}
        self.written = 0

    def _body_id(self, template: str, params: dict, key: str) -> int:
        hit = self.rendered.get((template, id(params)))
        if hit is not None and hit[1] == params:
            return hit[2]
        tpl = self.compiled.get(template)
        if tpl is None:
            tpl = self.compiled[template] = template_compiled(code=template)
        try:
            text, pairs = tpl.render(params)
        except ApplicationError as exc:
            raise ApplicationError(f"{exc.message}(幂等键 {key})", code=exc.code, extra=exc.extra) from None
        digest = body_digest(template, pairs, text)
        body_id = self.bodies.get(digest)
        if body_id is None:
            body_id = _body_get_or_create(template_code=template, pairs=pairs, text=text, protected=False,
                                          now=self.now)
            if len(self.bodies) >= BODY_CACHE_MAX:
                self.bodies.clear()
            self.bodies[digest] = body_id
        if len(self.rendered) >= RENDER_CACHE_MAX:
            self.rendered.clear()
        self.rendered[(template, id(params))] = (params, dict(params), body_id)
        return body_id

    def _rows(self, drafts: Iterable[SmsDraft]) -> Iterable[tuple]:
        stamp = self.stamp
        for d in drafts:
            key = _check_key(d.idempotency_key)
            body_id = self._body_id(d.template, d.params, key)
            phone, status, error = _phone_status(d.phone)
            yield (
                key, phone, d.template, body_id, d.purpose[:40], d.related_type[:40], d.related_id,
                d.region_path[:80], status, 0, stamp, "", "", "", error, stamp, stamp,
                stamp if status == SmsStatus.FAILED else None, False,
            )

    def write(self, drafts: Iterable[SmsDraft]) -> int:
        """Queue the drafts (keys already present are skipped); returns the number of rows written."""
        written = 0
        with transaction.atomic():
            for chunk in _batched(self._rows(drafts), BULK_CHUNK):
                if self.vendor == "postgresql":
                    written += self._write_postgresql(chunk)
                else:
                    written += _write_insert_ignore(chunk)
            if written:
                _schedule_dispatch()
        self.written += written
        return written

    def _write_postgresql(self, chunk: tuple[tuple, ...]) -> int:
        if self._copy_new_keys(chunk):
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
            cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {STAGE} "
                           f"ON CONFLICT (idempotency_key) DO NOTHING")
            return cursor.rowcount

    def _copy_new_keys(self, chunk: tuple[tuple, ...]) -> bool:
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
        with connection.cursor() as cursor:
            try:
                with transaction.atomic():
                    with cursor.cursor.copy(f"COPY {table} ({', '.join(BULK_COLUMNS)}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
            except UniqueViolation:
                return False
        return True


def sms_queue_many(drafts: Iterable[SmsDraft]) -> int:
    """Bulk sms_queue for imports, in the caller's transaction: keys already present are skipped, bad phones are
    recorded as failed, one dispatch is scheduled after commit. Returns the number of rows written."""
    return SmsBulkWriter().write(drafts)


def _batched(iterable: Iterable, size: int) -> Iterable[tuple]:
    it = iter(iterable)
    while chunk := tuple(itertools.islice(it, size)):
        yield chunk


def _write_insert_ignore(chunk: tuple[tuple, ...]) -> int:
    table = SmsMessage._meta.db_table
    cols = ", ".join(BULK_COLUMNS)
    marks = ", ".join(["%s"] * len(BULK_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT (idempotency_key) DO NOTHING", chunk
        )
        return cursor.rowcount
