"""The keyed hash every comparison joins on: registries store it (never the ID number), beneficiaries get it in
PersonKey. A keyed hash, not a plain one: an ID number has little entropy (region, birth date, sequence), so a
plain SHA-256 of it could be reversed by trying every number; without the key nobody can.
"""
from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings

from .models import KEY_LENGTH

SALT = b"sunshine.redflags.id_key"


@functools.cache
def _key(secret: str) -> bytes:
    return hashlib.sha256(SALT + secret.encode()).digest()


def id_key(id_number: str) -> str:
    """The keyed hash of an ID number (already validated: importers normalise it first), 32 hex digits."""
    secret = getattr(settings, "REDFLAGS_ID_KEY", "") or settings.SECRET_KEY
    number = id_number.strip().upper()
    return hmac.new(_key(secret), number.encode("ascii", "replace"), hashlib.sha256).hexdigest()[:KEY_LENGTH]


def id_keys(id_numbers) -> list[str]:
    """Many at once (the beneficiaries' refresh): the key derived once."""
    secret = getattr(settings, "REDFLAGS_ID_KEY", "") or settings.SECRET_KEY
    key = _key(secret)
    return [hmac.new(key, n.strip().upper().encode("ascii", "replace"), hashlib.sha256).hexdigest()[:KEY_LENGTH]
            for n in id_numbers]


def id_key_function():
    """id_key with the derived key fixed once: for SQLite's per-row SQL function (services.person_keys_refresh)."""
    secret = getattr(settings, "REDFLAGS_ID_KEY", "") or settings.SECRET_KEY
    key = _key(secret)

    def one(id_number: str) -> str:
        number = id_number.strip().upper()
        return hmac.new(key, number.encode("ascii", "replace"), hashlib.sha256).hexdigest()[:KEY_LENGTH]

    return one
