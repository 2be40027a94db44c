"""The project's one audit mechanism: one append-only, hash-chained record per security event.

Public API (import from here, nowhere else):

    audit_record(*, event: AuditEvent | str, actor, result: str = AuditResult.SUCCESS, obj=None,
                 object_type: str = "", object_id: str | int = "", detail: dict | None = None) -> AuditRecord
        Write the one record of a security event: UTC time, actor (id, account name, role), event, object, result
        and the current request id. `obj` is a model instance (its app label, model and pk are recorded) or give
        `object_type`/`object_id`. `detail` holds a few short non-personal facts (str/int/bool/None values): it is
        refused (ValueError) when a key names a secret or personal field (password, code, receipt, token, phone,
        ID number, card …) or a value looks like an ID number, a mobile number or a bank card.
        Call it inside the transaction of the change it records, so both commit or neither does; record refusals
        (permission denied, failed login) outside any transaction that will roll back.
    audit_denied(request, *, reason="forbidden") -> AuditRecord
        The PERMISSION_DENIED record of a request answered 403 (the page and API error handlers call it).
    current_request_id() -> str       the id of the request being served ("" outside a request)
    audit_verify() -> VerifyResult    walk the chain; `sunshine audit_verify` prints it and exits 1 when broken
    audit_prune(*, now=None) -> int   delete records older than AUDIT_RETENTION_DAYS (never under 180 days)

What is a security event: login, failed login, lockout, logout, two-factor enrolment and failures, permission
denied, export, unmasking of personal data, reading a reporter's identity, case transition, role change,
password change, configuration change, a change to the organisation made through org's services (ORG_CHANGE),
an API token issued or revoked. Each leaves exactly one record, written by the code that does it.

django-auditlog is kept for one thing only, the field-change history of records shown to staff ("who changed
this household's village"): it is not a second audit trail. Each LogEntry carries the request id of this module
in its `cid` (AUDITLOG_CID_GETTER), so a field change is found from the security record of the same request;
personal fields are masked or excluded where the models register, and it never stores an address
(AUDITLOG_DISABLE_REMOTE_ADDR).

On PostgreSQL a trigger (core migration 0004) refuses UPDATE of any record and DELETE of a record younger than
the minimum retention, whoever connects; the hash chain shows any other removal or change.
"""
from __future__ import annotations

import contextvars
import datetime as dt
import enum
import hashlib
import json
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditRecord

# 等保三级 / 《网络安全法》第二十一条: network logs are kept no less than six months.
MIN_RETENTION_DAYS = 180
GENESIS_HASH = "0" * 64
# Any constant: every writer of the chain takes this PostgreSQL transaction-level lock, so two records never
# link to the same predecessor. SQLite's IMMEDIATE transactions already serialise writers. The lock is held until
# the surrounding transaction commits, so audited writes (logins, transitions: a few per second at most) queue
# behind each other; bulk paths write one record per batch, never one per row.
_CHAIN_LOCK_KEY = 0x5A_0A_D1_7E


class AuditEvent(enum.StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    OTP_VERIFIED = "otp_verified"
    OTP_FAILED = "otp_failed"
    OTP_ENROLLED = "otp_enrolled"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_ISSUED = "recovery_codes_issued"
    PASSWORD_CHANGE = "password_change"
    PERMISSION_DENIED = "permission_denied"
    EXPORT = "export"
    UNMASK = "unmask"
    IDENTITY_READ = "identity_read"
    CASE_TRANSITION = "case_transition"
    ROLE_CHANGE = "role_change"
    TOKEN_ISSUED = "token_issued"  # an API token created for an account
    TOKEN_REVOKED = "token_revoked"
    ORG_CHANGE = "org_change"  # a region, unit, person, post, supervision link or account created or changed
    CONFIG_CHANGE = "config_change"
    AUDIT_PRUNED = "audit_pruned"


class AuditResult(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


# ---- the request id ------------------------------------------------------------------------------------------
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("sunshine_request_id", default="")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id (the proxy's X-Request-ID when it is a plain token, else a new one), for audit
    records, auditlog's correlation id and the X-Request-ID response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers.setdefault("X-Request-ID", request_id)
        return response


def auditlog_cid() -> str | None:
    """AUDITLOG_CID_GETTER: django-auditlog's field changes carry the request id of the audit record."""
    return current_request_id() or None


# ---- what a record may hold ------------------------------------------------------------------------------------
# A detail key is refused when one of its words (split on "_") is one of these, or it names an ID number.
_SECRET_KEY_WORDS = {"password", "passwd", "token", "secret", "receipt", "otp", "code", "codes", "pin", "phone",
                     "mobile", "bank", "card", "idcard", "ip", "addr", "address", "name", "reporter", "identity"}
_PERSONAL_VALUE = re.compile(
    r"\d{17}[\dXx]"          # resident ID number
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"  # mainland mobile number
    r"|(?<!\d)\d{16,19}(?!\d)"    # bank card
    r"|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"  # IPv4 address
)


def _check_detail(detail: dict) -> dict:
    clean = {}
    for key, value in detail.items():
        lowered = str(key).lower()
        if "id_number" in lowered or set(lowered.split("_")) & _SECRET_KEY_WORDS:
            raise ValueError(f"audit detail key {key!r} names a secret or personal field")
        if isinstance(value, enum.Enum):
            value = value.value
        if value is not None and not isinstance(value, (str, int, bool)):
            raise ValueError(f"audit detail {key!r} must be a short str/int/bool, not {type(value).__name__}")
        if isinstance(value, str) and (len(value) > 200 or _PERSONAL_VALUE.search(value)):
            raise ValueError(f"audit detail {key!r} is too long or looks like personal data")
        clean[str(key)] = value
    return clean


# ---- the chain -------------------------------------------------------------------------------------------------
def _canonical(record: AuditRecord) -> bytes:
    at = record.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = [at, record.actor_id, record.actor_name, record.role, record.event, record.object_type,
            record.object_id, record.result, record.request_id, record.detail, record.prev_hash]
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _digest(record: AuditRecord) -> str:
    return hashlib.sha256(_canonical(record)).hexdigest()


def audit_record(*, event, actor, result=AuditResult.SUCCESS, obj=None, object_type: str = "",
                 object_id: str | int = "", detail: dict | None = None) -> AuditRecord:
    """Write the one audit record of a security event (see the module docstring)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    record = AuditRecord(
        at=timezone.now().astimezone(dt.UTC),
        actor_id=actor.pk if authenticated else None,
        actor_name=actor.get_username()[:150] if authenticated else "",
        role=str(getattr(actor, "role", "") or "")[:24] if authenticated else "",
        event=str(AuditEvent(event)),
        object_type=str(object_type)[:60],
        object_id=str(object_id if object_id is not None else "")[:64],
        result=str(AuditResult(result)),
        request_id=current_request_id(),
        detail=_check_detail(detail or {}),
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first()
        record.prev_hash = last or GENESIS_HASH
        record.hash = _digest(record)
        record.save(force_insert=True)
    return record


_LONG_DIGITS = re.compile(r"\d{11,}")


def audit_denied(request, *, reason: str = "forbidden") -> AuditRecord:
    """The one PERMISSION_DENIED record of a refused request (pages and API call it where they answer 403)."""
    path = _LONG_DIGITS.sub("…", request.path)[:200]  # a path never carries personal data into the record
    detail = {"path": path, "method": request.method, "reason": str(reason)[:60]}
    if _PERSONAL_VALUE.search(path):  # still looks personal (an address typed into a URL): leave the path out
        detail.pop("path")
    return audit_record(event=AuditEvent.PERMISSION_DENIED, actor=getattr(request, "user", None),
                        result=AuditResult.DENIED, detail=detail)


_ADMIN_ACTIONS = {1: "add", 2: "change", 3: "delete"}


def _on_admin_change(sender, instance, created, **kwargs):
    """Configuration lives in the admin site (regions, units, problem types, SMS templates, accounts): each saved
    change there is one CONFIG_CHANGE record; the field values stay in auditlog's history, not here."""
    if not created:
        return
    content_type = instance.content_type
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=instance.user,
                 object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
                 object_id=instance.object_id or "", detail={"action": _ADMIN_ACTIONS.get(instance.action_flag, "")})


def connect_signals() -> None:
    from django.contrib.admin.models import LogEntry as AdminLogEntry
    from django.db.models.signals import post_save

    post_save.connect(_on_admin_change, sender=AdminLogEntry, dispatch_uid="sunshine_audit_admin_change")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def audit_verify() -> VerifyResult:
    """Recompute every record's hash and link, oldest first; the first record may follow pruned ones."""
    previous: str | None = None
    checked = 0
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        if previous is not None and record.prev_hash != previous:
            return VerifyResult(False, checked, record.pk, "链接断开:前一条记录被删除、插入或修改")
        if _digest(record) != record.hash:
            return VerifyResult(False, checked, record.pk, "内容与摘要不符:记录被修改")
        previous = record.hash
        checked += 1
    return VerifyResult(True, checked)


def retention_days() -> int:
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)), MIN_RETENTION_DAYS)


def audit_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the records older than the retention period (oldest first, so the rest still verifies)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    with transaction.atomic():
        expired = AuditRecord.objects.filter(at__lt=cutoff)
        count = expired.count()
        if count:
            expired._raw_delete(expired.db)  # the model refuses delete(); this is the one sanctioned path
            audit_record(event=AuditEvent.AUDIT_PRUNED, actor=None, detail={"deleted": count,
                                                                             "retention_days": retention_days()})
    return count
