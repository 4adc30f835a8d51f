"""A helpline as one flat row of text cells, and back: the CSV export and import, and the
Steady fields an HSDS export carries as attributes.

No cell holds JSON (issue 13): per-language texts have a column per language (`name_en`,
`name_es`), lists are separated by ";" (`regions`, `topics`, a contact's `languages`), and
each contact has its own columns, `contact1_kind`, `contact1_value` … `contact1_timezone`,
then `contact2_…`. A contact's `hours` cell is empty (not known), `24/7`, or weekly hours
as the console takes them, lines separated by ";" ("Mon-Fri 09:00-17:00; Sat 10:00-14:00"),
with the IANA zone in `timezone`. Flags are true/false (yes/no and 1/0 are read too).
"""

from __future__ import annotations

import re

from backend.helplines.hours_text import format_hours, parse_hours

LINE_COLUMNS = (
    "id",
    "country",
    "regions",
    "name_en",
    "name_es",
    "description_en",
    "description_es",
    "topics",
    "status",
    "free",
    "confidential",
    "priority",
    "alert_en",
    "alert_es",
    "source_url",
    "source_status",
    "checked_on",
)
CONTACT_COLUMNS = (
    "kind",
    "value",
    "keyword",
    "audience",
    "languages",
    "note_en",
    "note_es",
    "hours",
    "timezone",
)
# Written by the export, ignored by the import (the service keeps them).
READ_ONLY_COLUMNS = (
    "verified_on",
    "verified_by",
    "changed_on",
    "needs_translation",
    "archived_at",
    "version",
    "modified_at",
)
TRANSLATED = ("name", "description", "alert")
LISTS = ("regions", "topics")
FLAGS = ("free", "confidential")
ALWAYS_OPEN = "24/7"
MAX_CONTACTS = 20
_CONTACT_COLUMN = re.compile(r"^contact([1-9]\d?)_([a-z_]+)$")
_TRUTH = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def contact_columns(count: int) -> list[str]:
    """The columns of ``count`` contacts, in order."""
    return [f"contact{n}_{name}" for n in range(1, count + 1) for name in CONTACT_COLUMNS]


def contact_column(name: str) -> tuple[int, str] | None:
    """(contact number from 1, field) for a column like "contact2_value", else None."""
    match = _CONTACT_COLUMN.match(name)
    if not match or match.group(2) not in CONTACT_COLUMNS:
        return None
    return int(match.group(1)), match.group(2)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def hours_cell(hours: dict | None) -> tuple[str, str]:
    """(hours, timezone) cells for stored hours."""
    if hours is None:
        return "", ""
    if hours.get("always_open"):
        return ALWAYS_OPEN, ""
    return format_hours(hours.get("periods")).replace("\n", "; "), hours.get("timezone") or ""


def row_from_item(item: dict, columns: list[str]) -> dict[str, str]:
    """A helpline in the API's shape as a row of text cells for ``columns``."""
    row: dict[str, str] = {}
    for column in columns:
        head, _, lang = column.partition("_")
        numbered = contact_column(column)
        if numbered:
            continue
        if head in TRANSLATED and lang in ("en", "es"):
            row[column] = (item.get(head) or {}).get(lang, "")
        elif column in (*LISTS, "needs_translation"):
            row[column] = ";".join(item.get(column) or [])
        else:
            row[column] = _text(item.get(column))
    for index, contact in enumerate(item.get("contacts") or []):
        prefix = f"contact{index + 1}_"
        hours, zone = hours_cell(contact.get("hours"))
        cells = {
            "kind": contact.get("kind"),
            "value": contact.get("value"),
            "keyword": contact.get("keyword"),
            "audience": contact.get("audience"),
            "languages": ";".join(contact.get("languages") or []),
            "note_en": (contact.get("note") or {}).get("en"),
            "note_es": (contact.get("note") or {}).get("es"),
            "hours": hours,
            "timezone": zone,
        }
        for name, value in cells.items():
            if prefix + name in columns:
                row[prefix + name] = _text(value)
    return row


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _hours(hours: str, zone: str, problems: list[str]):
    if not hours:
        return None
    if hours.replace(" ", "").lower() in (ALWAYS_OPEN, "24h", "always"):
        return {"always_open": True}
    parsed = parse_hours("\n".join(hours.split(";")))
    problems.extend(parsed.problems)
    return {"always_open": False, "timezone": zone or None, "periods": parsed.periods}


def _contacts(cells: dict[str, str], errors: dict[str, list[str]]) -> list[dict]:
    by_number: dict[int, dict[str, str]] = {}
    for column, text in cells.items():
        numbered = contact_column(column)
        if numbered:
            by_number.setdefault(numbered[0], {})[numbered[1]] = text.strip()
    contacts = []
    for number in sorted(by_number):
        fields = by_number[number]
        if not any(fields.values()):
            continue  # an unused block of columns
        problems: list[str] = []
        note = {lang: fields.get(f"note_{lang}") for lang in ("en", "es")}
        contacts.append(
            {
                "kind": fields.get("kind", ""),
                "value": fields.get("value", ""),
                "keyword": fields.get("keyword") or None,
                "audience": fields.get("audience") or None,
                "languages": _split(fields.get("languages", "")),
                "note": {k: v for k, v in note.items() if v} or None,
                "hours": _hours(fields.get("hours", ""), fields.get("timezone", ""), problems),
            }
        )
        if problems:
            errors[f"contact{number}_hours"] = problems
    return contacts


def item_from_row(cells: dict[str, str]) -> tuple[dict, dict[str, list[str]]]:
    """A row of text cells as a helpline in the API's shape, and the problems reading it
    (by column). Read-only and unknown columns are ignored here; the reader checks them."""
    data: dict = {}
    errors: dict[str, list[str]] = {}
    for column, raw in cells.items():
        text = (raw or "").strip()
        head, _, lang = column.partition("_")
        if column in READ_ONLY_COLUMNS or contact_column(column):
            continue
        if head in TRANSLATED and lang in ("en", "es"):
            if text:
                data.setdefault(head, {})[lang] = text
        elif column in LISTS:
            data[column] = _split(text)
        elif column in FLAGS:
            data[column] = _TRUTH.get(text.lower(), text) if text else None
        elif text:
            data[column] = text
    data["contacts"] = _contacts(cells, errors)
    return data, errors


def column_of(path: str) -> str:
    """A schema error path as the column it came from ("contacts.0.value" →
    "contact1_value", "name.en" → "name_en")."""
    parts = path.split(".")
    if parts[0] in TRANSLATED and len(parts) > 1:
        return f"{parts[0]}_{parts[1]}"
    if parts[0] in LISTS:
        return parts[0]
    if parts[0] == "contacts" and len(parts) > 1 and parts[1].isdigit():
        number = int(parts[1]) + 1
        field = parts[2] if len(parts) > 2 else "kind"
        if field == "note" and len(parts) > 3 and parts[3] in ("en", "es"):
            return f"contact{number}_note_{parts[3]}"
        if field == "hours" and len(parts) > 3 and parts[3] == "timezone":
            return f"contact{number}_timezone"
        return f"contact{number}_{field if field in CONTACT_COLUMNS else 'kind'}"
    return path
