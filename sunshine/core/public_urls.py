"""Links that leave the site: in an SMS, on a printed notice, in a QR code (三(二)3).

Once printed on a village board or sent to a phone, a link cannot be taken back, so every such link is built here
from the one setting SUNSHINE_PUBLIC_BASE_URL and a fixed path. Never from a URL name (`reverse`): renaming a page
must not break the links already on paper and in phones. The portal's URL patterns use the same paths and a test
checks they still resolve.

In the demo the base follows the server's port (`make demo PORT=8080` sets SUNSHINE_PUBLIC_BASE_URL); production
settings refuse to start without an https base.
"""
from __future__ import annotations

from django.conf import settings

# The fixed paths. Changing one breaks every link already sent or printed: add a new path, keep the old one.
CHECK_PATH = "/check/"  # the household self-check
NOTICE_PATH = "/notices/{code}/"  # a published notice, keyed by its ledger code (printed with a QR code)
REPORT_STATUS_PATH = "/report/status/"  # a reporter follows a report (the receipt code is typed, never linked)
REPORT_VILLAGE_PATH = "/report/?village={code}"  # the report form with the village filled in (监督卡 QR codes)
HOUSEHOLD_PATH = "/h/{token}"  # a household's own page, by its personal link (short: it goes into a 70-char SMS)
HOUSEHOLD_TOKEN_LENGTH = 12  # sunshine.org.household_links: every personal link has the same length
# Where an SMS's personal link goes in the outbox's stored text (the link itself is put in when it is sent).
PERSONAL_LINK_STANDIN = "〔个人链接〕"


def public_base_url() -> str:
    """The portal's public address without a trailing slash (http://127.0.0.1:8000 in development)."""
    return settings.SUNSHINE_PUBLIC_BASE_URL.rstrip("/")


def public_url(path: str) -> str:
    """`path` (one of the fixed paths above, filled in) under the public address."""
    if not path.startswith("/"):
        raise ValueError(f"public path must start with '/': {path!r}")
    return public_base_url() + path


def check_url() -> str:
    return public_url(CHECK_PATH)


def notice_url(code: str) -> str:
    return public_url(NOTICE_PATH.format(code=code))


def report_status_url() -> str:
    return public_url(REPORT_STATUS_PATH)


def report_village_url(village_code: str) -> str:
    return public_url(REPORT_VILLAGE_PATH.format(code=village_code))


def household_url(token: str) -> str:
    return public_url(HOUSEHOLD_PATH.format(token=token))


def personal_link_length() -> int:
    """The length of every household's personal link (what an SMS's segment count is computed with)."""
    return len(household_url("x" * HOUSEHOLD_TOKEN_LENGTH))
