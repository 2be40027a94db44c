"""Money is written one way everywhere on pages and PDFs: "¥2,400.00" (two decimals, thousands separated)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
EMPTY = "—"


def yuan(value) -> str:
    """12345 → "¥12,345.00"; a negative amount "-¥12.00"; None or "" → "—"; text that is not a number as is."""
    if value is None or value == "":
        return EMPTY
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"-¥{-amount:,.2f}" if amount < 0 else f"¥{amount:,.2f}"
