"""Turning loaded helpline data into rows, and rows into audit snapshots.

Shared by the service (one line at a time), the importer (a whole file in one transaction)
and approvals of proposals, so the same rules hold whichever way a change arrives (issue
13): a change to what our team checked (a contact's kind, value, keyword or hours, or the
line's status) clears the verification, and an English text changed without its Spanish
twin marks the Spanish as needing translation. Nothing here commits.
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date

from backend.audit import plain
from backend.database import utcnow
from backend.helplines.models import Helpline, HelplineContact

# Fields a caller may set; everything else (verification, version, times) the service keeps.
EDITABLE_FIELDS = (
    "name",
    "description",
    "country",
    "regions",
    "topics",
    "status",
    "free",
    "confidential",
    "priority",
    "alert",
    "source_url",
    "source_status",
    "checked_on",
)
# Fields the service keeps: the export writes them; an import ignores them and a PATCH refuses
# them. (`id` is not one: an import names the lines it updates by it.)
READ_ONLY_FIELDS = (
    "verified_on",
    "verified_by",
    "changed_on",
    "needs_translation",
    "archived_at",
    "version",
    "created_at",
    "modified_at",
)
CONTACT_FIELDS = ("kind", "value", "keyword", "audience", "note", "languages", "hours")
SNAPSHOT_FIELDS = (
    *EDITABLE_FIELDS,
    "archived_at",
    "verified_on",
    "verified_by",
    "changed_on",
    "needs_translation",
)
# What a verification vouches for: each contact's way in and hours, and the line's status.
CHECKED_CONTACT_FIELDS = ("kind", "value", "keyword", "hours")
TRANSLATED_FIELDS = ("name", "description", "alert")


def fold(text: str) -> str:
    """Lower-case text without accents, for search ("Teléfono" → "telefono")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def contact_dict(contact: HelplineContact) -> dict:
    """A contact method as plain data."""
    return {name: getattr(contact, name) for name in CONTACT_FIELDS}


def snapshot(line: Helpline) -> dict:
    """Every field an audit row compares, as JSON-ready data."""
    data = {name: getattr(line, name) for name in SNAPSHOT_FIELDS}
    data["contacts"] = [contact_dict(c) for c in line.contacts]
    return plain(data)


def search_words(line: Helpline) -> str:
    """The text `q` searches: names, descriptions, contact values and keywords, folded."""
    parts = [*(line.name or {}).values(), *(line.description or {}).values()]
    for contact in line.contacts:
        parts += [contact.value, contact.keyword or ""]
    return fold(" ".join(p for p in parts if p))


def canonical_hours(hours: dict | None) -> dict | None:
    """Hours with their periods in day and time order (the order is not a change)."""
    if not hours or hours.get("always_open") or not hours.get("periods"):
        return hours
    periods = sorted(hours["periods"], key=lambda p: (p["day"], p["opens"], p["closes"]))
    return {**hours, "periods": periods}


def checked_facts(status: str, contacts: list[dict]) -> tuple:
    """What a verification vouches for, comparable between two versions of a line."""
    return (
        status,
        [
            tuple(
                canonical_hours(c.get("hours")) if name == "hours" else c.get(name)
                for name in CHECKED_CONTACT_FIELDS
            )
            for c in contacts
        ],
    )


def _texts(line: Helpline) -> dict[str, tuple[str | None, str | None]]:
    """{"name": (en, es), …, "contacts.0.note": (en, es)} for a line as it is now."""
    texts = {}
    for name in TRANSLATED_FIELDS:
        value = getattr(line, name) or {}
        texts[name] = (value.get("en"), value.get("es"))
    for index, contact in enumerate(line.contacts):
        note = contact.note or {}
        texts[f"contacts.{index}.note"] = (note.get("en"), note.get("es"))
    return texts


def _same_contacts(old: list[HelplineContact], new: list[HelplineContact]) -> dict[int, int]:
    """Which old contact each new one is (same kind, value and keyword; else same place)."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for index, contact in enumerate(new):
        for old_index, was in enumerate(old):
            same = (was.kind, was.value, was.keyword) == (
                contact.kind,
                contact.value,
                contact.keyword,
            )
            if old_index not in used and same:
                pairs[index] = old_index
                used.add(old_index)
                break
    for index in range(len(new)):
        if index not in pairs and index < len(old) and index not in used:
            pairs[index] = index
            used.add(index)
    return pairs


def _translation_flags(
    line: Helpline, before: dict, flags_before: set[str], pairs: dict[int, int]
) -> list[str]:
    """The texts whose Spanish is now older than their English: the English changed and the
    Spanish did not (or it was already waiting and neither changed)."""
    flags = []
    for key, (en, es) in _texts(line).items():
        old_key = key
        if key.startswith("contacts."):
            index = int(key.split(".")[1])
            old_key = f"contacts.{pairs[index]}.note" if index in pairs else None
        old_en, old_es = before.get(old_key, (None, None)) if old_key else (None, None)
        if not es or es != old_es:
            continue  # no Spanish (the English is shown), or the Spanish was just written
        if (en != old_en and old_en is not None) or old_key in flags_before:
            flags.append(key)
    return sorted(flags)


def apply_data(line: Helpline, data: dict) -> bool:
    """Set the fields present in ``data`` (loaded by HelplineSchema) on ``line``.

    Contacts are replaced only when they differ. Returns whether anything changed; a
    change also stamps ``modified_at`` and refreshes the search text. A change to what a
    verification vouches for (checked_facts) clears it; English texts changed without their
    Spanish mark the Spanish as needing translation.
    """
    is_new = line.version is None
    facts_before = checked_facts(line.status, [contact_dict(c) for c in line.contacts])
    texts_before, flags_before = _texts(line), set(line.needs_translation or ())
    old_contacts = list(line.contacts)
    changed = False
    for name in EDITABLE_FIELDS:
        if name in data and plain(getattr(line, name)) != plain(data[name]):
            setattr(line, name, data[name])
            changed = True
    if "contacts" in data:
        wanted = [
            {name: contact.get(name) for name in CONTACT_FIELDS} for contact in data["contacts"]
        ]
        for contact in wanted:
            contact["languages"] = contact["languages"] or []
            contact["hours"] = canonical_hours(contact["hours"])
        if [contact_dict(c) for c in line.contacts] != wanted:
            line.contacts = [
                HelplineContact(position=index, **contact) for index, contact in enumerate(wanted)
            ]
            changed = True
    if not changed:
        return False
    line.modified_at = utcnow()
    line.search_text = search_words(line)
    if is_new:
        return True
    pairs = _same_contacts(old_contacts, list(line.contacts))
    line.needs_translation = _translation_flags(line, texts_before, flags_before, pairs)
    facts_after = checked_facts(line.status, [contact_dict(c) for c in line.contacts])
    if facts_after != facts_before:
        clear_verification(line)
    return True


def clear_verification(line: Helpline) -> None:
    """What our team checked has changed: the line is no longer verified. A line that was
    verified (or already changed since) says when it changed; one never verified says it
    is not yet confirmed."""
    if line.verified_on is not None or line.changed_on is not None:
        line.changed_on = utcnow().date()
    line.verified_on = None
    line.verified_by = None


def new_line(data: dict) -> Helpline:
    """A new helpline from loaded data (the id is kept when the data has one)."""
    # The id is set now, not at flush, so the audit row can name it.
    line = Helpline(id=data.get("id") or uuid.uuid4(), description={}, regions=[], topics=[])
    line.priority, line.contacts, line.needs_translation = 0, [], []
    line.status = data.get("status", "active")
    apply_data(line, data)
    line.created_at = line.modified_at = utcnow()
    line.search_text = search_words(line)
    return line


def stamp_verified(line: Helpline, on: date, by: str) -> None:
    """Record that someone confirmed the line's details on ``on``."""
    line.verified_on = on
    line.verified_by = by[:200]
    line.changed_on = None
    line.modified_at = utcnow()


def would_be(current: dict, data: dict) -> dict:
    """A snapshot as it would be after applying ``data`` (loaded by HelplineSchema) to a line
    whose snapshot is ``current``: the editable fields and contacts it names, nothing else
    (for proposals, import previews and diffs; the rules of apply_data are not run)."""
    after = dict(current)
    for name in EDITABLE_FIELDS:
        if name in data:
            after[name] = plain(data[name])
    if "contacts" in data:
        contacts = []
        for contact in data["contacts"]:
            row = {name: contact.get(name) for name in CONTACT_FIELDS}
            row["languages"] = row["languages"] or []
            row["hours"] = canonical_hours(row["hours"])
            contacts.append(plain(row))
        after["contacts"] = contacts
    return after
