"""What the directory API remembers per process: the directory's fingerprint (repeats cost
no query, and no write is missed: at once in the process that made it, within the set
seconds in any other), and the answer each request got (a repeat is not parsed again)."""

from __future__ import annotations

import pytest

from backend import memory
from backend.helplines import list_cache, service
from backend.helplines.schemas import HelplineQuerySchema
from tests.conftest import make_app
from tests.helplines.helpers import EDITOR, counting_queries

API = "/api/v1/helplines?country=US"


@pytest.fixture
def remembering(db_app, add_line):
    """The app of `db_app`, trusting its fingerprint for a minute, with two US lines."""
    db_app.config["HELPLINES_FINGERPRINT_SECONDS"] = 60
    add_line(name={"en": "First line"}, priority=1)
    add_line(name={"en": "Second line"})
    return db_app


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["name"]["en"] for item in response.get_json()]


def test_repeats_cost_no_query_at_all(remembering):
    client = remembering.test_client()
    first = client.get(API)
    with counting_queries() as statements:
        not_modified = client.get(API, headers={"If-None-Match": first.headers["ETag"]})
        again = client.get(API)
        other_language = client.get(f"{API}&lang=es")  # a new page: built, no fingerprint
    assert not_modified.status_code == 304 and again.data == first.data
    assert other_language.status_code == 200
    fingerprints = [s for s in statements if "sum(" in s.lower()]
    assert fingerprints == [] and len(statements) == 3  # only the Spanish page was built


def test_a_write_in_this_process_is_seen_at_once(remembering):
    client = remembering.test_client()
    etag = client.get(API).headers["ETag"]
    line = service.search_helplines(q="Second").items[0]
    service.update_helpline(line.id, {"free": False}, line.version, EDITOR)
    changed = client.get(API, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert [i["free"] for i in changed.get_json() if i["name"]["en"] == "Second line"] == [False]


def test_a_write_through_the_api_and_a_failed_one(remembering):
    from backend.accounts import service as accounts

    operator = accounts.create_operator("ed@example.org", "Ed", "editor", "a long passphrase!")
    _, token = accounts.issue_api_token(operator, "script")
    client, auth = remembering.test_client(), {"Authorization": f"Bearer {token}"}
    listed = client.get(API)
    line_id = listed.get_json()[0]["id"]
    refused = client.patch(
        f"/api/v1/helplines/{line_id}", json={"priority": 3}, headers={**auth, "If-Match": '"9"'}
    )
    assert refused.status_code == 412
    assert client.get(API, headers={"If-None-Match": listed.headers["ETag"]}).status_code == 304
    archived = client.delete(f"/api/v1/helplines/{line_id}", headers={**auth, "If-Match": '"1"'})
    assert archived.status_code == 204
    after = client.get(API, headers={"If-None-Match": listed.headers["ETag"]})
    assert after.status_code == 200 and line_id not in [i["id"] for i in after.get_json()]


def test_another_process_write_is_seen_once_the_seconds_are_up(remembering, monkeypatch):
    """A second app on the same database stands for another web process."""
    client = remembering.test_client()
    etag = client.get(API).headers["ETag"]
    other = make_app(remembering.config["SQLALCHEMY_DATABASE_URI"])
    with other.app_context():
        line = service.search_helplines(q="Second").items[0]
        service.update_helpline(line.id, {"free": False}, line.version, EDITOR)
        other_etag = other.test_client().get(API).headers["ETag"]
        service.db.session.remove()
        service.db.engine.dispose()
    # Within the seconds this process still answers from what it remembers …
    assert client.get(API, headers={"If-None-Match": etag}).status_code == 304
    # … and once they are up it asks the database again and sees the change.
    later = memory.time.monotonic() + 61
    monkeypatch.setattr(memory.time, "monotonic", lambda: later)
    changed = client.get(API, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] == other_etag
    assert "Second line" in names(changed)


def test_a_write_during_a_read_is_never_remembered_as_current(remembering):
    """A fingerprint read while a write commits may predate it: it is used once, not kept."""
    values = iter([("old",), ("new",), ("newer",)])

    def read():
        value = next(values)
        if value == ("old",):
            remembered.forget()  # a write commits while this read runs: what the hook does
        return value

    remembered = memory.RememberedFingerprint(read, 60)
    assert remembered.get() == ("old",)
    assert remembered.get() == ("new",)
    assert remembered.get() == ("new",)  # now it is kept


def test_zero_seconds_asks_the_database_every_time(db_app, add_line):
    add_line(name={"en": "Only line"})
    client = db_app.test_client()
    etag = client.get(API).headers["ETag"]
    with counting_queries() as statements:
        assert client.get(API, headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1


def test_a_repeat_is_answered_before_its_filters_are_parsed_again(remembering, monkeypatch):
    client = remembering.test_client()
    first = client.get(API)
    parsed, load = [], HelplineQuerySchema.load

    def counted(schema, *args, **kwargs):
        parsed.append(args)
        return load(schema, *args, **kwargs)

    monkeypatch.setattr(HelplineQuerySchema, "load", counted)
    not_modified = client.get(API, headers={"If-None-Match": first.headers["ETag"]})
    again = client.get(API)
    assert parsed == []
    assert not_modified.status_code == 304 and not_modified.headers["ETag"] == first.headers["ETag"]
    assert not_modified.headers["Cache-Control"] == "public, max-age=300"
    assert (again.status_code, again.data) == (200, first.data)
    assert again.headers["X-Pagination"] == first.headers["X-Pagination"]
    assert again.headers["ETag"] == first.headers["ETag"]
    # Another spelling of the same filters is a new request: parsed, with the same answer.
    for other in (f"{API}&page=1", API.replace("US", "us")):
        assert client.get(other).headers["ETag"] == first.headers["ETag"]
    assert len(parsed) == 2


def test_bad_filters_are_never_remembered(remembering):
    client = remembering.test_client()
    for _ in range(2):
        refused = client.get(f"{API}&per_page=1000")
        assert refused.status_code == 422 and "per_page" in refused.get_json()["errors"]


def test_open_now_answers_are_remembered_for_their_minute_only(remembering, monkeypatch):
    from datetime import timedelta

    client = remembering.test_client()
    first = client.get(f"{API}&open_now=true")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    assert client.get(f"{API}&open_now=true", headers={"If-None-Match": etag}).status_code == 304
    now = list_cache.utcnow()
    monkeypatch.setattr(list_cache, "utcnow", lambda: now + timedelta(minutes=1))
    later = client.get(f"{API}&open_now=true", headers={"If-None-Match": etag})
    assert later.status_code == 200 and later.headers["ETag"] != etag
