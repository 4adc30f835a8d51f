"""Turning loaded helpline data into rows, and rows into audit snapshots.

Shared by the service (one line at a time) and the importer (a whole file in one
transaction). Nothing here commits.
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
    "archived_at",
    "version",
    "created_at",
    "modified_at",
)
CONTACT_FIELDS = ("kind", "value", "keyword", "audience", "note", "languages", "hours")
SNAPSHOT_FIELDS = (*EDITABLE_FIELDS, "archived_at", "verified_on", "verified_by")


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


def apply_data(line: Helpline, data: dict) -> bool:
    """Set the fields present in ``data`` (loaded by HelplineSchema) on ``line``.

    Contacts are replaced only when they differ. Returns whether anything changed; a
    change also stamps ``modified_at`` and refreshes the search text.
    """
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
        if [contact_dict(c) for c in line.contacts] != wanted:
            line.contacts = [
                HelplineContact(position=index, **contact) for index, contact in enumerate(wanted)
            ]
            changed = True
    if changed:
        line.modified_at = utcnow()
        line.search_text = search_words(line)
    return changed


def new_line(data: dict) -> Helpline:
    """A new helpline from loaded data (the id is kept when the data has one)."""
    # The id is set now, not at flush, so the audit row can name it.
    line = Helpline(id=data.get("id") or uuid.uuid4(), description={}, regions=[], topics=[])
    line.priority, line.contacts = 0, []
    apply_data(line, data)
    line.created_at = line.modified_at = utcnow()
    line.search_text = search_words(line)
    return line


def stamp_verified(line: Helpline, on: date, by: str) -> None:
    """Record that someone confirmed the line's details on ``on``."""
    line.verified_on = on
    line.verified_by = by[:200]
    line.modified_at = utcnow()
