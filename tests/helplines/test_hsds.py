"""HSDS 3.0 that validates (issue 13, item 8): the export of the whole seed, checked with
`jsonschema` against the official Open Referral schemas kept in hsds/ (SOURCE.md says which
version and under which licence), with 0 errors; and an HSDS import that round-trips it."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from backend.audit import Actor
from backend.helplines import service
from backend.helplines.records import EDITABLE_FIELDS
from tests.conftest import make_app
from tests.helplines.helpers import seed_count

SCHEMAS = Path(__file__).resolve().parent / "hsds"
IMPORTER = Actor(3, "carol (editor)")
MOVER = Actor(None, "import (directory.json)")


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(page: dict) -> list[str]:
    services, whole = validator("service.json"), validator("page.json")
    found = [f"page: {e.message}" for e in whole.iter_errors(page)]
    for item in page["contents"]:
        found += [
            f"{item.get('name')}: {e.json_path} {e.message}" for e in services.iter_errors(item)
        ]
    return found


def editable(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: {k: item[k] for k in (*EDITABLE_FIELDS, "contacts")} for item in items}


def test_the_export_of_the_whole_seed_validates_with_no_errors(app):
    with app.app_context():
        service.load_seed_if_empty()
        page = service.export_hsds(public=True)
    assert page["total_items"] == len(page["contents"]) == seed_count()
    assert problems(page) == []
    text = json.dumps(page)
    assert "null" not in text  # absent facts are left out, never null
    assert all(item["organization"]["description"] for item in page["contents"])


def test_the_validation_catches_what_the_issue_found(app):
    """The test can fail: a null where a string belongs, an organization without a
    description (the export as it was before issue 13)."""
    with app.app_context():
        service.load_seed_if_empty()
        page = service.export_hsds()
    broken = json.loads(json.dumps(page))
    broken["contents"][0]["alert"] = None
    del broken["contents"][1]["organization"]["description"]
    assert len(problems(broken)) == 2


def test_an_hsds_export_imports_back_unchanged_and_into_an_empty_directory(app, tmp_path):
    with app.app_context():
        service.load_seed_if_empty()
        raw = json.dumps(service.export_hsds()).encode()
        seeded = editable(service.export_json())
        result = service.apply_import(raw, "hsds", IMPORTER)
        assert (result.created, result.updated, result.unchanged) == (0, 0, seed_count())
    other = make_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with other.app_context():
        preview = service.preview_import(raw, "hsds")
        assert preview.ok, [r.errors for r in preview.rows if r.errors][:3]
        # Moving a directory to a new server is the command line's job (`flask helplines
        # import`): an operator's import would hold every crisis line for a second operator.
        assert service.apply_import(raw, "hsds", MOVER).created == seed_count()
        assert editable(service.export_json()) == seeded


def test_a_service_from_another_publisher_is_read_from_hsds_fields(app):
    foreign = {
        "contents": [
            {
                "id": "8f0c2b1e-6d1a-4c55-9a3e-2f7f4b6c9d10",
                "name": "Community Crisis Line",
                "description": "Someone to talk to.",
                "status": "active",
                "url": "https://example.org/help",
                "phones": [
                    {"id": "2a0f1c3e-5b7d-4e9f-8a1c-3d5e7f9a1b2c", "number": "+18002221222"}
                ],
                "service_areas": [{"id": "5c1e3a7f-9b2d-4f6a-8e0c-1a3b5d7f9e2a", "name": "US"}],
            }
        ]
    }
    with app.app_context():
        preview = service.preview_import(json.dumps(foreign).encode(), "hsds")
        assert preview.ok, preview.rows[0].errors
        service.apply_import(json.dumps(foreign).encode(), "hsds", IMPORTER)
        line = service.get_helpline("8f0c2b1e-6d1a-4c55-9a3e-2f7f4b6c9d10")
        assert line.country == "US"
        assert [(c.kind, c.value) for c in line.contacts] == [
            ("call", "+18002221222"),
            ("web", "https://example.org/help"),
        ]
