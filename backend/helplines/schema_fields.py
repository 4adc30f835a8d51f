"""Field types and the opening-hours schema that HelplineSchema is built from.

Per-language text, ISO country codes, BCP 47 language tags, and hours: always open, or
weekly periods in an IANA time zone where a ``closes`` earlier than ``opens`` crosses
midnight and ``closes == opens`` is refused (hours.py reads the result).
"""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

import phonenumbers
from babel import Locale
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from backend.helplines import hours as opening_hours
from backend.wall_clock import CLOSING_TIME, HH_MM

TEXT_LANGUAGES = ("en", "es")  # the languages Steady's own words are written in
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BCP47 = re.compile(r"^([a-zA-Z]{2,3})(?:-([a-zA-Z]{4}))?(?:-([a-zA-Z]{2}|\d{3}))?$")


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _known_languages() -> frozenset[str]:
    return frozenset(code for code in Locale("en").languages if "_" not in code)


def language_tag(value: str) -> str:
    """A BCP 47 tag (language, optional script and region) in its canonical case.

    Raises ValidationError for a malformed tag or a language ISO 639 does not have.
    """
    match = BCP47.match(value or "")
    if not match:
        raise ValidationError(f'"{value}" is not a language tag like "en", "es" or "es-MX".')
    language, script, region = match.groups()
    if language.lower() not in _known_languages():
        raise ValidationError(f'"{value}" is not a known language.')
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


class LanguageTag(fields.String):
    """A BCP 47 language tag ("en", "es-MX", "zh-Hant")."""

    def _deserialize(self, value, attr, data, **kwargs):
        return language_tag(super()._deserialize(value, attr, data, **kwargs))


COUNTRY_CODES = sorted(phonenumbers.SUPPORTED_REGIONS)


class CountryCode(fields.String):
    """An ISO 3166-1 alpha-2 country code, upper-cased."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if code == "UK":
            raise ValidationError('Use "GB" for the United Kingdom (ISO 3166-1).')
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationError(f'"{code}" is not an ISO 3166-1 country code like "US".')
        return code


class Translated(fields.Field):
    """Text per language: {"en": "…", "es": "…"}; empty texts are left out."""

    def __init__(self, *, max_length: int, english_required: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.english_required = english_required

    def _serialize(self, value, attr, obj, **kwargs):
        return value

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError('Give the text per language, like {"en": "…", "es": "…"}.')
        errors, texts = {}, {}
        for lang, text in value.items():
            if lang not in TEXT_LANGUAGES:
                errors[lang] = [f"Unknown language: use {', '.join(TEXT_LANGUAGES)}."]
            elif text is None:
                continue
            elif not isinstance(text, str):
                errors[lang] = ["Not a valid string."]
            elif len(text.strip()) > self.max_length:
                errors[lang] = [f"Longer than {self.max_length} characters."]
            elif text.strip():
                texts[lang] = text.strip()
        if self.english_required and "en" not in texts and "en" not in errors:
            errors["en"] = ["The English text is required."]
        if errors:
            raise ValidationError(errors)
        return texts or (None if self.allow_none else {})


class PeriodSchema(Schema):
    """One weekly opening period; ``closes`` before ``opens`` crosses midnight."""

    day = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, 6, error="Use 0 (Monday) to 6 (Sunday)."),
    )
    opens = fields.String(
        required=True, validate=validate.Regexp(HH_MM, error="Use HH:MM, from 00:00 to 23:59.")
    )
    closes = fields.String(
        required=True,
        validate=validate.Regexp(CLOSING_TIME, error="Use HH:MM, from 00:00 to 24:00."),
    )

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if data["opens"] == data["closes"]:
            raise ValidationError(
                "A period cannot close at the time it opens. For a period that crosses "
                "midnight, give a closing time earlier than the opening time.",
                "closes",
            )


class HoursSchema(Schema):
    """Always open, or weekly periods in an IANA time zone."""

    always_open = fields.Boolean(required=True, truthy={True}, falsy={False})
    timezone = fields.String(load_default=None)
    periods = fields.List(
        fields.Nested(PeriodSchema),
        load_default=None,
        validate=validate.Length(max=50, error="At most 50 periods."),
    )

    @validates_schema(skip_on_field_errors=False)
    def _coherent(self, data, **kwargs):
        if "always_open" not in data:
            return  # already reported
        if data["always_open"]:
            if data.get("periods"):
                raise ValidationError("Leave out the periods when it is always open.", "periods")
            return
        errors: dict = {}
        if not data.get("timezone"):
            errors["timezone"] = ["Give the IANA time zone of these hours, like Europe/Madrid."]
        elif data["timezone"] not in _known_zones():
            errors["timezone"] = [f'"{data["timezone"]}" is not an IANA time zone.']
        # Periods with their own errors come back incomplete (or closing as they open):
        # overlaps are only worked out once every period is sound.
        periods = data.get("periods") or []
        sound = all(
            isinstance(p, dict)
            and {"day", "opens", "closes"} <= p.keys()
            and p["opens"] != p["closes"]
            for p in periods
        )
        if "periods" in data and sound:
            if not periods:
                errors["periods"] = ["Give at least one period, or mark it always open."]
            clashes: dict[int, list[str]] = {}
            for first, second in opening_hours.overlapping_periods(periods):
                p = periods[first]
                clashes.setdefault(second, []).append(
                    f"Overlaps period {first + 1} ({DAY_NAMES[p['day']]} "
                    f"{p['opens']}–{p['closes']})."
                )
            if clashes:
                errors["periods"] = clashes
        if errors:
            raise ValidationError(errors)

    @post_load
    def _stored_shape(self, data, **kwargs):
        if data["always_open"]:
            return {"always_open": True}
        periods = sorted(data["periods"], key=lambda p: (p["day"], p["opens"], p["closes"]))
        return {"always_open": False, "timezone": data["timezone"], "periods": periods}
