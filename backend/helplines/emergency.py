"""Emergency numbers by country, for the emergency strip, crisis help and the overdose card.

The facts live in one file, `emergency_numbers.json` beside this module (with where and when
each was checked); it is read once per process, the first time a number is asked for. Code
reads it through these functions and templates through the `emergency` and
`general_emergency` names the pages put in every template's context, so no number is written
anywhere else. A country we do not know gets the general advice: 112 works from most mobile
phones in many countries, but the local number is best, and the international directories
(`international_directories`) for finding a crisis line there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "emergency_numbers.json"


@dataclass(frozen=True)
class EmergencyNumber:
    """The number to dial in an emergency, others that reach the same services, and the
    number a TTY (textphone) user dials where the country has one."""

    country: str | None
    number: str
    also: tuple[str, ...] = ()
    tty: str | None = None


@cache
def _numbers() -> tuple[dict[str, EmergencyNumber], EmergencyNumber]:
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    by_country = {
        entry["country"]: EmergencyNumber(
            entry["country"], entry["number"], tuple(entry["also"]), entry["tty"]
        )
        for entry in data["countries"]
    }
    return by_country, EmergencyNumber(None, data["general"]["number"])


def emergency_numbers() -> tuple[EmergencyNumber, ...]:
    """Every country's emergency number, in the data file's order."""
    return tuple(_numbers()[0].values())


def emergency_number_for(country: str | None) -> EmergencyNumber | None:
    """The emergency number for an ISO 3166-1 alpha-2 country, or None when unknown."""
    return _numbers()[0].get((country or "").upper())


def general_emergency_number() -> EmergencyNumber:
    """The number offered when the country is unknown (112, from most mobile phones)."""
    return _numbers()[1]


@dataclass(frozen=True)
class Directory:
    """An international directory of crisis lines, for a country without its own."""

    name: str
    url: str


@cache
def international_directories() -> tuple[Directory, ...]:
    """Directories that list crisis lines around the world (Find A Helpline, Befrienders
    Worldwide): pointers, not verified lines."""
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    return tuple(Directory(d["name"], d["url"]) for d in data["international"]["directories"])


def known_countries() -> tuple[str, ...]:
    """Countries the product has checked numbers for, in a stable order."""
    return tuple(_numbers()[0])
