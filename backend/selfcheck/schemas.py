"""Schemas for the checklist API (documented in /api/openapi.json)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

LANGUAGES = ("en", "es")


class ChecklistQuery(Schema):
    """`?lang=` picks the language of the words; the rules are the same for all."""

    lang = fields.String(
        load_default="en",
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Language of the checklist text (BCP 47 code)."},
    )


class OptionSchema(Schema):
    id = fields.String(required=True)
    label = fields.String(required=True)


class QuestionSchema(Schema):
    id = fields.String(required=True)
    text = fields.String(required=True)
    hint = fields.String(allow_none=True)
    sign = fields.String(required=True, metadata={"description": "Short label for summaries."})
    options = fields.List(fields.Nested(OptionSchema), required=True)


class SectionSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    note = fields.String(allow_none=True)
    questions = fields.List(fields.Nested(QuestionSchema), required=True)


class ChecklistSchema(Schema):
    """The checklist words for one language, with the scoring rules for the device."""

    lang = fields.String(required=True)
    version = fields.Integer(required=True)
    title = fields.String(required=True)
    intro = fields.String(required=True)
    sections = fields.List(fields.Nested(SectionSchema), required=True)
    rules = fields.Dict(
        required=True,
        metadata={"description": "Points, bands, red flags and steps (see rules.json)."},
    )
