"""Delivering the outbox: claim due rows, send each through the gateway, record what happened.

Exactly one SMS per idempotency key, through retries and crashes: a row is claimed with an atomic conditional
UPDATE (queued → sending, with a lease), the attempt is recorded before the gateway is called, and a row found
'sending' with an expired lease or 'unknown' (timeout) is settled by asking the gateway before any resend.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from ..choices import TRANSITIONS, AttemptOutcome, SmsStatus
from ..models import SmsAttempt, SmsMessage
from ..providers import OutgoingSms, QueryOutcome, SendOutcome, SmsProvider, build_provider
from .links import fill_personal_link
from .ratelimit import RateLimiter

logger = logging.getLogger(__name__)


def _setting(name: str, default):
    return getattr(settings, name, default)


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    retry_later: int = 0
    unknown: int = 0
    settled_without_resend: int = 0
    throttled: bool = False

    def __str__(self) -> str:
        return (f"claimed={self.claimed} sent={self.sent} delivered={self.delivered} failed={self.failed} "
                f"retry_later={self.retry_later} unknown={self.unknown} "
                f"settled_without_resend={self.settled_without_resend}")


def _check_edges(from_statuses, to: str) -> None:
    for source in from_statuses:
        if to not in TRANSITIONS[source]:
            raise ValueError(f"SMS status edge {source} → {to} is not allowed")


def _write_status(*, to: str, from_statuses: tuple[str, ...], ids, token: str | None = None, where: Q | None = None,
                  per_row: list[tuple[int, str, str]] | None = None, **fields) -> int:
    """The one place SmsMessage.status is written: a conditional UPDATE along edges of TRANSITIONS, of rows `ids`
    still in `from_statuses` (and leased by `token`, and matching `where`), so a concurrent writer is never
    overwritten. `per_row` (id, gateway id, error) gives leased rows their own gateway answer in one executemany.
    Returns how many rows moved."""
    _check_edges(from_statuses, to)
    now = timezone.now()
    if per_row is not None:
        # Plain SQL on purpose: per-row values through the ORM mean a CASE expression per column, whose building
        # costs more than the writes (this runs for every message sent).
        (source,) = from_statuses
        stamp = connection.ops.adapt_datetimefield_value(now)
        sent_at = stamp if to == SmsStatus.SENT else None
        failed_at = stamp if to == SmsStatus.FAILED else None
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {SmsMessage._meta.db_table} SET status = %s, provider_message_id = %s, last_error = %s, "
                f"updated_at = %s, lease_token = '', lease_expires_at = NULL, sent_at = COALESCE(%s, sent_at), "
                f"failed_at = COALESCE(%s, failed_at) WHERE id = %s AND lease_token = %s AND status = %s",
                [(to, pid, err[:2000], stamp, sent_at, failed_at, pk, token, source) for pk, pid, err in per_row],
            )
            return cursor.rowcount
    qs = SmsMessage.objects.filter(pk__in=list(ids), status__in=from_statuses)
    if token is not None:
        qs = qs.filter(lease_token=token)
    if where is not None:
        qs = qs.filter(where)
    values = {"status": to, "updated_at": now, **fields}
    if to != SmsStatus.SENDING:
        values.update(lease_token="", lease_expires_at=None)
    if to == SmsStatus.SENT:
        values.setdefault("sent_at", now)
    elif to == SmsStatus.DELIVERED:
        values.setdefault("delivered_at", now)
    elif to == SmsStatus.FAILED:
        values.setdefault("failed_at", now)
    return qs.update(**values)


def sms_transition(*, message_id: int, to: str, from_statuses: tuple[str, ...], token: str | None = None,
                   outcome: str | None = None, provider: str = "", error: str = "", **fields) -> bool:
    """Move one message along an edge of TRANSITIONS (through `_write_status`), plus an SmsAttempt row.
    Returns False when the row was no longer in `from_statuses` (or no longer leased by `token`)."""
    now = timezone.now()
    if error or to in (SmsStatus.FAILED, SmsStatus.QUEUED, SmsStatus.UNKNOWN):
        fields["last_error"] = error[:2000]
    with transaction.atomic():
        changed = _write_status(to=to, from_statuses=from_statuses, ids=[message_id], token=token, **fields)
        if changed and outcome:
            SmsAttempt.objects.create(
                message_id=message_id, outcome=outcome, provider=provider or fields.get("provider", ""),
                provider_message_id=fields.get("provider_message_id", ""), error=error[:2000], status_after=to,
                at=now,
            )
    return bool(changed)


def sms_transition_many(*, to: str, token: str, outcome: str, provider: str,
                        rows: list[tuple[int, str, str]]) -> int:
    """sms_transition for a batch of leased rows moving to the same status, each with its own gateway id and
    error: one executemany UPDATE (`_write_status`) and one executemany INSERT of their attempts.
    `rows`: (id, gateway id, error)."""
    if not rows:
        return 0
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        changed = _write_status(to=to, from_statuses=(SmsStatus.SENDING,), ids=(), token=token, per_row=rows)
        # What the gateway answered is history whether or not this worker still held the lease.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {SmsAttempt._meta.db_table} "
                f"(message_id, outcome, provider, provider_message_id, error, status_after, at) "
                f"VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(pk, outcome, provider, pid, err[:2000], to, stamp) for pk, pid, err in rows],
            )
    return changed


def _claim(*, limit: int) -> tuple[str, list[tuple[SmsMessage, bool]]]:
    """Lease up to `limit` due rows to this dispatcher; each comes with whether its last send is ambiguous."""
    now = timezone.now()
    token = uuid.uuid4().hex
    lease = now + dt.timedelta(seconds=_setting("SMS_LEASE_SECONDS", 120))
    # Rows a dead worker left behind first (they are few), then rows whose time has come, oldest first.
    expired = Q(status=SmsStatus.SENDING, lease_expires_at__lt=now)
    waiting = Q(status__in=(SmsStatus.QUEUED, SmsStatus.UNKNOWN), next_attempt_at__lte=now)
    candidates: dict[int, str] = {}
    # Durable: the lease is committed before any gateway call; inside a caller's transaction a crash after the send
    # would roll the lease back and the message would go out twice.
    with transaction.atomic(durable=True):
        for due, order in ((expired, "lease_expires_at"), (waiting, "next_attempt_at")):
            if len(candidates) >= limit:
                break
            qs = SmsMessage.objects.filter(due).order_by(order, "id")
            if connection.features.has_select_for_update_skip_locked:
                # PostgreSQL: two workers scanning at once take disjoint rows instead of queueing on each other.
                qs = qs.select_for_update(skip_locked=True)
            candidates.update(qs.values_list("id", "status")[: limit - len(candidates)])
        if not candidates:
            return token, []
        # Conditional: only rows still due are taken (on SQLite the IMMEDIATE transaction already serialises).
        _write_status(to=SmsStatus.SENDING, from_statuses=(SmsStatus.QUEUED, SmsStatus.UNKNOWN, SmsStatus.SENDING),
                      ids=candidates, where=expired | waiting, lease_token=token, lease_expires_at=lease)
    claimed = SmsMessage.objects.filter(pk__in=list(candidates), lease_token=token, status=SmsStatus.SENDING
                                        ).select_related("body").order_by("next_attempt_at", "id")
    return token, [(m, candidates.get(m.pk) != SmsStatus.QUEUED) for m in claimed]


def _outgoing(message: SmsMessage) -> OutgoingSms:
    # The personal link goes in now (the outbox keeps a stand-in: no table holds the secret link).
    text, params = fill_personal_link(text=message.plain_text(), params=message.plain_params(),
                                      related_type=message.related_type, related_id=message.related_id)
    return OutgoingSms(
        phone=message.plain_phone(), template_code=message.template_code, params=params, text=text,
        idempotency_key=message.idempotency_key, queued_at=message.created_at,
        provider_message_id=message.provider_message_id, last_attempt_at=message.last_attempt_at,
    )


def backoff_seconds(attempts: int) -> float:
    """30 s, 60 s, 120 s … capped: a throttled or failing gateway is left alone longer each time."""
    base = _setting("SMS_RETRY_BASE_SECONDS", 30)
    return min(base * 2 ** max(attempts - 1, 0), _setting("SMS_RETRY_MAX_SECONDS", 3600))


def sms_dispatch_pending(*, provider: SmsProvider | None = None, batch_size: int | None = None,
                         max_batches: int | None = None, time_budget: float | None = None) -> DispatchReport:
    """Deliver due outbox rows in batches until none is due (or the budget runs out, or the gateway throttles)."""
    provider = provider or build_provider()
    batch_size = batch_size or _setting("SMS_DISPATCH_BATCH", 200)
    # The console gateway reaches nobody: only real gateways are held to the configured rate.
    rate = 0 if provider.name == "console" else _setting("SMS_RATE_PER_SECOND", 20)
    limiter = RateLimiter(provider.name, rate)
    if rate:
        # A batch must be sent well within its claim, or other dispatchers take over the rows it has not reached.
        batch_size = min(batch_size, max(1, int(rate * _setting("SMS_LEASE_SECONDS", 120) / 4)))
    report = DispatchReport()
    started = time.monotonic()
    batches = 0
    while True:
        token, batch = _claim(limit=batch_size)
        if not batch:
            break
        report.claimed += len(batch)
        done = _Results(token=token, provider=provider)
        try:
            for index, (message, ambiguous) in enumerate(batch):
                try:
                    _deliver_one(message, ambiguous=ambiguous, token=token, provider=provider, limiter=limiter,
                                 report=report, done=done)
                except Exception as exc:  # one message never stops the batch; its row records the failure
                    logger.exception("SMS %s: dispatch error", message.pk)
                    sms_transition(message_id=message.pk, to=SmsStatus.UNKNOWN, from_statuses=(SmsStatus.SENDING,),
                                   token=token, outcome=AttemptOutcome.UNKNOWN, provider=provider.name,
                                   error=f"{type(exc).__name__}: {exc}",
                                   next_attempt_at=timezone.now() + dt.timedelta(seconds=backoff_seconds(1)))
                    report.unknown += 1
                if report.throttled:
                    done.flush()
                    _release(batch[index + 1:], token=token, pause=backoff_seconds(1))
                    return report
        finally:
            # Answers already received are recorded even when an error unwinds the loop. (If the process dies
            # outright, its rows stay 'sending' and the next dispatcher asks the gateway before any resend.)
            done.flush()
        batches += 1
        if max_batches is not None and batches >= max_batches:
            break
        if time_budget is not None and time.monotonic() - started >= time_budget:
            break
    return report


class _Results:
    """Gateway answers of one batch, written together: two statements per batch instead of three per message."""

    def __init__(self, *, token: str, provider: SmsProvider):
        self.token, self.provider = token, provider
        self.accepted: list[tuple[int, str, str]] = []
        self.failed: list[tuple[int, str, str]] = []

    def flush(self) -> None:
        accepted, failed = self.accepted, self.failed
        self.accepted, self.failed = [], []
        sms_transition_many(to=SmsStatus.SENT, token=self.token, outcome=AttemptOutcome.ACCEPTED,
                            provider=self.provider.name, rows=accepted)
        sms_transition_many(to=SmsStatus.FAILED, token=self.token, outcome=AttemptOutcome.FAILED,
                            provider=self.provider.name, rows=failed)


def _release(rest: list[tuple[SmsMessage, bool]], *, token: str, pause: float) -> None:
    """Give claimed rows back untouched (the gateway asked us to slow down): due again after `pause`."""
    if not rest:
        return
    due = timezone.now() + dt.timedelta(seconds=pause)
    for to, ambiguous in ((SmsStatus.UNKNOWN, True), (SmsStatus.QUEUED, False)):
        ids = [message.pk for message, was_ambiguous in rest if was_ambiguous == ambiguous]
        if ids:
            _write_status(to=to, from_statuses=(SmsStatus.SENDING,), ids=ids, token=token, next_attempt_at=due)


def _record_attempt(*, pk: int, token: str, provider: str, attempts: int) -> bool:
    """Before the gateway call: count the attempt and renew the lease, only if this worker still holds the row."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=_setting("SMS_LEASE_SECONDS", 120))
    stamp, until = connection.ops.adapt_datetimefield_value(now), connection.ops.adapt_datetimefield_value(lease)
    # Plain SQL: this runs once per message sent, where the ORM's statement building would cost more than the write.
    # Durable: the attempt is on record before the gateway is called, whatever the caller does afterwards.
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SmsMessage._meta.db_table} SET attempts = %s, last_attempt_at = %s, provider = %s, "
            f"lease_expires_at = %s, updated_at = %s WHERE id = %s AND lease_token = %s AND status = %s",
            [attempts, stamp, provider, until, stamp, pk, token, SmsStatus.SENDING],
        )
        return cursor.rowcount == 1


def _settle(message: SmsMessage, *, token: str, provider: SmsProvider, report: DispatchReport) -> bool:
    """Ask the gateway about an ambiguous earlier send. True when that settled the row (no resend now)."""
    now = timezone.now()
    pk = message.pk
    leased = (SmsStatus.SENDING,)
    result = provider.query(_outgoing(message))
    if result.outcome in (QueryOutcome.SENT, QueryOutcome.DELIVERED):
        delivered = result.outcome == QueryOutcome.DELIVERED
        sms_transition(message_id=pk, to=SmsStatus.DELIVERED if delivered else SmsStatus.SENT, from_statuses=leased,
                       token=token, outcome=AttemptOutcome.QUERIED_FOUND, provider=provider.name,
                       provider_message_id=result.provider_message_id or message.provider_message_id)
        report.settled_without_resend += 1
        if delivered:
            report.delivered += 1
        else:
            report.sent += 1
        return True
    if result.outcome == QueryOutcome.FAILED:
        sms_transition(message_id=pk, to=SmsStatus.FAILED, from_statuses=leased, token=token,
                       outcome=AttemptOutcome.QUERIED_FOUND, provider=provider.name,
                       provider_message_id=result.provider_message_id or message.provider_message_id,
                       error=result.error or "运营商报告发送失败")
        report.failed += 1
        report.settled_without_resend += 1
        return True
    settled_at = (message.last_attempt_at or message.created_at) + provider.settle_after
    if result.outcome == QueryOutcome.UNKNOWN or now < settled_at:
        # Not provably unsent yet: ask again later rather than risk a second SMS.
        wait = max((settled_at - now).total_seconds(), backoff_seconds(1))
        sms_transition(message_id=pk, to=SmsStatus.UNKNOWN, from_statuses=leased, token=token,
                       outcome=AttemptOutcome.QUERIED_UNKNOWN, provider=provider.name,
                       error=result.error or "运营商暂无该短信记录,稍后再核实",
                       next_attempt_at=now + dt.timedelta(seconds=wait))
        report.unknown += 1
        return True
    SmsAttempt.objects.create(message_id=pk, outcome=AttemptOutcome.QUERIED_MISSING, provider=provider.name,
                              status_after=SmsStatus.SENDING, at=now)
    return False


def _deliver_one(message: SmsMessage, *, ambiguous: bool, token: str, provider: SmsProvider,
                 limiter: RateLimiter, report: DispatchReport, done: _Results) -> None:
    pk = message.pk
    # The last send may have reached the gateway (timeout, or a worker died before recording the answer).
    if ambiguous and message.attempts and _settle(message, token=token, provider=provider, report=report):
        return
    max_attempts = _setting("SMS_MAX_ATTEMPTS", 6)
    if message.attempts >= max_attempts:
        sms_transition(message_id=pk, to=SmsStatus.FAILED, from_statuses=(SmsStatus.SENDING,), token=token,
                       outcome=AttemptOutcome.FAILED, provider=provider.name,
                       error=f"已尝试{message.attempts}次仍未成功:{message.last_error}")
        report.failed += 1
        return

    limiter.acquire()
    # Recorded before the call: if this worker dies after the gateway took the message, the next dispatcher finds
    # the row 'sending' with an expired lease and an attempt on record, and asks the gateway before resending.
    attempts = message.attempts + 1
    if not _record_attempt(pk=pk, token=token, provider=provider.name, attempts=attempts):
        return  # the lease was lost (this worker stalled past it): the other dispatcher owns the row now
    result = provider.send(_outgoing(message))
    _after_send(message, attempts=attempts, result=result, token=token, provider=provider, report=report, done=done)


def _after_send(message: SmsMessage, *, attempts: int, result, token: str, provider: SmsProvider,
                report: DispatchReport, done: _Results) -> None:
    pk = message.pk
    now = timezone.now()
    common = {"message_id": pk, "from_statuses": (SmsStatus.SENDING,), "token": token, "provider": provider.name}
    if result.outcome == SendOutcome.ACCEPTED:
        done.accepted.append((pk, result.provider_message_id, ""))
        report.sent += 1
    elif result.outcome == SendOutcome.FAILED:
        done.failed.append((pk, message.provider_message_id, result.error))
        report.failed += 1
    elif result.outcome == SendOutcome.RETRY:
        wait = max(backoff_seconds(attempts), result.retry_after or 0)
        if attempts >= _setting("SMS_MAX_ATTEMPTS", 6):
            done.failed.append((pk, message.provider_message_id, f"已尝试{attempts}次仍未成功:{result.error}"))
            report.failed += 1
        else:
            sms_transition(to=SmsStatus.QUEUED, outcome=AttemptOutcome.RETRY, error=result.error,
                           next_attempt_at=now + dt.timedelta(seconds=wait), **common)
            report.retry_later += 1
        report.throttled = True
    else:
        sms_transition(to=SmsStatus.UNKNOWN, outcome=AttemptOutcome.UNKNOWN,
                       error=result.error or "发送结果不明,稍后向运营商核实",
                       provider_message_id=result.provider_message_id or message.provider_message_id,
                       next_attempt_at=now + dt.timedelta(seconds=_setting("SMS_QUERY_DELAY_SECONDS", 30)),
                       **common)
        report.unknown += 1


def sms_next_due_at() -> dt.datetime | None:
    """When the earliest open message becomes due (None when the outbox has no open message)."""
    waiting = SmsMessage.objects.filter(status__in=(SmsStatus.QUEUED, SmsStatus.UNKNOWN)).aggregate(
        at=Min("next_attempt_at"))["at"]
    leased = SmsMessage.objects.filter(status=SmsStatus.SENDING).aggregate(at=Min("lease_expires_at"))["at"]
    times = [t for t in (waiting, leased) if t is not None]
    return min(times) if times else None
