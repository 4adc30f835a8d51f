"""Emergency numbers by country, for the emergency strip and crisis help.

Each number was checked against official sources on 2026-11-25 (see shared/helplines.md).
A country we do not know gets the general advice: 112 works from most mobile phones in
many countries, but the local number is best.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmergencyNumber:
    """The number to dial in an emergency, and any others worth knowing."""

    country: str
    number: str
    also: tuple[str, ...] = ()


EMERGENCY_NUMBERS = {
    "US": EmergencyNumber("US", "911"),
    "GB": EmergencyNumber("GB", "999", ("112",)),
    "IE": EmergencyNumber("IE", "112", ("999",)),
    "CA": EmergencyNumber("CA", "911"),
    "AU": EmergencyNumber("AU", "000", ("112",)),
    "NZ": EmergencyNumber("NZ", "111"),
    "ES": EmergencyNumber("ES", "112"),
    "MX": EmergencyNumber("MX", "911"),
}

# Dialled from most mobile phones in many countries; offered when the country is unknown.
GENERAL_NUMBER = "112"


def emergency_number_for(country: str | None) -> EmergencyNumber | None:
    """The emergency number for an ISO 3166-1 alpha-2 country, or None when unknown."""
    return EMERGENCY_NUMBERS.get((country or "").upper())


def known_countries() -> tuple[str, ...]:
    """Countries the product has checked numbers for, in a stable order."""
    return tuple(EMERGENCY_NUMBERS)
