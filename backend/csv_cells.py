"""Cells of the CSV files Steady writes and reads: safe to open in a spreadsheet, and the
same text again when imported.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and a tab or
carriage return in front of one hides it (OWASP "CSV injection"). On export such a cell
gets a leading apostrophe, which spreadsheets show as text and do not display; a cell that
already starts with apostrophes in front of one of those characters gets one more, so
that the import can take exactly one away and every text comes back as it was (L9, issue
9). Used by the helpline exports and import (helplines/exports.py, import_files.py).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def _needs_guard(text: str) -> bool:
    return text.lstrip(GUARD).startswith(FORMULA_STARTS)


def neutralise_formula(value):
    """The cell to write for `value`: text a spreadsheet would run gets a leading `'`.
    Anything that is not text is returned unchanged."""
    if isinstance(value, str) and _needs_guard(value):
        return GUARD + value
    return value


def restore_formula(cell: str) -> str:
    """The text a cell written by `neutralise_formula` stood for (other cells unchanged)."""
    if cell.startswith(GUARD) and _needs_guard(cell[1:]):
        return cell[1:]
    return cell
