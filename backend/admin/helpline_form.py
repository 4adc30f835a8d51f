"""The helpline form: up to six contact rows, hours typed as lines, one schema behind it.

WTForms draws the fields and carries the CSRF token; HelplineSchema (the same schema as
the API and imports) does all the validating. `form_to_data` turns the posted fields into
the schema's input; helpline_errors.py turns the schema's nested errors back into
messages on the fields that caused them.
"""

from __future__ import annotations

from functools import cache

import phonenumbers
from babel import Locale
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)

from backend.helplines.hours_text import ParsedHours, format_hours, parse_hours
from backend.helplines.models import SOURCE_STATUSES, STATUSES, TOPICS

# Six rows on a new form; a line with more keeps them all, plus one empty row (the schema
# allows 20).
MAX_CONTACTS = 6
MOST_CONTACTS = 20
KINDS = [
    ("", "Not used"),
    ("call", "Call"),
    ("text", "Text"),
    ("chat", "Chat"),
    ("web", "Website"),
    ("email", "E-mail"),
]
HOURS_MODES = [
    ("unknown", "Not known"),
    ("always", "Always open (24/7)"),
    ("weekly", "Weekly hours"),
]
AUDIENCE_CHOICES = [
    ("", "Everyone"),
    ("deaf", "Deaf or hard of hearing (TTY, textphone, relay)"),
    ("youth", "Children and young people"),
    ("family", "Family and friends"),
    ("professionals", "Professionals"),
]
YES_NO = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


def label_of(code: str) -> str:
    """A stored identifier as words ("substance_use" → "Substance use")."""
    return code.replace("_", " ").replace("-", " ").capitalize()


@cache
def country_choices() -> list[tuple[str, str]]:
    names = Locale("en").territories
    regions = sorted(phonenumbers.SUPPORTED_REGIONS, key=lambda c: names.get(c, c))
    return [("", "Choose a country")] + [(c, f"{names.get(c, c)} ({c})") for c in regions]


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ContactForm(Form):
    """One way to reach the line; a row with neither kind nor value is left out."""

    kind = SelectField("How", choices=dict(KINDS), validate_choice=False)
    value = StringField(
        "Number, short code or address",
        description="Numbers as dialled in the line's country, or +E.164.",
    )
    keyword = StringField("Keyword to text", description="Text lines only, if there is one.")
    audience = SelectField("For", choices=dict(AUDIENCE_CHOICES), validate_choice=False)
    languages = StringField("Languages", description="Comma-separated, like: en, es-MX")
    note_en = StringField("Note (English)")
    note_es = StringField("Note (Spanish)")
    hours_mode = SelectField("Hours", choices=dict(HOURS_MODES), validate_choice=False)
    timezone = StringField(
        "Time zone",
        description="IANA name, like America/New_York.",
        render_kw={"list": "time-zones", "autocomplete": "off"},
    )
    hours = TextAreaField(
        "Weekly hours",
        render_kw={"rows": 4},
        description='One line each, like "Mon-Fri 09:00-17:00" or '
        '"Sat 22:00-02:00" (crosses midnight).',
    )


class HelplineForm(FlaskForm):
    """Everything about a helpline; `version` is the version the person started from."""

    version = HiddenField()
    name_en = StringField("Name (English)")
    name_es = StringField("Name (Spanish)")
    description_en = TextAreaField("Description (English)", render_kw={"rows": 3})
    description_es = TextAreaField("Description (Spanish)", render_kw={"rows": 3})
    country = SelectField("Country", choices=lambda: dict(country_choices()), validate_choice=False)
    regions = StringField(
        "Regions",
        description='ISO 3166-2, comma-separated, like "US-CA". '
        "Leave empty when it serves the whole country.",
    )
    topics = CheckboxesField(
        "Topics", choices={t: label_of(t) for t in TOPICS}, validate_choice=False
    )
    status = SelectField(
        "Status", choices={s: label_of(s) for s in STATUSES}, validate_choice=False
    )
    free = SelectField("Free to use", choices=dict(YES_NO), validate_choice=False)
    confidential = SelectField("Confidential", choices=dict(YES_NO), validate_choice=False)
    priority = StringField(
        "Priority",
        description="0 for none; 1 and 2 are shown first in crisis help for the country.",
        render_kw={"inputmode": "numeric"},
    )
    alert_en = StringField(
        "Short alert (English)", description="Only for news people need now, like a changed number."
    )
    alert_es = StringField("Short alert (Spanish)")
    source_url = StringField("Source", description="The https:// page the details come from.")
    source_status = SelectField(
        "Source kind", choices={s: label_of(s) for s in SOURCE_STATUSES}, validate_choice=False
    )
    checked_on = StringField(
        "Source checked on", description="YYYY-MM-DD", render_kw={"type": "date"}
    )
    contacts = FieldList(
        FormField(ContactForm), min_entries=MAX_CONTACTS, max_entries=MOST_CONTACTS
    )


def _words(en: str | None, es: str | None) -> dict:
    return {lang: text.strip() for lang, text in (("en", en), ("es", es)) if text and text.strip()}


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def form_to_data(form: HelplineForm) -> tuple[dict, dict, list[int], dict[int, ParsedHours]]:
    """The schema's input from the posted form, with the problems found on the way.

    Returns (data, problems by field id, the form row of each contact, parsed hours by row).
    """
    problems: dict[str, list[str]] = {}
    alert = _words(form.alert_en.data, form.alert_es.data)
    data = {
        "name": _words(form.name_en.data, form.name_es.data),
        "description": _words(form.description_en.data, form.description_es.data),
        "country": form.country.data or "",
        "regions": [r.upper() for r in _split(form.regions.data)],
        "topics": list(form.topics.data or []),
        "status": form.status.data,
        "free": _yes_no(form.free.data),
        "confidential": _yes_no(form.confidential.data),
        "priority": (form.priority.data or "").strip() or 0,
        "alert": alert or None,
        "source_url": (form.source_url.data or "").strip() or None,
        "source_status": form.source_status.data,
        "checked_on": (form.checked_on.data or "").strip() or None,
        "contacts": [],
    }
    rows: list[int] = []
    parsed: dict[int, ParsedHours] = {}
    for index, entry in enumerate(form.contacts.entries):
        row = entry.form
        if not (row.kind.data or (row.value.data or "").strip()):
            continue
        if not row.kind.data:
            problems[row.kind.id] = ["Choose how people reach the line this way."]
            continue
        contact = {
            "kind": row.kind.data,
            "value": (row.value.data or "").strip(),
            "keyword": (row.keyword.data or "").strip() or None,
            "audience": row.audience.data or None,
            "languages": _split(row.languages.data),
            "note": _words(row.note_en.data, row.note_es.data) or None,
            "hours": None,
        }
        if row.hours_mode.data == "always":
            contact["hours"] = {"always_open": True}
        elif row.hours_mode.data == "weekly":
            hours = parse_hours(row.hours.data)
            parsed[index] = hours
            if hours.problems:
                problems[row.hours.id] = hours.problems
            contact["hours"] = {
                "always_open": False,
                "timezone": (row.timezone.data or "").strip(),
                "periods": hours.periods,
            }
        rows.append(index)
        data["contacts"].append(contact)
    return data, problems, rows, parsed


def line_to_form_data(line) -> dict:
    """A stored helpline as the form's data (for editing, and to compare in a conflict)."""

    def contact(c) -> dict:
        hours = c.hours
        mode = "unknown" if hours is None else ("always" if hours.get("always_open") else "weekly")
        return {
            "kind": c.kind,
            "value": c.value,
            "keyword": c.keyword or "",
            "audience": c.audience or "",
            "languages": ", ".join(c.languages or []),
            "note_en": (c.note or {}).get("en", ""),
            "note_es": (c.note or {}).get("es", ""),
            "hours_mode": mode,
            "timezone": (hours or {}).get("timezone") or "",
            "hours": format_hours((hours or {}).get("periods")) if mode == "weekly" else "",
        }

    yes_no = {True: "yes", False: "no", None: ""}
    contacts = [contact(c) for c in line.contacts]
    if len(contacts) >= MAX_CONTACTS and len(contacts) < MOST_CONTACTS:
        contacts.append({"kind": "", "hours_mode": "unknown"})
    return {
        "version": str(line.version),
        "name_en": line.name.get("en", ""),
        "name_es": line.name.get("es", ""),
        "description_en": (line.description or {}).get("en", ""),
        "description_es": (line.description or {}).get("es", ""),
        "country": line.country,
        "regions": ", ".join(line.regions or []),
        "topics": list(line.topics or []),
        "status": line.status,
        "free": yes_no[line.free],
        "confidential": yes_no[line.confidential],
        "priority": str(line.priority or 0),
        "alert_en": (line.alert or {}).get("en", ""),
        "alert_es": (line.alert or {}).get("es", ""),
        "source_url": line.source_url or "",
        "source_status": line.source_status,
        "checked_on": line.checked_on.isoformat() if line.checked_on else "",
        "contacts": contacts,
    }
