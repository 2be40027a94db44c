"""Open311 clients (三(三)1 在线网络实时举报 from other systems): the special governance office issues a key per client,
revokes it, and sees each client's reports. A key is shown once; only its prefix and a hash are kept."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError, NotFound

from ..capabilities import Capability
from ..models import ApiClient
from ._common import clean_text, require_capability

KEY_PREFIX_LENGTH = 8
KEY_SECRET_BYTES = 24  # 192 bits: nothing to brute-force, so a plain hash of the key is enough


def _key_hash(key: str) -> str:
    return hashlib.sha256(f"sunshine-api-client:{key}".encode()).hexdigest()


@transaction.atomic(durable=True)
def api_client_issue(*, actor, name: str, note: str = "") -> tuple[ApiClient, str]:
    """Issue a key to a new client; returns the client and the key (shown once, never stored)."""
    require_capability(actor, Capability.GOVERNANCE)
    name = clean_text(name, field="接入系统名称", max_length=80)
    note = clean_text(note, field="说明", max_length=200, required=False)
    prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    while ApiClient.objects.filter(key_prefix=prefix).exists():  # 32 bits: a clash is rare, never silent
        prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    key = f"{prefix}.{secrets.token_urlsafe(KEY_SECRET_BYTES)}"
    client = ApiClient.objects.create(name=name, note=note, key_prefix=prefix, key_hash=_key_hash(key),
                                      issued_by=actor)
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=client,
                 detail={"change": "api_client_issue", "key_prefix": prefix})
    return client, key


@transaction.atomic(durable=True)
def api_client_revoke(*, actor, client_id: int) -> ApiClient:
    """Revoke a client's key: its next request is refused; its reports stay where they were routed."""
    require_capability(actor, Capability.GOVERNANCE)
    client = ApiClient.objects.select_for_update().filter(pk=client_id).first()
    if client is None:
        raise NotFound("未找到该接入系统", code=CasesErrorCode.API_CLIENT_UNKNOWN)
    if client.revoked_at is not None:
        raise ApplicationError("该接入系统的密钥已吊销", code=CasesErrorCode.API_CLIENT_REVOKED)
    client.revoked_at, client.revoked_by = timezone.now(), actor
    client.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=client,
                 detail={"change": "api_client_revoke", "key_prefix": client.key_prefix})
    return client


def api_client_for_key(key: str) -> ApiClient | None:
    """The active client holding `key`, or None (unknown, malformed or revoked keys look the same)."""
    prefix, _, rest = (key or "").strip().partition(".")
    if len(prefix) != KEY_PREFIX_LENGTH or not rest:
        return None
    client = ApiClient.objects.filter(key_prefix=prefix, revoked_at__isnull=True).first()
    if client is None or not hmac.compare_digest(client.key_hash, _key_hash(key.strip())):
        return None
    return client
