"""Reading the helpline list for the public pages.

Until operators keep the list in the database, the checked seed file is the directory:
`priority_lines()` gives the one or two lines to show first in crisis help, and
`lines_for()` the whole list for a country. Numbers come only from the data; nothing is
ever made up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import phonenumbers

SEED = Path(__file__).resolve().parent / "seed" / "helplines.json"


@dataclass(frozen=True)
class Contact:
    """One way to reach a line, ready for a `tel:` or `sms:` link."""

    kind: str
    value: str
    display: str
    keyword: str | None
    note: str | None


@dataclass(frozen=True)
class Line:
    """A helpline as a page shows it, in one language."""

    id: str
    country: str
    name: str
    description: str
    topics: tuple[str, ...]
    priority: int
    contacts: tuple[Contact, ...]
    free: bool | None
    confidential: bool | None
    checked_on: str | None
    verified: bool


def display_number(value: str) -> str:
    """A number as people dial it in its country (short codes as they are)."""
    if not value.startswith("+"):
        return value
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(value), phonenumbers.PhoneNumberFormat.NATIONAL
        )
    except phonenumbers.NumberParseException:
        return value


@cache
def _seed() -> tuple[dict, ...]:
    if not SEED.is_file():
        return ()
    return tuple(json.loads(SEED.read_text(encoding="utf-8")))


def _words(value, lang: str) -> str | None:
    if isinstance(value, dict):
        return value.get(lang) or value.get("en")
    return value


def _line(record: dict, lang: str) -> Line:
    contacts = tuple(
        Contact(
            kind=c["kind"],
            value=c["value"],
            display=display_number(c["value"]) if c["kind"] in ("call", "text") else c["value"],
            keyword=c.get("keyword"),
            note=_words(c.get("note"), lang),
        )
        for c in record.get("contacts", [])
    )
    source = record.get("source") or {}
    return Line(
        id=record["id"],
        country=record["country"],
        name=_words(record["name"], lang),
        description=_words(record.get("description"), lang) or "",
        topics=tuple(record.get("topics", ())),
        priority=int(record.get("priority") or 0),
        contacts=contacts,
        free=record.get("free"),
        confidential=record.get("confidential"),
        checked_on=source.get("checked_on"),
        verified=source.get("status") == "official",
    )


def lines_for(country: str | None, lang: str) -> list[Line]:
    """Every line for a country, priority lines first."""
    if not country:
        return []
    lines = [_line(r, lang) for r in _seed() if r["country"] == country.upper()]
    return sorted(lines, key=lambda line: (line.priority == 0, line.priority, line.name))


def priority_lines(country: str | None, lang: str, limit: int = 2) -> list[Line]:
    """The one or two lines to show first in crisis help, for a country."""
    reachable = [
        line
        for line in lines_for(country, lang)
        if line.priority > 0 and any(c.kind in ("call", "text") for c in line.contacts)
    ]
    return reachable[:limit]


def countries() -> list[str]:
    """Countries the directory has lines for."""
    return sorted({r["country"] for r in _seed()})
