"""Money is written one way on every page and PDF: ¥2,400.00."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from sunshine.core.money import yuan


def test_amounts_are_written_with_the_yuan_sign_grouped_and_two_decimals():
    assert yuan(Decimal("2400")) == "¥2,400.00"
    assert yuan("1234567.5") == "¥1,234,567.50"
    assert yuan(-12) == "-¥12.00"
    assert yuan(None) == "—" and yuan("") == "—"


def test_the_desk_and_the_pdf_filter_writes_the_same():
    assert Template("{% load money %}{{ a|yuan }}").render(Context({"a": Decimal("800")})) == "¥800.00"


# Two decimals (money's mark) or a rounded figure with thousands separators, written by hand instead of `|yuan`.
MONEY_OWN_WAY = re.compile(r"floatformat:\"?2\b|floatformat:\"?0\"?\|intcomma")


def test_no_template_formats_money_its_own_way():
    root = Path(settings.BASE_DIR)
    own_way = [str(p.relative_to(root)) for p in root.rglob("*.html")
               if MONEY_OWN_WAY.search(p.read_text(encoding="utf-8"))]
    assert own_way == []
