"""Personal links filled into a message when it is sent, and the number of billed segments a message takes.

A payment SMS carries the household's personal link (sunshine.org.household_links). The link is a secret that no
table keeps, so the outbox stores a stand-in where it goes, and the dispatcher puts the link in at send time: the
million messages of an import keep sharing a few hundred bodies, and a link renewed before sending is the new one.
The app that queues such messages registers, for its related type, how to compute the link of one message.
"""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from sunshine.core import public_urls

PERSONAL_LINK = public_urls.PERSONAL_LINK_STANDIN

# Segment sizes (3GPP TS 23.040): a message with any Chinese character is sent in UCS-2, 70 characters in one
# segment and 67 per segment once split; plain ASCII uses the 7-bit alphabet, 160 and 153.
UCS2_SINGLE, UCS2_PART = 70, 67
GSM_SINGLE, GSM_PART = 160, 153
# The carrier adds the signature (【湘乡阳光监督】) to every message; without SMS_SIGN_NAME (the demo) the budget is
# that of an 8-character signature.
SIGNATURE_BUDGET = 8

_resolvers: dict[str, Callable[[int], str | None]] = {}


def register_personal_link(related_type: str, resolve: Callable[[int], str | None]) -> None:
    """`resolve(related_id)` gives the personal link of a message about that record (None: no link, the stand-in
    becomes the public self-check address)."""
    _resolvers[related_type] = resolve


def fill_personal_link(*, text: str, params: list, related_type: str, related_id: int | None) -> tuple[str, list]:
    """The text and parameters as sent: the stand-in replaced by the record's personal link."""
    if PERSONAL_LINK not in text and not any(value == PERSONAL_LINK for _, value in params):
        return text, params
    resolve = _resolvers.get(related_type)
    link = resolve(related_id) if resolve is not None and related_id is not None else None
    link = link or public_urls.check_url()
    return text.replace(PERSONAL_LINK, link), [[name, link if value == PERSONAL_LINK else value]
                                               for name, value in params]


def signature_length() -> int:
    sign = getattr(settings, "SMS_SIGN_NAME", "")
    return len(f"【{sign}】") if sign else SIGNATURE_BUDGET


def sms_segments(text: str) -> int:
    """Billed segments of `text` as sent: the personal link at its (fixed) length, the signature included."""
    text = text.replace(PERSONAL_LINK, "x" * public_urls.personal_link_length())
    length = len(text) + signature_length()
    single, part = (GSM_SINGLE, GSM_PART) if text.isascii() else (UCS2_SINGLE, UCS2_PART)
    return 1 if length <= single else -(-length // part)
