"""The one list of public pages (backend/pages/registry.py) is whole and true: every page on it
answers HTML to anyone, every other HTML page is signed-in or API documentation, and the
service worker keeps each one for offline use. bench/lighthouse.sh and the layout-shift test
read this list, so a page missing here would go unmeasured (issue 15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backend.pages.registry import NOT_PUBLIC, public_pages
from tests.conftest import make_app

SERVICE_WORKER = Path(__file__).resolve().parents[2] / "frontend" / "static" / "sw.js"


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory):
    return make_app(f"sqlite:///{tmp_path_factory.mktemp('registry') / 'steady.sqlite3'}")


def html_pages_anyone_can_open(app) -> set[str]:
    """Every GET route without arguments (static files aside) that answers an HTML 200 to a
    browser that is not signed in: found by asking each one, not by reading the list."""
    client, found = app.test_client(), set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        response = client.get(rule.rule, headers={"Accept": "text/html"})
        if response.status_code == 200 and response.mimetype == "text/html":
            found.add(rule.rule)
    return found


def test_every_html_page_anyone_can_open_is_on_the_public_list(sqlite_app):
    pages = public_pages(sqlite_app)
    opened = html_pages_anyone_can_open(sqlite_app)
    left_off = {path for path in opened - set(pages) if not path.startswith(NOT_PUBLIC)}
    assert left_off == set(), "public pages missing from backend/pages/registry.py"
    assert set(pages) <= opened, "listed pages that do not answer HTML to anyone"


def test_public_list_starts_at_home_and_names_each_page_once(sqlite_app):
    pages = public_pages(sqlite_app)
    assert pages[0] == "/"
    assert len(pages) == len(set(pages))
    assert {"/check", "/check-in", "/reminders", "/helplines", "/overdose"} <= set(pages)


def test_service_worker_keeps_every_public_page_for_offline_use(sqlite_app):
    source = SERVICE_WORKER.read_text(encoding="utf-8")
    block = re.search(r"const PAGES = \[(.*?)\];", source, re.S)
    assert block is not None
    cached = set(json.loads(f"[{block.group(1).strip().rstrip(',')}]"))
    assert set(public_pages(sqlite_app)) <= cached


def test_flask_steady_pages_prints_the_list(sqlite_app):
    result = sqlite_app.test_cli_runner().invoke(args=["steady", "pages"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == public_pages(sqlite_app)
