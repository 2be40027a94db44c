"""Field encryption for whistleblower identity: MultiFernet over settings.FIELD_ENCRYPTION_KEYS.

The first key encrypts; every key decrypts, so keys rotate by putting a new key first and re-encrypting at leisure.
Keys come only from the environment; without one the platform refuses to store an identity rather than store it
in the clear.
"""
from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """The ciphertext was not written with any configured key (a key was removed too early, or data tampered)."""


@functools.cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: set at least one Fernet key in the environment")
    try:
        return MultiFernet([Fernet(key.encode("ascii") if isinstance(key, str) else key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a key that is not a urlsafe base64 32-byte key") from exc


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ()))


def encrypt(plaintext: str) -> str:
    """Ciphertext (an ASCII Fernet token) of `plaintext`; the empty string stays empty."""
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Plaintext of a token written by `encrypt` with any configured key; '' stays ''."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("encrypted field cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """Re-encrypt `token` under the first (newest) key."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("encrypted field cannot be decrypted with the configured keys") from exc
