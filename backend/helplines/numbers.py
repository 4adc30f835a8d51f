"""Phone numbers and short codes: what to store, and how to show them.

Stored forms (the seed data uses the same rules, see seed/README.md):

- a number that can be dialled from abroad is stored in E.164 ("1-800-662-4357" in the US
  becomes "+18006624357");
- a short code is stored as dialled ("988", "116123", "024"), and only where
  ``phonenumbers.shortnumberinfo`` knows it as a real short number for that country;
- a national-only number (Australia's 13 xx xx and 1300 numbers) is stored as dialled,
  digits only, unless it was given in E.164 (then it stays E.164, like the seed's
  "+611800250015");
- a relay prefix a country's text relay service documents (the UK's 18001 for Relay UK)
  followed by a number or short code that is itself valid, stored as dialled.

Pure functions: no database, no Flask.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, shortnumberinfo

# Text relay prefixes dialled before another number (Relay UK: "18001 111" for NHS 111).
RELAY_PREFIXES = {"GB": ("18001",)}
# Europe's harmonised "116" numbers of social value (116 123, 116 111 …) are written in two
# groups of three wherever they run; phonenumbers leaves short codes ungrouped.
_HARMONISED_116 = re.compile(r"^116(\d{3})$")
_SEPARATORS = re.compile(r"[\s\-.()\u00a0]")
_DIALLABLE = re.compile(r"\+?\d{2,17}")


class NumberProblem(ValueError):
    """A number that cannot be stored, with a message fit to show the person who typed it."""


def _is_short_code(digits: str, country: str) -> bool:
    try:
        parsed = phonenumbers.parse(digits, country)
    except NumberParseException:
        return False
    return shortnumberinfo.is_valid_short_number_for_region(parsed, country)


def _national(digits: str, country: str) -> phonenumbers.PhoneNumber | None:
    try:
        parsed = phonenumbers.parse(digits, country)
    except NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number_for_region(parsed, country) else None


def normalize_number(value: str, country: str) -> str:
    """The form of ``value`` to store for a line in ``country`` (ISO 3166-1 alpha-2).

    Raises NumberProblem when it is not a real number or short code for that country.
    """
    text = (value or "").strip()
    if not text:
        raise NumberProblem("Enter a phone number or short code.")
    digits = _SEPARATORS.sub("", text)
    if not _DIALLABLE.fullmatch(digits):
        raise NumberProblem(
            "Use only digits, spaces, dashes, brackets and a leading +, "
            'for example "1-800-662-4357" or "+18006624357".'
        )
    if digits.startswith("+"):
        try:
            parsed = phonenumbers.parse(digits, None)
        except NumberParseException as error:
            raise NumberProblem(f"This is not a phone number ({error._msg}).") from None
        if not phonenumbers.is_valid_number(parsed):
            raise NumberProblem("This is not a valid phone number.")
        if not phonenumbers.is_valid_number_for_region(parsed, country):
            raise NumberProblem(f"This number is not a {country} number.")
        return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    for prefix in RELAY_PREFIXES.get(country, ()):
        rest = digits[len(prefix) :]
        valid_rest = rest and (_is_short_code(rest, country) or _national(rest, country))
        if digits.startswith(prefix) and valid_rest:
            return digits
    if _is_short_code(digits, country):
        return digits
    parsed = _national(digits, country)
    if parsed is None:
        try:
            possible = shortnumberinfo.is_possible_short_number_for_region(
                phonenumbers.parse(digits, country), country
            )
        except NumberParseException:
            possible = False
        if possible and len(digits) <= 6:
            raise NumberProblem(f"{text} is not a known short number in {country}.")
        raise NumberProblem(f"{text} is not a valid phone number in {country}.")
    if phonenumbers.can_be_internationally_dialled(parsed):
        return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    return digits  # only works inside the country: kept as people dial it


def display_number(value: str, country: str | None) -> str:
    """A stored number as people dial it in its country ("+18006624357" → "(800) 662-4357",
    "116123" → "116 123")."""
    harmonised = _HARMONISED_116.match(value)
    if harmonised:
        return f"116 {harmonised.group(1)}"
    try:
        if value.startswith("+"):
            parsed = phonenumbers.parse(value, None)
            same = country and phonenumbers.is_valid_number_for_region(parsed, country)
            style = PhoneNumberFormat.NATIONAL if same else PhoneNumberFormat.INTERNATIONAL
            return phonenumbers.format_number(parsed, style)
        if country:
            for prefix in RELAY_PREFIXES.get(country, ()):
                if value.startswith(prefix) and len(value) > len(prefix):
                    return f"{prefix} {display_number(value[len(prefix) :], country)}"
            if not _is_short_code(value, country) and _national(value, country):
                return phonenumbers.format_number(
                    phonenumbers.parse(value, country), PhoneNumberFormat.NATIONAL
                )
    except NumberParseException:
        pass
    return value
