"""Links the public pages share: the objection (异议) link on every disclosed record."""
from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# The report desk (issue 4) provides the public report form under this name; until it is installed the link
# falls back to a page that gives the hotline and the township discipline office.
REPORT_URL_NAME = "portal:report_new"
FALLBACK_URL_NAME = "portal:objection_fallback"


def objection_href(about_type: str, about_id) -> str:
    try:
        base = reverse(REPORT_URL_NAME)
    except NoReverseMatch:
        base = reverse(FALLBACK_URL_NAME)
    return f"{base}?{urlencode({'about_type': about_type, 'about_id': about_id})}"


@register.simple_tag
def objection_url(about_type: str, about_id) -> str:
    """`{% objection_url "funds.payment" p.id %}` → the report form about that record (or the fallback page)."""
    return objection_href(about_type, about_id)
