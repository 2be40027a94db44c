"""A household's personal link (三(二)3: each beneficiary told of each payment, and able to see it).

The link is computed, not stored: its token is the household's id and an HMAC of (id, generation) keyed by the
SECRET_KEY, so no table holds anything secret, and writing a million payments' SMS needs no lookup per row (the
link is filled in when each message is sent). Staff revoke a link by renewing it: the generation goes up and the
old token stops opening anything.

The token is short because it travels in a 70-character SMS: 5 base-62 characters of id (916 million households)
and 7 of tag (62**7, about 3.5 trillion tags: a guesser is stopped by the per-requester limit long before).
Rotating SECRET_KEY renews every household's link at once.
"""
from __future__ import annotations

import hmac
import string

from django.utils.crypto import salted_hmac

from sunshine.core import public_urls

ALPHABET = string.digits + string.ascii_letters  # base 62: letters and digits only, nothing an SMS app would split
ID_WIDTH = 5
TAG_WIDTH = 7
TOKEN_LENGTH = ID_WIDTH + TAG_WIDTH
assert TOKEN_LENGTH == public_urls.HOUSEHOLD_TOKEN_LENGTH  # noqa: S101 - the SMS segment count relies on it
MAX_HOUSEHOLD_ID = len(ALPHABET) ** ID_WIDTH - 1
SALT = "sunshine.org.household_link"


def _b62(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _from_b62(text: str) -> int:
    number = 0
    for ch in text:
        number = number * 62 + ALPHABET.index(ch)
    return number


def _tag(household_id: int, generation: int) -> str:
    digest = salted_hmac(SALT, f"{household_id}:{generation}", algorithm="sha256").digest()
    return _b62(int.from_bytes(digest[:8], "big"), TAG_WIDTH)


def household_token(*, household_id: int, generation: int) -> str:
    if not 0 < household_id <= MAX_HOUSEHOLD_ID:
        raise ValueError(f"household id out of the link's range: {household_id}")
    return _b62(household_id, ID_WIDTH) + _tag(household_id, generation)


def household_link(*, household_id: int, generation: int) -> str:
    """The full personal link, as the SMS carries it."""
    return public_urls.household_url(household_token(household_id=household_id, generation=generation))


def token_household_id(token: str) -> int | None:
    """The household id a well-formed token names (not yet checked: see token_matches), or None."""
    if len(token) != TOKEN_LENGTH or any(ch not in ALPHABET for ch in token):
        return None
    household_id = _from_b62(token[:ID_WIDTH])
    return household_id or None


def token_matches(token: str, *, household_id: int, generation: int) -> bool:
    """Whether `token` is the household's current link (constant-time comparison)."""
    return hmac.compare_digest(token, household_token(household_id=household_id, generation=generation))
