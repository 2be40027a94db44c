"""API tokens for scripts and other systems: `Authorization: Bearer <token>`, stored only as a SHA-256 hash."""
from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone
from ninja.security import HttpBearer


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, account, name: str) -> str:
    """Create a token for `account` and return the raw value (shown once)."""
    from .models import ApiToken

    raw = "sun_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(account=account, name=name, token_hash=hash_token(raw))
    return raw


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
