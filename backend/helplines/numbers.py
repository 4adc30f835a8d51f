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
  followed by a number or short code that is itself valid, stored as dialled;
- a short code phonenumbers does not know yet, only when `short_codes.json` (beside this
  module) lists it for that country and kind, with the source that states it ("024" is in
  phonenumbers; Chile's "*4141" and Peru's "113" are in the file).

A number phonenumbers calls valid is still refused when it is a special number cut short:
"+353180045945" parses as a Dublin landline, but 1800 starts an Irish freephone number,
which has 10 digits after +353, and the message says so (issue 13).

Pure functions: no database, no Flask (the data file is read once per process).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import phonenumbers
from babel import Locale
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumberFormat,
    PhoneNumberType,
    shortnumberinfo,
)

SHORT_CODES = Path(__file__).resolve().parent / "short_codes.json"

# Text relay prefixes dialled before another number (Relay UK: "18001 111" for NHS 111).
RELAY_PREFIXES = {"GB": ("18001",)}
# Europe's harmonised "116" numbers of social value (116 123, 116 111 …) are written in two
# groups of three wherever they run; phonenumbers leaves short codes ungrouped.
_HARMONISED_116 = re.compile(r"^116(\d{3})$")
_SEPARATORS = re.compile(r"[\s\-.()\u00a0]")
_DIALLABLE = re.compile(r"\+?\d{2,17}")


# Number types a cut-short number may really be, with the words the message uses.
_SPECIAL_TYPES = (
    ("toll_free", PhoneNumberType.TOLL_FREE, "freephone"),
    ("shared_cost", PhoneNumberType.SHARED_COST, "shared-cost"),
    ("premium_rate", PhoneNumberType.PREMIUM_RATE, "premium-rate"),
    ("uan", PhoneNumberType.UAN, "national-rate"),
)


class NumberProblem(ValueError):
    """A number that cannot be stored, with a message fit to show the person who typed it."""


@cache
def known_short_codes() -> dict[tuple[str, str], frozenset[str]]:
    """{(country, code): kinds} from short_codes.json: short codes a source states that
    phonenumbers does not (yet) know."""
    data = json.loads(SHORT_CODES.read_text(encoding="utf-8"))
    return {(c["country"], c["code"]): frozenset(c["kinds"]) for c in data["codes"]}


def is_known_short_code(code: str, country: str, kind: str | None = None) -> bool:
    """Whether the data file lists ``code`` for ``country`` (and for ``kind``, if given)."""
    kinds = known_short_codes().get((country, code))
    return kinds is not None and (kind is None or kind in kinds)


def _country_name(country: str) -> str:
    return Locale("en").territories.get(country, country)


def _cut_short(parsed: phonenumbers.PhoneNumber, text: str, country: str) -> str | None:
    """A message when a valid-looking number is the start of a longer special number (a
    freephone number with a digit missing reads as a landline in some countries)."""
    metadata = PhoneMetadata.metadata_for_region(country)
    if metadata is None:
        return None
    national = phonenumbers.national_significant_number(parsed)
    own_type = phonenumbers.number_type(parsed)
    for attribute, number_type, words in _SPECIAL_TYPES:
        desc = getattr(metadata, attribute)
        if desc is None or not desc.national_number_pattern or own_type == number_type:
            continue
        for length in sorted(desc.possible_length):
            if length <= len(national):
                continue
            padded = (national + digit * (length - len(national)) for digit in "0123456789")
            if any(re.fullmatch(desc.national_number_pattern, p) for p in padded):
                return (
                    f"{text} looks like a {words} number cut short: "
                    f"in {_country_name(country)} those have {length} digits after "
                    f"+{parsed.country_code}, and this one has {len(national)}."
                )
    return None


def _invalid(parsed: phonenumbers.PhoneNumber, text: str, country: str) -> str:
    """Why a parsed number is not valid, naming the lengths the country uses."""
    region = phonenumbers.region_code_for_country_code(parsed.country_code)
    metadata = PhoneMetadata.metadata_for_region(region) if region else None
    national = phonenumbers.national_significant_number(parsed)
    if metadata is None or not metadata.general_desc.possible_length:
        return f"{text} is not a valid phone number in {country}."
    lengths = sorted(metadata.general_desc.possible_length)
    name, code = _country_name(region), f"+{parsed.country_code}"
    if len(national) in lengths:
        return (
            f"{text} is not a valid phone number in {name}: it has {len(national)} digits "
            f"after {code}, a length numbers there can have, but no number there starts this way."
        )
    expected = f"{lengths[0]}" if len(lengths) == 1 else f"{lengths[0]} to {lengths[-1]}"
    return (
        f"{text} is not a valid phone number in {name}: numbers there have {expected} digits "
        f"after {code}, and this one has {len(national)}."
    )


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


def normalize_number(value: str, country: str, kind: str | None = None) -> str:
    """The form of ``value`` to store for a line in ``country`` (ISO 3166-1 alpha-2).

    ``kind`` ("call" or "text") matters only for short codes from short_codes.json. Raises
    NumberProblem when it is not a real number or short code for that country.
    """
    text = (value or "").strip()
    if not text:
        raise NumberProblem("Enter a phone number or short code.")
    digits = _SEPARATORS.sub("", text)
    if is_known_short_code(digits, country, kind):
        return digits
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
            raise NumberProblem(_invalid(parsed, text, country))
        if not phonenumbers.is_valid_number_for_region(parsed, country):
            raise NumberProblem(f"This number is not a {country} number.")
        _refuse_cut_short(parsed, text, country)
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
            attempt = phonenumbers.parse(digits, country)
        except NumberParseException:
            raise NumberProblem(f"{text} is not a valid phone number in {country}.") from None
        if shortnumberinfo.is_possible_short_number_for_region(attempt, country) and (
            len(digits) <= 6
        ):
            raise NumberProblem(f"{text} is not a known short number in {country}.")
        raise NumberProblem(_invalid(attempt, text, country))
    _refuse_cut_short(parsed, text, country)
    if phonenumbers.can_be_internationally_dialled(parsed):
        return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    return digits  # only works inside the country: kept as people dial it


def _refuse_cut_short(parsed: phonenumbers.PhoneNumber, text: str, country: str) -> None:
    problem = _cut_short(parsed, text, country)
    if problem:
        raise NumberProblem(problem)


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
