"""`GET /api/v1/helplines`: filters, pages, ETags and 304s, sync, export, and bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from marshmallow import Schema

from backend.database import utcnow
from backend.helplines import service
from tests.helplines.helpers import counting_queries

API = "/api/v1/helplines"
EVENINGS = {
    "always_open": False,
    "timezone": "Europe/Madrid",
    "periods": [{"day": d, "opens": "18:00", "closes": "19:00"} for d in range(7)],
}


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["name"]["en"] for item in response.get_json()]


@pytest.fixture
def lines(db_app, add_line):
    """A small directory: three US lines and one Spanish line."""
    add_line(
        name={"en": "Crisis call"},
        topics=["crisis"],
        priority=1,
        contacts=[{"kind": "call", "value": "988", "languages": ["en", "es"]}],
    )
    add_line(
        name={"en": "Family text"},
        topics=["family_support"],
        contacts=[{"kind": "text", "value": "741741", "keyword": "HOME", "languages": ["en"]}],
    )
    add_line(
        name={"en": "California chat"},
        regions=["US-CA"],
        topics=["mental_health"],
        contacts=[{"kind": "chat", "value": "https://example.org/chat", "languages": []}],
    )
    add_line(
        name={"en": "Teléfono de la Esperanza"},
        country="ES",
        topics=["mental_health"],
        contacts=[{"kind": "call", "value": "717 003 717", "languages": ["es"], "hours": EVENINGS}],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=US", ["Crisis call", "California chat", "Family text"]),
        ("country=us&topic=crisis", ["Crisis call"]),
        ("country=US&region=US-NY", ["Crisis call", "Family text"]),
        ("country=US&region=US-CA", ["Crisis call", "California chat", "Family text"]),
        ("contact=text", ["Family text"]),
        ("country=US&language=es", ["Crisis call", "California chat"]),
        ("q=esperanza", ["Teléfono de la Esperanza"]),
        ("topic=mental_health&country=ES", ["Teléfono de la Esperanza"]),
    ],
)
def test_each_filter(db_client, lines, query, expected):
    assert names(db_client.get(f"{API}?{query}")) == expected


def hours_around(start_hours: int, length_hours: int) -> dict:
    """Weekly hours in Madrid for one period starting `start_hours` from now."""
    start = (utcnow() + timedelta(hours=start_hours)).astimezone(ZoneInfo("Europe/Madrid"))
    end = start + timedelta(hours=length_hours)
    return {
        "always_open": False,
        "timezone": "Europe/Madrid",
        "periods": [
            {
                "day": start.weekday(),
                "opens": f"{start.hour:02d}:00",
                "closes": f"{end.hour:02d}:00",
            }
        ],
    }


def test_open_now_filter_uses_each_lines_hours(db_client, add_line):
    add_line(
        name={"en": "Open"},
        contacts=[{"kind": "call", "value": "988", "hours": hours_around(-1, 3)}],
    )
    add_line(
        name={"en": "Later"},
        contacts=[{"kind": "call", "value": "988", "hours": hours_around(3, 2)}],
    )
    add_line(name={"en": "Unknown"}, contacts=[{"kind": "call", "value": "988", "hours": None}])
    response = db_client.get(f"{API}?open_now=true")
    assert names(response) == ["Open"]
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert len(names(db_client.get(f"{API}?open_now=false"))) == 3


def test_pages_come_with_their_metadata(db_client, lines):
    response = db_client.get(f"{API}?country=US&per_page=2&page=2")
    assert names(response) == ["Family text"]
    assert json.loads(response.headers["X-Pagination"]) == {
        "total": 3,
        "total_pages": 2,
        "page": 2,
        "per_page": 2,
        "previous_page": 1,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=XX", "country"),
        ("country=USA", "country"),
        ("topic=gambling", "topic"),
        ("contact=fax", "contact"),
        ("language=klingon", "language"),
        ("region=california", "region"),
        ("open_now=perhaps", "open_now"),
        ("modified_after=yesterday", "modified_after"),
        ("per_page=1000", "per_page"),
        ("page=0", "page"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_bad_filters_are_a_422_naming_the_field(db_client, query, field):
    response = db_client.get(f"{API}?{query}")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]


def test_a_repeat_request_is_a_304_from_one_query_without_building_the_list(
    db_client, lines, monkeypatch
):
    first = db_client.get(f"{API}?country=US")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=300"

    def must_not_run(*args, **kwargs):
        raise AssertionError("the 304 path built the list")

    monkeypatch.setattr(service, "search_helplines", must_not_run)
    monkeypatch.setattr(Schema, "dump", must_not_run)
    with counting_queries() as statements:
        again = db_client.get(f"{API}?country=US", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert len(statements) <= 1


def test_a_page_built_once_is_served_again_from_memory_after_one_query(
    db_client, lines, monkeypatch
):
    first = db_client.get(f"{API}?country=US")

    def must_not_run(*args, **kwargs):
        raise AssertionError("the list was built again")

    monkeypatch.setattr(service, "search_helplines", must_not_run)
    with counting_queries() as statements:
        again = db_client.get(f"{API}?country=US")
    assert (again.status_code, again.data, again.headers["ETag"]) == (
        200,
        first.data,
        first.headers["ETag"],
    )
    assert again.headers["X-Pagination"] == first.headers["X-Pagination"]
    assert len(statements) <= 1


def test_without_the_page_cache_every_list_is_built(db_app, lines):
    db_app.config["HELPLINES_LIST_CACHE_SIZE"] = 0
    client = db_app.test_client()
    with counting_queries() as statements:
        first = client.get(f"{API}?country=US")
        again = client.get(f"{API}?country=US")
    assert first.data == again.data and len(statements) == 8


def test_the_etag_changes_with_the_data_the_query_and_the_language(db_client, lines, add_line):
    etag = db_client.get(f"{API}?country=US").headers["ETag"]
    assert db_client.get(f"{API}?country=us").headers["ETag"] == etag  # normalised
    assert db_client.get(f"{API}?country=US&page=1&lang=en").headers["ETag"] == etag
    assert db_client.get(f"{API}?country=US&topic=crisis").headers["ETag"] != etag
    assert db_client.get(f"{API}?country=US&lang=es").headers["ETag"] != etag
    line = service.search_helplines(q="family").items[0]
    service.update_helpline(
        line.id, {"free": not line.free}, line.version, service.Actor(None, "t")
    )
    changed = db_client.get(f"{API}?country=US", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_queries_per_list_request_do_not_grow_with_the_number_of_lines(db_client, add_line):
    def queries() -> int:
        with counting_queries() as statements:
            assert db_client.get(f"{API}?country=US&per_page=100").status_code == 200
        return len(statements)

    for n in range(5):
        add_line(name={"en": f"Line {n}"})
    few = queries()
    for n in range(5, 50):
        add_line(name={"en": f"Line {n}"})
    assert queries() == few <= 4


def test_one_helpline_by_id_with_its_version_as_etag(db_client, lines):
    line = service.search_helplines(q="crisis call").items[0]
    response = db_client.get(f"{API}/{line.id}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.get_json()["name"]["en"] == "Crisis call"
    assert "verified_by" not in response.get_json()
    cached = db_client.get(f"{API}/{line.id}", headers={"If-None-Match": '"1"'})
    assert cached.status_code == 304


def test_unknown_ids_are_404s_in_json(db_client):
    missing = db_client.get(f"{API}/3f1c2b8e-0000-4000-8000-000000000000")
    assert (
        missing.status_code == 404 and missing.get_json()["message"] == "No helpline has this id."
    )
    assert db_client.get(f"{API}/not-a-uuid").status_code == 404


def test_modified_after_syncs_changes_including_archived_lines(db_client, lines):
    cut = utcnow().isoformat()
    line = service.search_helplines(q="family").items[0]
    service.archive_helpline(line.id, line.version, service.Actor(None, "t"))
    response = db_client.get(API, query_string={"modified_after": cut})
    assert names(response) == ["Family text"]
    assert response.get_json()[0]["archived_at"] is not None
    assert names(db_client.get(API, query_string={"modified_after": utcnow().isoformat()})) == []


def test_exports_in_three_shapes_with_etags(db_client, lines):
    as_json = db_client.get(f"{API}/export?format=json")
    assert len(as_json.get_json()) == 4 and as_json.headers["ETag"]
    as_csv = db_client.get(f"{API}/export?format=csv")
    assert as_csv.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert {row["name_en"] for row in rows} >= {"Crisis call"} and "verified_by" not in rows[0]
    hsds = db_client.get(f"{API}/export?format=hsds").get_json()
    service_ = next(s for s in hsds["contents"] if s["name"] == "Family text")
    assert service_["phones"][0] == {
        "id": service_["phones"][0]["id"],
        "service_id": service_["id"],
        "number": "741741",
        "type": "text",
        "description": "Text HOME",
        "languages": [{"id": service_["phones"][0]["languages"][0]["id"], "code": "en"}],
    }
    assert service_["status"] == "active" and service_["organization"]["name"] == "Family text"
    madrid = next(s for s in hsds["contents"] if s["name"] == "Teléfono de la Esperanza")
    assert madrid["schedules"][0]["byday"] == "MO" and madrid["schedules"][0]["opens_at"] == "18:00"
    again = db_client.get(
        f"{API}/export?format=hsds", headers={"If-None-Match": as_json.headers["ETag"]}
    )
    assert again.status_code == 200  # another format, another ETag
    assert db_client.get(f"{API}/export?format=xml").status_code == 422


def test_the_openapi_document_describes_the_helpline_api(db_client):
    spec = db_client.get("/api/openapi.json").get_json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/helplines"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/helplines/{helpline_id}"])
    assert "X-Pagination" in paths["/api/v1/helplines"]["get"]["responses"]["200"]["headers"]
