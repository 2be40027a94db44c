"""Memoised cell parsers: a million-row payment list has a few dozen distinct amounts, dates and items."""
from __future__ import annotations

from collections.abc import Callable

from sunshine.core.tabular import RowErrors

MAX_ENTRIES = 200_000  # bounded, so a file of all-distinct values cannot grow it without limit


class ValueCache:
    """`get(text, ...)` returns `parse(text)` (cached) or None after recording the parse error for the row."""

    def __init__(self, parse: Callable[[str], object]):
        self.parse = parse
        self.values: dict[str, tuple[object, str | None]] = {}

    def get(self, text: str, errors: RowErrors, row: int, column: str):
        hit = self.values.get(text)
        if hit is None:
            try:
                hit = (self.parse(text), None)
            except ValueError as exc:
                hit = (None, str(exc))
            if len(self.values) < MAX_ENTRIES:
                self.values[text] = hit
        value, problem = hit
        if problem is not None:
            errors.add(row, column, problem)
        return value
