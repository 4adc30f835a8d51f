"""A seeded live server for the crisis-path browser tests, and phones to open it with.

The server has its own SQLite file with the seed lines, one treatment finder (US), and no
QUICK_EXIT_URL, so Quick exit follows the data file. Phones can reach only this server:
every other request is refused (nothing is ever loaded from another site).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

TREATMENT_FINDER = {
    "name": {"en": "Treatment finder (test)", "es": "Buscador de tratamiento (prueba)"},
    "description": {"en": "Find treatment near you."},
    "country": "US",
    "topics": ["find_treatment"],
    "source_url": "https://finder.example.org/about",
    "source_status": "unconfirmed",
    "contacts": [{"kind": "web", "value": "https://finder.example.org"}],
}


@pytest.fixture(scope="module")
def crisis_server(tmp_path_factory):
    """The app, seeded, served on 127.0.0.1 for one test module."""
    from backend.audit import Actor
    from backend.helplines import service
    from backend.helplines.schemas import HelplineSchema
    from tests.conftest import LiveServer, make_app

    path = tmp_path_factory.mktemp("crisis") / "steady.sqlite3"
    app = make_app(f"sqlite:///{path}", QUICK_EXIT_URL=None, PAGE_CACHE_SIZE=0)
    with app.app_context():
        service.load_seed_if_empty()
        service.create_helpline(HelplineSchema().load(TREATMENT_FINDER), Actor(None, "test"))
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def phone(browser, crisis_server):
    """`with phone(width, height, …) as page:` a fresh profile that reaches only our server."""

    @contextmanager
    def open_phone(
        width=360,
        height=740,
        *,
        locale="en-US",
        scheme="light",
        javascript=True,
        service_workers="block",
    ):
        context = browser.new_context(
            base_url=crisis_server.url,
            viewport={"width": width, "height": height},
            locale=locale,
            color_scheme=scheme,
            java_script_enabled=javascript,
            service_workers=service_workers,
        )
        context.route(
            lambda url: not url.startswith(crisis_server.url),
            lambda route: route.abort(),
        )
        try:
            yield context.new_page()
        finally:
            context.close()

    return open_phone


def started(page, *modules: str) -> None:
    """Wait until the page's scripts (or the named components) have started."""
    for module in modules or ("app-country",):
        page.wait_for_selector(f"[data-module={module}][data-module-started]", state="attached")


RED_FLAGS = {"prescription": "prescribed", "self_harm": "sometimes", "alcohol": "sometimes"}


def score_on_device(page, answers: dict[str, str]) -> None:
    """Answer the self-check and see the result, scored by the page's script."""
    started(page, "app-selfcheck")
    for question, option in answers.items():
        page.check(f'input[name="{question}"][value="{option}"]')
    page.click("form.app-selfcheck button[type=submit]")
    page.wait_for_selector("#selfcheck-result:not([hidden])")
