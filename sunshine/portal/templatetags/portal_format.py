"""Number formats of the public pages: money as ¥12,345.00 (grouped, two decimals, never scientific)."""
from __future__ import annotations

from django import template

from sunshine.core import money

register = template.Library()


@register.filter
def yuan(value) -> str:
    """`{{ amount|yuan }}` → "¥12,345.00"; empty → "—" (the one format: sunshine.core.money)."""
    return money.yuan(value)
