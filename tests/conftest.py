"""Fixtures shared by every test: app, client, runner, live server, browser, PostgreSQL.

Real parts only: a real SQLite file migrated to head, a real PostgreSQL database per run,
a real Chromium. Where a real part is missing the test is skipped, unless the run was
started with --require-browser / --require-postgres (as CI does), when it fails instead.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from backend import create_app
from backend.extensions import db
from testkit.chromium import CHROMIUM, CHROMIUM_ARGS

POSTGRES_ADMIN_URL = os.environ.get(
    "STEADY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-browser",
        action="store_true",
        help="fail (instead of skipping) when Chromium or Playwright is missing",
    )
    parser.addoption(
        "--require-postgres",
        action="store_true",
        help="fail (instead of skipping) when PostgreSQL is not reachable",
    )


BROWSER_FIXTURES = {"browser"}
POSTGRES_FIXTURES = {"postgres_url", "shared_postgres_url"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Kind is a marker, not a folder: by the fixtures it uses, a test is marked `browser`
    (Chromium) or `postgres`, so `-m "not browser"` picks them out wherever they live."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and "postgresql" in callspec.params.values()
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if on_postgres or fixtures & POSTGRES_FIXTURES:
            item.add_marker(pytest.mark.postgres)


def missing(config: pytest.Config, option: str, reason: str) -> None:
    """Skip for a missing real part, or fail when the run requires it."""
    if config.getoption(option):
        pytest.fail(f"{reason} (required by {option})", pytrace=False)
    pytest.skip(reason)


# --- the app on SQLite and PostgreSQL ---------------------------------------------------


MADE_APPS: list = []  # closed after each test by `close_made_apps`


def make_app(database_url: str, **settings):
    """A testing app on `database_url`, migrated to head (its connections are closed after
    the test)."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **settings})
    with app.app_context():
        upgrade(revision="heads")
    MADE_APPS.append(app)
    return app


def close_made_apps() -> None:
    """Close every connection of the apps made so far, so none outlives its test
    (PostgreSQL would warn of each one left open, and TRUNCATE would wait for them)."""
    while MADE_APPS:
        app = MADE_APPS.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _apps_closed_after_each_test() -> Iterator[None]:
    yield
    close_made_apps()


@pytest.fixture(scope="session")
def shared_postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """One PostgreSQL database for the session, migrated to head once; `app` empties it
    after each test (much faster than a database per test)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"steady_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any failure means "no PostgreSQL here"
        admin.dispose()
        missing(request.config, "--require-postgres", f"PostgreSQL unavailable: {error}")
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    migrated = make_app(url)  # migrate once
    with migrated.app_context():
        db.engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_every_table(app) -> None:
    """Leave the schema, remove every row (between tests on the shared database)."""
    from sqlalchemy import text

    with app.app_context():
        db.session.remove()
        tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh app migrated to head: on its own SQLite file, and again on PostgreSQL.

    Every test that uses the app (directly or through `client`/`runner`) runs on both
    databases, so the same code is proven on the engine of `make run` and of production.
    """
    if request.param == "sqlite":
        app = make_app(f"sqlite:///{tmp_path / 'steady.sqlite3'}")
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return
    url = request.getfixturevalue("shared_postgres_url")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    yield app
    empty_every_table(app)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """For a test that builds its own app(s) with special settings: a new SQLite file, and
    again the session's PostgreSQL database (migrated; emptied after the test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'steady.sqlite3'}"
        return
    url = request.getfixturevalue("shared_postgres_url")
    yield url
    close_made_apps()
    empty_every_table(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url}))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"steady_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        missing(request.config, "--require-postgres", f"PostgreSQL unavailable: {error}")
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# --- a live server and a real browser ----------------------------------------------------


def closed_at_once(app):
    """`app` with each response body read whole and closed before the server sends it.

    Werkzeug's development server leaks a response's open file when a browser drops the
    connection (a page navigated away while its scripts loaded): after sending, it reads the
    socket before closing the body, that read raises ConnectionResetError, and the file is left
    to the garbage collector, which (with warnings as errors) fails whichever test runs then.
    """

    def buffered(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return buffered


class LiveServer:
    """The app served over HTTP on 127.0.0.1 from a background thread."""

    def __init__(self, app) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []  # (method, path) of each request, in order
        self.server = make_server("127.0.0.1", 0, self._noted(closed_at_once(app)), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _noted(self, app):
        def noting(environ, start_response):
            self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
            return app(environ, start_response)

        return noting

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One migrated app served for the whole browser session."""
    path = tmp_path_factory.mktemp("live") / "steady.sqlite3"
    app = make_app(f"sqlite:///{path}", QUICK_EXIT_URL="https://exit.steady.test/weather")
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        missing(request.config, "--require-browser", f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing(request.config, "--require-browser", "playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile that can reach only our server (and the fake exit site)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        service_workers="allow",
    )
    context.route(
        "https://exit.steady.test/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
        ),
    )
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()
