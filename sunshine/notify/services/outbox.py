"""Writing to the SMS outbox: one message (sms_queue) or a million (sms_queue_many), in the caller's transaction."""
from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sunshine.core.errors import ApplicationError
from sunshine.core.validators import MOBILE_RE, normalize_mobile

from ..choices import SmsStatus
from ..models import SmsMessage
from .templates import CompiledTemplate, template_compiled

KEY_MAX = 128
PHONE_MAX = 32
BULK_CHUNK = 20_000  # drafts rendered and written per round trip; bounds memory on a million-row import
RENDER_CACHE_MAX = 4_096  # shared params dicts remembered at once by a bulk write (an import has a few hundred)


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
            message = SmsMessage.objects.create(
                idempotency_key=key, phone=stored_phone, template_code=template, params=pairs, text=text,
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
    "idempotency_key", "phone", "template_code", "params", "text", "purpose", "related_type", "related_id",
    "region_path", "status", "attempts", "next_attempt_at", "lease_token", "provider", "provider_message_id",
    "last_error", "created_at", "updated_at", "failed_at",
)


def _bulk_rows(drafts: Iterable[SmsDraft], now, adapt_dt) -> Iterable[tuple]:
    compiled: dict[str, CompiledTemplate] = {}
    # An import's drafts share a few hundred params dicts (same item, amount, date and village): each is rendered
    # and serialised once. Found by identity (the entry holds the dict, so its id is not reused) and trusted only
    # if it still equals the snapshot taken then (a caller may refill one dict between drafts).
    rendered: dict[tuple[str, int], tuple[dict, dict, str, str]] = {}
    stamp = adapt_dt(now)
    for d in drafts:
        key = _check_key(d.idempotency_key)
        params = d.params
        hit = rendered.get((d.template, id(params)))
        if hit is None or hit[1] != params:
            tpl = compiled.get(d.template)
            if tpl is None:
                tpl = compiled[d.template] = template_compiled(code=d.template)
            try:
                text, pairs = tpl.render(params)
            except ApplicationError as exc:
                raise ApplicationError(f"{exc.message}(幂等键 {key})", code=exc.code, extra=exc.extra) from None
            if len(rendered) >= RENDER_CACHE_MAX:
                rendered.clear()
            hit = rendered[(d.template, id(params))] = (
                params, dict(params), text, json.dumps(pairs, ensure_ascii=False))
        phone, status, error = _phone_status(d.phone)
        yield (
            key, phone, d.template, hit[3], hit[2], d.purpose[:40],
            d.related_type[:40], d.related_id, d.region_path[:80], status, 0, stamp, "", "", "", error, stamp,
            stamp, stamp if status == SmsStatus.FAILED else None,
        )


def sms_queue_many(drafts: Iterable[SmsDraft]) -> int:
    """Bulk sms_queue for imports, in the caller's transaction: keys already present are skipped, bad phones are
    recorded as failed, one dispatch is scheduled after commit. Returns the number of rows written."""
    now = timezone.now()
    table = SmsMessage._meta.db_table
    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            writer = functools.partial(_write_postgresql, table=table)
            rows = _bulk_rows(drafts, now, lambda v: v)
        else:
            writer = functools.partial(_write_insert_ignore, table=table)
            rows = _bulk_rows(drafts, now, connection.ops.adapt_datetimefield_value)
        for chunk in _batched(rows, BULK_CHUNK):
            written += writer(chunk)
        if written:
            _schedule_dispatch()
    return written


def _batched(iterable: Iterable, size: int) -> Iterable[tuple]:
    it = iter(iterable)
    while chunk := tuple(itertools.islice(it, size)):
        yield chunk


def _write_postgresql(chunk: tuple[tuple, ...], *, table: str) -> int:
    cols = ", ".join(BULK_COLUMNS)
    if _copy_new_keys(chunk, table=table, cols=cols):
        return len(chunk)
    # COPY into a session-temporary staging table, then one INSERT … ON CONFLICT DO NOTHING skips keys that
    # exist (also keys repeated inside the batch). ON COMMIT DROP: the stage lives only in this transaction.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS notify_sms_stage ON COMMIT DROP AS "
            f"SELECT {cols} FROM {table} WITH NO DATA"
        )
        cursor.execute("TRUNCATE notify_sms_stage")
        with cursor.cursor.copy(f"COPY notify_sms_stage ({cols}) FROM STDIN") as copy:
            for row in chunk:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM notify_sms_stage "
            f"ON CONFLICT (idempotency_key) DO NOTHING"
        )
        return cursor.rowcount


def _copy_new_keys(chunk: tuple[tuple, ...], *, table: str, cols: str) -> bool:
    """COPY the chunk straight into the outbox when none of its keys is there yet (a first import: a third less
    work than staging). One indexed lookup decides; a concurrent writer of one of the keys who commits first makes
    the COPY fail on the unique key, which rolls back only this savepoint, and the caller then takes the staged
    ON CONFLICT path — still one row per key. False: nothing was written."""
    import psycopg
    from psycopg.errors import UniqueViolation

    keys = [row[0] for row in chunk]
    if len(set(keys)) != len(keys):
        return False
    connection.ensure_connection()
    # A server-binding cursor sending the keys as one binary array: half the time of quoting 20,000 keys into
    # the SQL text (Django's client-side binding).
    with psycopg.Cursor(connection.connection) as check:
        check.execute(f"SELECT 1 FROM {table} WHERE idempotency_key = ANY(%b) LIMIT 1", [keys])
        if check.fetchone() is not None:
            return False
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
        except UniqueViolation:
            return False
    return True


def _write_insert_ignore(chunk: tuple[tuple, ...], *, table: str) -> int:
    cols = ", ".join(BULK_COLUMNS)
    marks = ", ".join(["%s"] * len(BULK_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT (idempotency_key) DO NOTHING", chunk
        )
        return cursor.rowcount
