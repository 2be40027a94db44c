"""Formatting of statistics figures: money with two decimals and thousands, shares with %, empty as —."""
from __future__ import annotations

from decimal import Decimal

from django import template

from sunshine.core.masking import mask_phone

from ..registry import DAYS, MONEY, PCT

register = template.Library()


def format_figure(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):  # a suppressed small count ("<3")
        return value
    if kind == MONEY:
        return f"{Decimal(value):,.2f}"
    if kind == PCT:
        return f"{float(value):.1f}%"
    if kind == DAYS:
        return f"{float(value):.1f}"
    return f"{int(value):,}"


@register.simple_tag
def figure(values: dict, measure) -> str:
    return format_figure(values.get(measure.key), measure.kind)


@register.filter
def masked_phone(value) -> str:
    return mask_phone(value) or "—"
