"""`{% load money %}{{ amount|yuan }}` → "¥12,345.00": the one way money is written (sunshine.core.money)."""
from django import template

from sunshine.core.money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    return _yuan(value)
