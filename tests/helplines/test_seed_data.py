"""The data people rely on: every seeded country has an emergency number and a crisis line,
every line its source URL and read date, no confirmed line without an official source, and
every number a real one (issue 13)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date

import pytest

from backend.helplines.emergency import SOURCE as EMERGENCY_FILE
from backend.helplines.emergency import (
    emergency_number_for,
    international_directories,
    known_countries,
)
from backend.helplines.imports import SEED
from backend.helplines.numbers import SHORT_CODES, normalize_number
from backend.helplines.schemas import HelplineSchema
from tests.helplines.helpers import seed_records

EU = {
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
}
SPANISH_AMERICAS = {
    *("AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "SV", "GT", "HN", "MX", "NI"),
    *("PA", "PY", "PE", "PR", "UY", "VE"),
}
NAMED = {"US", "CA", "GB", "IE", "AU", "NZ", "IN", "ZA"}
# Countries with no crisis line an official or secondary source supports (seed/README.md
# says why); the directory points people there to the international directories.
WITHOUT_CRISIS_LINE = {"BO", "GT", "NI", "CY"}
README = (SEED.parent / "README.md").read_text(encoding="utf-8")


def seeded_countries() -> set[str]:
    return {record["country"] for record in seed_records()}


def test_at_least_forty_countries_and_every_country_the_issue_names():
    assert len(seeded_countries()) >= 40
    assert set(known_countries()) >= EU | SPANISH_AMERICAS | NAMED  # an emergency number
    assert (EU | SPANISH_AMERICAS | NAMED) - seeded_countries() <= WITHOUT_CRISIS_LINE


def test_every_seeded_country_has_an_emergency_number_and_a_crisis_line():
    for country in sorted(seeded_countries()):
        assert emergency_number_for(country) is not None, country
        crisis = [
            r
            for r in seed_records()
            if r["country"] == country and "crisis" in r["topics"] and r["priority"] > 0
        ]
        assert crisis or country in WITHOUT_CRISIS_LINE, country
    for country in WITHOUT_CRISIS_LINE:
        names = {"BO": "Bolivia", "GT": "Guatemala", "NI": "Nicaragua", "CY": "Cyprus"}
        assert names[country] in README, country  # the reason is written down
    assert [d.name for d in international_directories()] == [
        "Find A Helpline",
        "Befrienders Worldwide",
    ]


def test_every_line_has_a_source_url_and_a_read_date():
    for record in seed_records():
        source = record["source"]
        assert re.match(r"^https?://[^\s/]+\.[a-z]{2,}", source["url"] or ""), record["name"]
        assert date.fromisoformat(source["checked_on"]) >= date(2026, 11, 25), record["name"]


def test_no_line_is_confirmed_without_an_official_source_stating_number_and_hours():
    confirmed = [r for r in seed_records() if r["source"]["status"] == "official"]
    assert confirmed  # some are
    for record in seed_records():
        source = record["source"]
        if source["status"] == "official":
            assert source["number_confirmed"] and source["hours_confirmed"], record["name"]
            assert source["url"], record["name"]
        else:
            # Everything else loads as "not yet confirmed" (test_service checks the loading).
            assert source["status"] in (
                "official-partial",
                "official-republished",
                "secondary",
                "unconfirmed",
            )


def test_every_number_is_valid_for_its_country_as_stored():
    for record in seed_records():
        for contact in record["contacts"]:
            if contact["kind"] in ("call", "text"):
                stored = normalize_number(contact["value"], record["country"], contact["kind"])
                assert stored == contact["value"], (record["name"]["en"], contact["value"])


def test_every_line_loads_through_the_schema_and_has_a_fixed_unique_id():
    ids = [record["id"] for record in seed_records()]
    assert len(set(ids)) == len(ids)
    schema = HelplineSchema()
    for record in seed_records():
        assert uuid.UUID(record["id"])
        schema.load(record)


def test_each_short_code_the_data_file_adds_has_its_source_and_is_used():
    data = json.loads(SHORT_CODES.read_text(encoding="utf-8"))
    used = {(r["country"], c["value"]) for r in seed_records() for c in r["contacts"]}
    for code in data["codes"]:
        assert code["source"]["url"].startswith("http"), code
        assert date.fromisoformat(code["source"]["read_on"]), code
        assert code["kinds"] and set(code["kinds"]) <= {"call", "text"}, code
        assert (code["country"], code["code"]) in used, code


def test_emergency_numbers_say_where_they_come_from():
    data = json.loads(EMERGENCY_FILE.read_text(encoding="utf-8"))
    for entry in data["countries"]:
        assert re.fullmatch(r"\d{2,6}", entry["number"]), entry["country"]
        assert entry["status"] in ("official", "official-republished", "secondary")
        assert entry["source"] is None or entry["source"]["url"].startswith("http")
    for directory in data["international"]["directories"]:
        assert directory["url"].startswith("https://") and directory["source"]["url"]


@pytest.mark.parametrize("country", ["US", "GB", "IE", "AU", "CA", "PR"])
def test_countries_with_a_treatment_finder_have_one(country):
    finders = [
        r for r in seed_records() if r["country"] == country and "find_treatment" in r["topics"]
    ]
    assert finders, country
