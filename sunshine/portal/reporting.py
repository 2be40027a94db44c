"""The protections every public way of filing a report shares (the form, the report API, Open311).

Limits count per address AND per browser (or API client), with the address's ceiling well above one browser's: a
village behind one carrier address (CGNAT) shares the address, so its honest reporters, each with their own
browser, pass; a flood from one browser or from a script that drops its cookies is stopped by one or the other.
"""
from __future__ import annotations

import secrets

from django.core.signing import BadSignature, Signer

from sunshine.core.ratelimit import Limit, RateLimited, check, client_ip, hit

# Reports saved per browser: an honest villager reports a few things in an hour at most.
REPORTS_PER_BROWSER = Limit("report_submit_browser", 5, 60 * 60)
# Reports saved per address: a whole village behind one carrier address, each reporter on their own phone.
REPORTS_PER_ADDRESS = Limit("report_submit", 30, 60 * 60)
# Form posts per address, right or wrong: a script guessing the question is stopped long before it gets far.
REPORT_ATTEMPTS_PER_ADDRESS = Limit("report_attempt", 120, 60 * 60)
# Open311 clients (the city's 12388 system, a WeChat account) file for many people: their own, larger ceiling.
REPORTS_PER_API_CLIENT = Limit("report_submit_client", 600, 60 * 60)

# The browser's own key: a random value in a cookie, signed so a script cannot mint its own, never tied to a person.
BROWSER_COOKIE = "sunshine_browser"
BROWSER_COOKIE_AGE = 365 * 24 * 60 * 60
_signer = Signer(salt="sunshine.portal.browser")


def hit_quietly(limit: Limit, key: str) -> None:
    """Count one under `limit` without refusing this request (the refusal comes from `check` on the next one)."""
    try:
        hit(limit, key)
    except RateLimited:
        pass


def browser_key(request) -> str:
    """The signed browser key of this request's cookie, or '' when there is none (or it was forged)."""
    value = request.COOKIES.get(BROWSER_COOKIE, "")
    try:
        return _signer.unsign(value) if value else ""
    except BadSignature:
        return ""


def browser_cookie_set(request, response) -> None:
    """Give a browser its key on the form page (kept a year; sent only to this site, never read by scripts)."""
    if not browser_key(request):
        response.set_cookie(BROWSER_COOKIE, _signer.sign(secrets.token_urlsafe(12)), max_age=BROWSER_COOKIE_AGE,
                            httponly=True, samesite="Lax", secure=request.is_secure())


def _browser_scope(request) -> str:
    # Without a key, the address stands in for the browser: a cookie-less script gets one browser's share.
    return f"browser:{browser_key(request) or 'none:' + client_ip(request)}"


def report_limits_check(request, *, client: str = "") -> None:
    """Count this attempt and raise RateLimited when the address, the browser (or the API client) is spent."""
    if client:
        check(REPORTS_PER_API_CLIENT, f"client:{client}")
        return
    address = client_ip(request)
    hit(REPORT_ATTEMPTS_PER_ADDRESS, address)
    check(REPORTS_PER_ADDRESS, address)
    check(REPORTS_PER_BROWSER, _browser_scope(request))


def report_limits_count(request, *, client: str = "") -> None:
    """Count a saved report against its address and browser (or API client); the report is saved already, so a
    window filled meanwhile by a parallel request refuses the next one, not this one."""
    try:
        if client:
            hit(REPORTS_PER_API_CLIENT, f"client:{client}")
            return
        hit(REPORTS_PER_ADDRESS, client_ip(request))
        hit(REPORTS_PER_BROWSER, _browser_scope(request))
    except RateLimited:
        pass


# An objection from the household page may concern a payment not yet published: the page's link carries a
# signature of the record, so only someone who opened that household's page can name it on the form.
_owner_signer = Signer(salt="sunshine.portal.objection-owner")


def objection_owner_sign(about_type: str, about_id) -> str:
    return _owner_signer.sign(f"{about_type}:{about_id}").rsplit(":", 1)[1]


def objection_owner_valid(about_type: str, about_id, signature: str) -> bool:
    if not signature:
        return False
    try:
        _owner_signer.unsign(f"{about_type}:{about_id}:{signature}")
    except BadSignature:
        return False
    return True
