"""The one helpline schema: the API, the console's form and every import row pass through it.

`HelplineSchema().load(data)` returns a dict ready for the service (numbers in their stored
form, see numbers.py; hours in the shape hours.py reads) or raises ValidationError with a
message per field. Nested errors name the place: {"contacts": {0: {"value": [...]}}}.
A `source` object ({"url", "status", "checked_on"}, as the seed file has it) is accepted
in place of the flat `source_url`, `source_status` and `checked_on`.
"""

from __future__ import annotations

import re
from datetime import UTC

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from backend.email_addresses import is_plain_email
from backend.helplines.models import AUDIENCES, CONTACT_KINDS, SOURCE_STATUSES, STATUSES, TOPICS
from backend.helplines.numbers import NumberProblem, normalize_number
from backend.helplines.schema_fields import (
    BCP47,
    COUNTRY_CODES,
    CountryCode,
    HoursSchema,
    LanguageTag,
    Translated,
    language_tag,
)

__all__ = [
    "ContactSchema",
    "HelplineQuerySchema",
    "HelplineSchema",
    "PublicHelplineSchema",
    "language_tag",
]

_REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
_KEYWORD = re.compile(r"^\w[\w -]*$")


class ContactSchema(Schema):
    """One way to reach a line: call, text, chat, web or email."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(CONTACT_KINDS, error="Use one of: " + ", ".join(CONTACT_KINDS)),
    )
    value = fields.String(required=True, validate=validate.Length(1, 500))
    keyword = fields.String(
        load_default=None,
        allow_none=True,
        validate=[
            validate.Length(max=40),
            validate.Regexp(_KEYWORD, error="Letters, digits, spaces and dashes only."),
        ],
    )
    audience = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(AUDIENCES, error="Use one of: " + ", ".join(AUDIENCES)),
        metadata={"description": "Who the contact is for, when not everyone (deaf: TTY/relay)."},
    )
    note = Translated(max_length=300, load_default=None, allow_none=True)
    languages = fields.List(
        LanguageTag(),
        load_default=list,
        validate=validate.Length(max=20, error="At most 20 languages."),
    )
    hours = fields.Nested(HoursSchema, load_default=None, allow_none=True)

    @validates_schema
    def _value_fits_kind(self, data, **kwargs):
        kind, value = data["kind"], data["value"].strip()
        if data.get("keyword") and kind != "text":
            raise ValidationError("Only a text contact has a keyword.", "keyword")
        if kind in ("chat", "web"):
            try:
                validate.URL(schemes={"https"}, require_tld=True)(value)
            except ValidationError:
                raise ValidationError(
                    "Give a full https:// address, like https://example.org/chat.", "value"
                ) from None
        elif kind == "email" and not is_plain_email(value):
            # Plain addresses only: one with "?" or "&" would add headers to its mailto: link
            # (L10, issue 9; backend/email_addresses.py).
            raise ValidationError("Give a valid e-mail address.", "value")
        if len(set(data["languages"])) != len(data["languages"]):
            raise ValidationError("A language is listed twice.", "languages")

    @post_load
    def _tidy(self, data, **kwargs):
        data["value"] = data["value"].strip()
        data["keyword"] = (data.get("keyword") or "").strip() or None
        return data


class HelplineSchema(Schema):
    """A helpline with its contact methods (API, console form and import rows)."""

    id = fields.UUID()
    name = Translated(max_length=200, english_required=True, required=True)
    description = Translated(max_length=2000, load_default=dict)
    country = CountryCode(required=True)
    regions = fields.List(
        fields.String(
            validate=validate.Regexp(_REGION, error='Use ISO 3166-2 codes like "US-CA".')
        ),
        load_default=list,
        validate=validate.Length(max=60),
    )
    topics = fields.List(
        fields.String(
            validate=validate.OneOf(TOPICS, error="Unknown topic. Use one of: " + ", ".join(TOPICS))
        ),
        load_default=list,
    )
    status = fields.String(
        load_default="active",
        validate=validate.OneOf(STATUSES, error="Use one of: " + ", ".join(STATUSES)),
    )
    free = fields.Boolean(load_default=None, allow_none=True)
    confidential = fields.Boolean(load_default=None, allow_none=True)
    priority = fields.Integer(
        load_default=0, validate=validate.Range(0, 99, error="Use 0 (none) to 99.")
    )
    alert = Translated(max_length=500, load_default=None, allow_none=True)
    # A reference for operators, not a link people follow for help: the address of the page
    # as it was read, http or https.
    source_url = fields.Url(
        schemes={"https", "http"},
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=500),
    )
    source_status = fields.String(
        load_default="unconfirmed",
        validate=validate.OneOf(SOURCE_STATUSES, error="Use one of: " + ", ".join(SOURCE_STATUSES)),
    )
    checked_on = fields.Date(load_default=None, allow_none=True)
    contacts = fields.List(
        fields.Nested(ContactSchema),
        required=True,
        validate=validate.Length(1, 20, error="Give between 1 and 20 ways to reach the line."),
    )
    # Kept by the service, never taken from input.
    verified_on = fields.Date(dump_only=True, allow_none=True)
    verified_by = fields.String(dump_only=True, allow_none=True)
    changed_on = fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "A contact or the status changed on this day, after the "
            "last verification: not yet re-checked."
        },
    )
    needs_translation = fields.List(
        fields.String(),
        dump_only=True,
        metadata={"description": "Texts whose Spanish is older than the English."},
    )
    archived_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    modified_at = fields.AwareDateTime(dump_only=True)

    @pre_load
    def _flatten_source(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("source"), dict):
            data = dict(data)
            source = data.pop("source")
            for key, flat in (("url", "source_url"), ("status", "source_status")):
                if key in source:
                    data.setdefault(flat, source[key])
            if "checked_on" in source:
                data.setdefault("checked_on", source["checked_on"])
        return data

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _fits_country(self, data, original, **kwargs):
        country = data.get("country")
        errors: dict = {}
        if country:
            bad = [r for r in data.get("regions") or [] if not r.startswith(country + "-")]
            if bad:
                errors["regions"] = [f"Not a region of {country}: {', '.join(bad)}."]
            errors.update(self._number_errors(country, original))
        if len(set(data.get("topics") or [])) != len(data.get("topics") or []):
            errors.setdefault("topics", []).append("A topic is listed twice.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _number_errors(country: str, original) -> dict:
        contacts = original.get("contacts") if isinstance(original, dict) else None
        if not isinstance(contacts, list):
            return {}
        problems, seen = {}, {}
        for index, contact in enumerate(contacts):
            if not isinstance(contact, dict) or not isinstance(contact.get("value"), str):
                continue
            if contact.get("kind") in ("call", "text"):
                try:
                    normalize_number(contact["value"], country, contact.get("kind"))
                except NumberProblem as problem:
                    problems[index] = {"value": [str(problem)]}
                    continue
            key = (contact.get("kind"), contact["value"].strip(), contact.get("keyword"))
            if key in seen:
                problems[index] = {"value": [f"The same as contact {seen[key] + 1}."]}
            seen.setdefault(key, index)
        return {"contacts": problems} if problems else {}

    @post_load
    def _stored_numbers(self, data, **kwargs):
        if "contacts" in data and "country" in data:
            for contact in data["contacts"]:
                if contact["kind"] in ("call", "text"):
                    contact["value"] = normalize_number(
                        contact["value"], data["country"], contact["kind"]
                    )
        return data


class PublicHelplineSchema(HelplineSchema):
    """A helpline as the public API shows it: operators' names stay inside the console."""

    class Meta:
        exclude = ("verified_by",)


class HelplineQuerySchema(Schema):
    """The list filters (`GET /api/v1/helplines`).

    Documented exactly (an enum of countries, patterns for region and language), so what
    the OpenAPI document allows is what the API accepts. A well-formed language tag we do
    not know matches only lines whose languages are unknown.
    """

    class Meta:
        unknown = EXCLUDE  # ?lang= and cache-busting parameters are not filters

    country = CountryCode(metadata={"enum": COUNTRY_CODES})
    region = fields.String(validate=validate.Regexp(_REGION, error='Use a code like "US-CA".'))
    topic = fields.String(validate=validate.OneOf(TOPICS, error="Use one of: " + ", ".join(TOPICS)))
    contact = fields.String(
        validate=validate.OneOf(CONTACT_KINDS, error="Use one of: " + ", ".join(CONTACT_KINDS))
    )
    language = fields.String(
        validate=validate.Regexp(BCP47, error='Use a language tag like "en", "es" or "es-MX".')
    )
    open_now = fields.Boolean()
    q = fields.String(validate=validate.Length(1, 100))
    modified_after = fields.AwareDateTime(default_timezone=UTC)  # naive = UTC
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 100))
