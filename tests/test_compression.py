"""gzip for public pages and static files, never for the console or the API (BREACH), and
only for a browser that asks for it (backend/compression.py, issue 15)."""

from __future__ import annotations

import gzip

import pytest

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def plain_app(tmp_path):
    from tests.conftest import make_app

    return make_app(f"sqlite:///{tmp_path / 'steady.sqlite3'}")


def test_a_page_is_sent_gzipped_to_a_browser_that_accepts_it(plain_app):
    client = plain_app.test_client()
    plain = client.get("/check")
    packed = client.get("/check", headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert (
        "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    )
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    again = client.get("/check", headers=GZIP)  # the kept copy: the same bytes
    assert again.get_data() == packed.get_data()


def test_the_stylesheet_is_sent_gzipped_with_a_weak_etag(plain_app):
    client = plain_app.test_client()
    html = client.get("/").get_data(as_text=True)
    href = html[html.index("/static/css/app.css") :].split('"', 1)[0]
    plain = client.get(href)
    plain_body = plain.get_data()
    packed = client.get(href, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain_body
    assert packed.headers["ETag"].startswith('W/"')
    plain.close()
    packed.close()


@pytest.mark.parametrize("path", ["/admin/login", "/api/v1/checklist?lang=en", "/healthz"])
def test_the_console_the_api_and_small_answers_are_never_gzipped(plain_app, path):
    response = plain_app.test_client().get(path, headers=GZIP)
    assert "Content-Encoding" not in response.headers


def test_a_browser_that_refuses_gzip_gets_it_plain(plain_app):
    response = plain_app.test_client().get("/check", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers
