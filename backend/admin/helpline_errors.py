"""The schema's errors on the helpline form's own fields.

HelplineSchema answers with nested errors ({"contacts": {2: {"hours": {"periods": {3: …}}}}});
the person needs each message beside the box they typed in: a contact's fourth period is
reported on that contact's hours box as "Line n: …", where n is the line they wrote it on.
"""

from __future__ import annotations

from backend.helplines.hours_text import ParsedHours
from backend.helplines.records import EDITABLE_FIELDS

TRANSLATED = ("name", "description", "alert")
PLAIN = tuple(name for name in EDITABLE_FIELDS if name not in TRANSLATED)


def messages(value) -> list[str]:
    """Every message in a (possibly nested) marshmallow error value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [m for inner in value.values() for m in messages(inner)]
    return [m for inner in value or [] for m in messages(inner)]


def _add(problems: dict, field_id: str, found: list[str]) -> None:
    problems.setdefault(field_id, []).extend(m for m in found if m not in problems[field_id])


def _contact_problems(problems, row, errors, hours: ParsedHours | None) -> None:
    for key, value in errors.items():
        if key == "note":
            lang_keys = isinstance(value, dict) and set(value) <= {"en", "es"}
            for lang, inner in value.items() if lang_keys else [("en", value)]:
                _add(problems, getattr(row, f"note_{lang}").id, messages(inner))
        elif key == "hours" and isinstance(value, dict):
            for part, inner in value.items():
                if part == "timezone":
                    _add(problems, row.timezone.id, messages(inner))
                elif part == "periods" and isinstance(inner, dict) and hours:
                    for period, found in sorted(inner.items()):
                        line = hours.line_of_period[int(period)]
                        _add(problems, row.hours.id, [f"Line {line}: {m}" for m in messages(found)])
                elif part == "always_open":
                    _add(problems, row.hours_mode.id, messages(inner))
                else:
                    _add(problems, row.hours.id, messages(inner))
        elif key in ("kind", "value", "keyword", "languages", "hours"):
            _add(problems, getattr(row, key).id, messages(value))
        else:
            _add(problems, row.kind.id, messages(value))


def field_problems(form, errors: dict, rows: list[int], parsed: dict) -> dict:
    """The schema's errors as {field id: [messages]} on the form's own fields."""
    problems: dict[str, list[str]] = {}
    for key, value in errors.items():
        if key in TRANSLATED:
            lang_keys = isinstance(value, dict) and set(value) <= {"en", "es"}
            for lang, inner in value.items() if lang_keys else [("en", value)]:
                _add(problems, f"{key}_{lang}", messages(inner))
        elif key in PLAIN:
            _add(problems, getattr(form, key).id, messages(value))
        elif key == "contacts" and isinstance(value, dict):
            for index, inner in value.items():
                row_index = rows[int(index)]
                row = form.contacts.entries[row_index].form
                if isinstance(inner, dict):
                    _contact_problems(problems, row, inner, parsed.get(row_index))
                else:
                    _add(problems, row.kind.id, messages(inner))
        elif key == "contacts":
            _add(problems, form.contacts.entries[0].form.kind.id, messages(value))
        else:
            _add(problems, "name_en", messages(value))
    return problems


def in_form_order(form, problems: dict) -> list[tuple[str, str]]:
    """(field id, "Label: first message") for the error summary, in the form's order."""
    ordered = []
    for field in form:
        if field.name == "contacts":
            for number, entry in enumerate(field.entries, start=1):
                ordered += [
                    (f.id, f"Contact {number}, {f.label.text}: {problems[f.id][0]}")
                    for f in entry.form
                    if f.id in problems
                ]
        elif field.id in problems:
            ordered.append((field.id, f"{field.label.text}: {problems[field.id][0]}"))
    known = {field_id for field_id, _ in ordered}
    ordered += [(fid, found[0]) for fid, found in problems.items() if fid not in known]
    return ordered
