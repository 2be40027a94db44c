"""Number formats of the public pages: money as ¥12,345.00 (grouped, two decimals, never scientific)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """`{{ amount|yuan }}` → "¥12,345.00"; empty → "—"."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"-¥{-amount:,.2f}" if amount < 0 else f"¥{amount:,.2f}"
