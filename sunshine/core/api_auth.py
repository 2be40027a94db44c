"""API tokens for scripts and other systems: `Authorization: Bearer <token>`, stored only as a SHA-256 hash."""
from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, account, name: str, actor=None) -> str:
    """Create a token for `account` and return the raw value (shown once). `actor` is who issued it (the account
    itself when not given); the issue is one TOKEN_ISSUED audit record."""
    from .audit import AuditEvent, audit_record
    from .models import ApiToken

    raw = "sun_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(account=account, name=name, token_hash=hash_token(raw))
        audit_record(event=AuditEvent.TOKEN_ISSUED, actor=actor or account, obj=token)
    return raw


def token_revoke(*, actor, token_id: int):
    """Revoke a token: from the next request on it authenticates nobody. Its owner or a superuser may; anyone else
    gets the same 404 as for a token that does not exist. Revoking twice changes nothing (one audit record)."""
    from .audit import AuditEvent, audit_record
    from .errors import NotFound
    from .models import ApiToken

    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or not (actor.is_superuser or token.account_id == actor.pk):
            raise NotFound("未找到该接口令牌")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
            audit_record(event=AuditEvent.TOKEN_REVOKED, actor=actor, obj=token)
    return token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        from .models import ApiToken

        row = (
            ApiToken.objects.select_related("account")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, account__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.account
        return row.account
