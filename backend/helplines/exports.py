"""Exporting helplines: our own JSON and CSV (which import back unchanged), and a JSON
shaped after Open Referral HSDS 3.0.

The HSDS export is a `service_list`-style page whose `contents` are services, each with
its `organization`, `phones` (call and text methods; `type` from RFC 6350: voice, text,
textphone), `schedules` (one per weekly period, `freq` WEEKLY, `byday`, `opens_at`,
`closes_at`; always-open as 00:00–23:59 every day, as HSDS suggests), `languages`,
`attributes` (our topics as taxonomy terms) and `service_areas`. HSDS gives a schedule's
time zone only as a UTC offset, which DST changes, so the IANA zone goes in `notes`.
Sub-record ids are UUIDv5s derived from the helpline's id: stable across exports.
"""

from __future__ import annotations

import csv
import io
import json
import uuid

from sqlalchemy import select

from backend.csv_cells import neutralise_formula
from backend.extensions import db
from backend.helplines.models import Helpline
from backend.helplines.schemas import HelplineSchema, PublicHelplineSchema

HSDS_VERSION = "3.0"
TOPIC_TAXONOMY = "steady-topics"
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PHONE_TYPES = {"call": "voice", "text": "text"}
_EXPORT_COLUMNS = (
    "id", "country", "regions", "name_en", "name_es", "description_en", "description_es",
    "topics", "status", "free", "confidential", "priority", "alert_en", "alert_es",
    "source_url", "source_status", "checked_on", "contacts",
    "verified_on", "verified_by", "archived_at", "version", "modified_at",
)  # fmt: skip


def _lines(public: bool) -> list[Helpline]:
    query = select(Helpline).order_by(Helpline.country, Helpline.priority, Helpline.id)
    if public:
        query = query.where(Helpline.archived_at.is_(None), Helpline.status != "inactive")
    return list(db.session.scalars(query).all())


def _schema(public: bool) -> HelplineSchema:
    return PublicHelplineSchema() if public else HelplineSchema()


def export_json(*, public: bool = False) -> list[dict]:
    """Every helpline in the API's shape (archived ones too, unless ``public``)."""
    return _schema(public).dump(_lines(public), many=True)


def export_csv(*, public: bool = False) -> str:
    """Every helpline as CSV with the import's columns (and the read-only ones after them);
    a cell a spreadsheet would run as a formula is written as text (csv_cells.py)."""
    buffer = io.StringIO(newline="")
    columns = [c for c in _EXPORT_COLUMNS if not (public and c == "verified_by")]
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for item in export_json(public=public):
        row = {}
        for column in columns:
            head, _, lang = column.partition("_")
            if head in ("name", "description", "alert") and lang in ("en", "es"):
                row[column] = (item.get(head) or {}).get(lang, "")
            elif column in ("regions", "topics"):
                row[column] = ";".join(item.get(column) or [])
            elif column == "contacts":
                row[column] = json.dumps(item["contacts"], ensure_ascii=False)
            elif isinstance(item.get(column), bool):
                row[column] = "true" if item[column] else "false"
            else:
                row[column] = "" if item.get(column) is None else item[column]
        writer.writerow({column: neutralise_formula(value) for column, value in row.items()})
    return buffer.getvalue()


def _sub_id(line: Helpline, what: str) -> str:
    return str(uuid.uuid5(line.id, what))


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


def _service(line: Helpline) -> dict:
    name = line.words("name", "en")
    organization_id = _sub_id(line, "organization")
    phones, schedules, languages = [], [], {}
    for index, contact in enumerate(line.contacts):
        codes = [
            {"id": _sub_id(line, f"language:{index}:{c}"), "code": c} for c in contact.languages
        ]
        for code in contact.languages:
            languages.setdefault(code, {"id": _sub_id(line, f"language:{code}"), "code": code})
        if contact.kind in _PHONE_TYPES:
            phones.append(
                {
                    "id": _sub_id(line, f"phone:{index}"),
                    "service_id": str(line.id),
                    "number": contact.value,
                    "type": _PHONE_TYPES[contact.kind],
                    "description": (contact.note or {}).get("en")
                    or (f"keyword: {contact.keyword}" if contact.keyword else None),
                    "languages": codes,
                }
            )
        schedules += _schedules(line, index, contact)
    web = next((c.value for c in line.contacts if c.kind in ("web", "chat")), None)
    email = next((c.value for c in line.contacts if c.kind == "email"), None)
    status = "inactive" if line.is_archived else line.status.replace("_", " ")
    return {
        "id": str(line.id),
        "organization_id": organization_id,
        "name": name,
        "alternate_name": line.words("name", "es") if line.words("name", "es") != name else None,
        "description": line.words("description", "en"),
        "url": web,
        "email": email,
        "status": status,
        "alert": (line.alert or {}).get("en"),
        "fees_description": "Free" if line.free else None,
        "assured_date": line.verified_on.isoformat() if line.verified_on else None,
        "last_modified": line.modified_at.isoformat(),
        "phones": phones,
        "schedules": schedules,
        "languages": list(languages.values()),
        "service_areas": [
            {"id": _sub_id(line, f"area:{code}"), "service_id": str(line.id), "name": code}
            for code in (line.regions or [line.country])
        ],
        "attributes": [
            {
                "id": _sub_id(line, f"topic:{topic}"),
                "link_id": str(line.id),
                "link_type": "service",
                "taxonomy_term": {
                    "code": topic,
                    "name": topic.replace("_", " "),
                    "vocabulary": TOPIC_TAXONOMY,
                },
            }
            for topic in line.topics
        ],
        "organization": {"id": organization_id, "name": name, "website": line.source_url},
    }


def export_hsds(*, public: bool = False) -> dict:
    """Every helpline as HSDS 3.0 services, in one `service_list`-style page."""
    services = [_service(line) for line in _lines(public)]
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
