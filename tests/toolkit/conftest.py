"""A seeded live server for the toolkit's browser tests, and phones to open it with.

One server for every toolkit browser test (its own SQLite file, the seed lines, so the crisis
lines for a country are real). Phones reach only this server: any other request is refused.
Every request a phone makes is recorded (`page.sent`), to prove what is never sent.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest


@pytest.fixture(scope="package")
def plan_taper_server(tmp_path_factory):
    """The app, seeded with the directory's lines, served on 127.0.0.1."""
    from backend.helplines import service
    from tests.conftest import LiveServer, make_app

    path = tmp_path_factory.mktemp("toolkit") / "steady.sqlite3"
    app = make_app(f"sqlite:///{path}", QUICK_EXIT_URL=None, PAGE_CACHE_SIZE=0)
    with app.app_context():
        service.load_seed_if_empty()
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def plan_taper_phone(browser, plan_taper_server):
    """`with plan_taper_phone(…) as page:` a fresh profile that reaches only our server; `page.sent`
    lists (url, post data) of every request it made."""

    @contextmanager
    def open_phone(
        width=360, *, scheme="light", javascript=True, service_workers="block", locale="en-US"
    ):
        context = browser.new_context(
            base_url=plan_taper_server.url,
            viewport={"width": width, "height": 740},
            color_scheme=scheme,
            java_script_enabled=javascript,
            service_workers=service_workers,
            locale=locale,
        )
        context.route(
            lambda url: not url.startswith(plan_taper_server.url), lambda route: route.abort()
        )
        sent: list[tuple[str, str]] = []
        context.on("request", lambda request: sent.append((request.url, request.post_data or "")))
        try:
            page = context.new_page()
            page.sent = sent
            page.context_ = context
            yield page
        finally:
            context.close()

    return open_phone
