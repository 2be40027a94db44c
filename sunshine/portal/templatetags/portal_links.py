"""Links the public pages share: the objection (异议) link on every disclosed record."""
from __future__ import annotations

import functools
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse

from sunshine.portal.reporting import objection_owner_sign

register = template.Library()

# The report desk (issue 4) provides the public report form under this name; until it is installed the link
# falls back to a page that gives the hotline and the township discipline office.
REPORT_URL_NAME = "portal:report_new"
FALLBACK_URL_NAME = "portal:objection_fallback"


@functools.lru_cache(maxsize=8)
def _objection_base(urlconf: str) -> str:
    # Resolved once per URLconf: a village page carries fifty of these links.
    try:
        return reverse(REPORT_URL_NAME, urlconf=urlconf)
    except NoReverseMatch:
        return reverse(FALLBACK_URL_NAME, urlconf=urlconf)


def objection_href(about_type: str, about_id, *, owner: bool = False) -> str:
    base = _objection_base(get_urlconf() or settings.ROOT_URLCONF)
    query = {"about_type": about_type, "about_id": about_id}
    if owner:
        query["owner"] = objection_owner_sign(about_type, about_id)
    return f"{base}?{urlencode(query)}"


@register.simple_tag
def objection_url(about_type: str, about_id) -> str:
    """`{% objection_url "funds.payment" p.id %}` → the report form about that record (or the fallback page)."""
    return objection_href(about_type, about_id)


@register.simple_tag
def objection_url_owner(about_type: str, about_id) -> str:
    """The household page's objection link: it may name a payment not yet published (signed for this record)."""
    return objection_href(about_type, about_id, owner=True)
