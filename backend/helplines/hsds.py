"""Helplines as Open Referral HSDS 3.0, and back (issue 13).

The export is one page in the shape of HSDS's `Page` schema, whose `contents` are services
that validate against HSDS 3.0's `schema/compiled/service.json` (tests/helplines/hsds/ keeps
the official files we test against). Absent facts are left out, never sent as null.

Each service carries what HSDS has a place for: name, description and alert (English),
url and email (the first web or chat address, the first e-mail), status, `assured_date`
(when our team last verified it), `fees_description`, `phones` (call and text contacts,
with RFC 6350 types voice, text and textphone), `schedules` (one per weekly period; HSDS
gives a time zone only as a UTC offset, which DST changes, so the IANA zone goes in
`notes`), `languages`, `service_areas` (the regions, or the country), our topics as
taxonomy terms (`steady-topics`) and an `organization` with a description.

Everything else Steady keeps (the Spanish texts, the country, priority, the source, and
every contact in order with its keyword, audience, notes and hours) travels as attributes
of the taxonomy `steady-fields`: one attribute per cell of the flat row (flat.py), its
term's code the column name and its `value` the cell's text. The import reads those back,
so an export imports unchanged; a service without them (from another publisher) is read
from HSDS's own fields as far as they go.
"""

from __future__ import annotations

import uuid

from backend.helplines import flat
from backend.helplines.models import Helpline
from backend.helplines.schemas import HelplineSchema

HSDS_VERSION = "3.0"
TOPIC_TAXONOMY = "steady-topics"
FIELD_TAXONOMY = "steady-fields"
# Fixed namespace for the ids of taxonomy terms (the same in every export).
TERMS = uuid.UUID("1d3b0f8e-5c2a-4f59-9f0e-6a7d3c2b8e41")
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PHONE_TYPES = {"call": "voice", "text": "text"}
# HSDS has its own place for these columns; the rest travel as attributes.
_NATIVE_COLUMNS = {"id", "name_en", "description_en", "alert_en", "topics"}


def _sub_id(line: Helpline, what: str) -> str:
    return str(uuid.uuid5(line.id, what))


def _term(taxonomy: str, code: str, description: str) -> dict:
    return {
        "id": str(uuid.uuid5(TERMS, f"{taxonomy}:{code}")),
        "code": code,
        "name": code.replace("_", " "),
        "description": description,
        "taxonomy": taxonomy,
    }


def _present(record: dict) -> dict:
    """The record without the keys whose value is absent (HSDS wants them left out)."""
    return {k: v for k, v in record.items() if v is not None and v != "" and v != []}


def _schedules(line: Helpline, index: int, contact) -> list[dict]:
    label = f"{contact.kind} {contact.value}"
    base = {"service_id": str(line.id), "freq": "WEEKLY", "wkst": "MO"}
    hours = contact.hours
    if hours is None:
        return []
    if hours.get("always_open"):
        return [
            {
                **base,
                "id": _sub_id(line, f"schedule:{index}:always"),
                "byday": ",".join(_BYDAY),
                "opens_at": "00:00",
                "closes_at": "23:59",
                "description": f"{label}: open 24 hours, every day",
            }
        ]
    return [
        {
            **base,
            "id": _sub_id(line, f"schedule:{index}:{n}"),
            "byday": _BYDAY[period["day"]],
            "opens_at": period["opens"],
            "closes_at": "23:59" if period["closes"] == "24:00" else period["closes"],
            "description": label,
            "notes": f"timezone: {hours['timezone']}",
        }
        for n, period in enumerate(hours["periods"])
    ]


def _phones(line: Helpline) -> list[dict]:
    phones = []
    for index, contact in enumerate(line.contacts):
        if contact.kind not in _PHONE_TYPES:
            continue
        kind = "textphone" if contact.audience == "deaf" else _PHONE_TYPES[contact.kind]
        description = (contact.note or {}).get("en") or (
            f"Text {contact.keyword}" if contact.keyword else None
        )
        languages = [
            {"id": _sub_id(line, f"language:{index}:{code}"), "code": code}
            for code in contact.languages or []
        ]
        phones.append(
            _present(
                {
                    "id": _sub_id(line, f"phone:{index}"),
                    "service_id": str(line.id),
                    "number": contact.value,
                    "type": kind,
                    "description": description,
                    "languages": languages,
                }
            )
        )
    return phones


def _attributes(line: Helpline, row: dict[str, str]) -> list[dict]:
    topics = [
        {
            "id": _sub_id(line, f"topic:{topic}"),
            "link_id": str(line.id),
            "link_type": "service",
            "taxonomy_term": _term(TOPIC_TAXONOMY, topic, "What the line helps with."),
        }
        for topic in line.topics or []
    ]
    # Kept short (no link_id: the attribute sits inside its service), since a line has one
    # per filled cell: the whole seed's page stays well under the import's size limit.
    fields = [
        {
            "id": _sub_id(line, f"field:{column}"),
            "taxonomy_term": {
                "id": str(uuid.uuid5(TERMS, f"{FIELD_TAXONOMY}:{column}")),
                "code": column,
                "name": column,
                "description": "Steady field",
                "taxonomy": FIELD_TAXONOMY,
            },
            "value": value,
        }
        for column, value in row.items()
        if value and column not in _NATIVE_COLUMNS
    ]
    return topics + fields


def _service(line: Helpline, item: dict) -> dict:
    columns = [*flat.LINE_COLUMNS, *flat.contact_columns(len(line.contacts))]
    row = flat.row_from_item(item, columns)
    name = line.words("name", "en")
    description = line.words("description", "en")
    languages: dict[str, dict] = {}
    for contact in line.contacts:
        for code in contact.languages or []:
            languages.setdefault(code, {"id": _sub_id(line, f"language:{code}"), "code": code})
    schedules = [s for i, c in enumerate(line.contacts) for s in _schedules(line, i, c)]
    status = "inactive" if line.is_archived else line.status.replace("_", " ")
    web = next((c.value for c in line.contacts if c.kind in ("web", "chat")), None)
    organization = {
        "id": _sub_id(line, "organization"),
        "name": name,
        "description": description or f"The organisation that runs {name}.",
        "website": web,
    }
    return _present(
        {
            "id": str(line.id),
            "organization_id": organization["id"],
            "name": name,
            "description": description,
            "url": web,
            "email": next((c.value for c in line.contacts if c.kind == "email"), None),
            "status": status,
            "alert": (line.alert or {}).get("en"),
            "fees_description": "Free" if line.free else None,
            "assured_date": line.verified_on.isoformat() if line.verified_on else None,
            "last_modified": line.modified_at.isoformat(),
            "phones": _phones(line),
            "schedules": schedules,
            "languages": list(languages.values()),
            "service_areas": [
                {"id": _sub_id(line, f"area:{code}"), "service_id": str(line.id), "name": code}
                for code in (line.regions or [line.country])
            ],
            "attributes": _attributes(line, row),
            "organization": _present(organization),
        }
    )


def hsds_page(lines: list[Helpline]) -> dict:
    """The lines as one HSDS page of services."""
    items = HelplineSchema().dump(lines, many=True)
    services = [_service(line, item) for line, item in zip(lines, items, strict=True)]
    return {
        "hsds_version": HSDS_VERSION,
        "total_items": len(services),
        "total_pages": 1,
        "page_number": 1,
        "size": len(services),
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": services,
    }


# --- reading HSDS back -----------------------------------------------------------------


def _native_contacts(service: dict) -> list[dict]:
    """Contacts from HSDS's own fields, for services that do not carry Steady's columns."""
    contacts = []
    for phone in service.get("phones") or []:
        if not isinstance(phone, dict) or not phone.get("number"):
            continue
        kind = "text" if phone.get("type") == "text" else "call"
        contacts.append(
            {
                "kind": kind,
                "value": str(phone["number"]),
                "audience": "deaf" if phone.get("type") == "textphone" else None,
                "languages": [
                    lang["code"]
                    for lang in phone.get("languages") or []
                    if isinstance(lang, dict) and lang.get("code")
                ],
            }
        )
    if service.get("url"):
        contacts.append({"kind": "web", "value": service["url"]})
    if service.get("email"):
        contacts.append({"kind": "email", "value": service["email"]})
    return contacts


def service_as_item(service: dict) -> tuple[dict, dict[str, list[str]]]:
    """One HSDS service as a helpline in the API's shape, and problems by column."""
    cells: dict[str, str] = {}
    topics: list[str] = []
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term, dict):
            continue
        if term.get("taxonomy") == FIELD_TAXONOMY and isinstance(attribute.get("value"), str):
            cells[str(term.get("code"))] = attribute["value"]
        elif term.get("taxonomy") == TOPIC_TAXONOMY and term.get("code"):
            topics.append(str(term["code"]))
    unknown = [c for c in cells if c not in flat.LINE_COLUMNS and not flat.contact_column(c)]
    for column in unknown:
        cells.pop(column)
    native = not any(flat.contact_column(c) for c in cells)
    cells["name_en"] = service.get("name") or ""
    cells["description_en"] = service.get("description") or ""
    cells["alert_en"] = service.get("alert") or ""
    cells["topics"] = ";".join(topics)
    if service.get("id"):
        cells["id"] = str(service["id"])
    data, errors = flat.item_from_row(cells)
    if native:
        data["contacts"] = _native_contacts(service)
        areas = [a.get("name") for a in service.get("service_areas") or [] if isinstance(a, dict)]
        if "country" not in data and areas and isinstance(areas[0], str) and len(areas[0]) == 2:
            data["country"] = areas[0]
    if unknown:
        errors["attributes"] = [f"Unknown {FIELD_TAXONOMY} columns: {', '.join(unknown)}."]
    return data, errors
