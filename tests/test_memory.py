"""Public pages kept rendered in memory: a repeat is not rendered again, yet every answer is
the page it would have been (language, country, directory, minute), with all its headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import template_rendered
from sqlalchemy.exc import OperationalError

from backend import memory
from backend.helplines import directory as listing
from backend.helplines import service
from backend.helplines.list_cache import DIRECTORY, DIRECTORY_TABLES
from tests.helplines.helpers import EDITOR

PAGES = ["/", "/check", "/help-someone", "/helplines?country=US", "/privacy", "/overdose"]


@pytest.fixture
def renders(app):
    """The templates rendered (by name) while the test runs."""
    rendered: list[str] = []

    def note(_app, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(note, app)
    yield rendered
    template_rendered.disconnect(note, app)


@pytest.fixture
def seeded(app):
    with app.app_context():
        service.load_seed_if_empty()
    return app


@pytest.mark.parametrize("path", PAGES)
def test_a_repeat_is_the_same_page_with_every_header_and_not_rendered_again(
    seeded, client, renders, path
):
    first = client.get(path, headers={"Accept-Language": "en-US"})
    count = len(renders)
    again = client.get(path, headers={"Accept-Language": "en-US"})
    assert count >= 1 and len(renders) == count
    assert (again.status_code, again.data) == (200, first.data)
    for header in ("Content-Security-Policy", "Cache-Control", "Vary", "Content-Type"):
        assert again.headers[header] == first.headers[header], header
    assert "Set-Cookie" not in again.headers


def test_language_country_and_query_each_get_their_own_page(seeded, client):
    def check(query: str = "", language: str | None = None) -> str:
        headers = {"Accept-Language": language} if language else {}
        return client.get(f"/check{query}", headers=headers).get_data(as_text=True)

    english, mexico, spain = (
        check(language="en-US"),
        check(language="es-MX"),
        check(language="es-ES"),
    )
    asked = check("?lang=es&country=ES")
    assert 'lang="en"' in english and 'lang="es"' in mexico and 'lang="es"' in spain
    assert "988" in english and "988" not in mexico  # the US crisis line, not Mexico's
    assert mexico != spain  # one URL and language, two countries (from Accept-Language)
    assert asked != spain  # the same lines, but links that carry ?lang=es&country=ES


def test_a_change_to_the_directory_is_on_the_next_page(seeded, client, renders):
    before = client.get("/check?country=US").get_data(as_text=True)
    with seeded.app_context():
        first = service.search_helplines(country="US", per_page=100).items
        crisis = min((x for x in first if x.priority), key=lambda x: x.priority)
        name = dict(crisis.name, en="Renamed crisis line")
        service.update_helpline(crisis.id, {"name": name}, crisis.version, EDITOR)
    count = len(renders)
    after = client.get("/check?country=US").get_data(as_text=True)
    assert len(renders) > count
    assert "Renamed crisis line" in after and "Renamed crisis line" not in before


def test_a_page_is_kept_for_its_minute_only(seeded, client, renders, monkeypatch):
    client.get("/helplines?country=US")
    count = len(renders)
    now = memory.utcnow()
    monkeypatch.setattr(memory, "utcnow", lambda: now + timedelta(minutes=1))
    client.get("/helplines?country=US")
    assert len(renders) > count


def test_an_error_page_is_never_kept(seeded, client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("the database went away"))

    monkeypatch.setattr(listing, "lines_for", unavailable)
    assert client.get("/helplines?country=US").status_code == 503
    monkeypatch.undo()
    recovered = client.get("/helplines?country=US")
    assert recovered.status_code == 200 and "988" in recovered.get_data(as_text=True)


def test_without_the_directory_the_page_is_rendered_and_not_kept(seeded, client, monkeypatch):
    def unavailable():
        raise OperationalError("SELECT", {}, Exception("the database went away"))

    memory.watch(seeded, DIRECTORY, unavailable, DIRECTORY_TABLES, "HELPLINES_FINGERPRINT_SECONDS")
    calm = client.get("/")
    assert calm.status_code == 200 and "Quick exit" in calm.get_data(as_text=True)
    with seeded.app_context():
        assert len(memory.pages()) == 0


def test_a_posted_self_check_is_never_kept(seeded, client, renders):
    for _ in range(2):
        response = client.post("/check", data={})
        assert response.headers["Cache-Control"] == "no-store"
    assert renders.count("selfcheck/check.html") == 2


def test_size_zero_renders_every_time(seeded, client, renders):
    seeded.config["PAGE_CACHE_SIZE"] = 0
    client.get("/")
    client.get("/")
    assert renders.count("pages/home.html") == 2
