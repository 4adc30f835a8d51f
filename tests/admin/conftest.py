"""Console fixtures: an editor and an admin (with an authenticator app), signed-in clients."""

from __future__ import annotations

import pytest

from tests.admin.console import make_operator, sign_in


@pytest.fixture
def editor(app):
    return make_operator(app, "eddie@steady.test", "Eddie", "editor")


@pytest.fixture
def admin(app):
    return make_operator(app, "ada@steady.test", "Ada", "admin")


@pytest.fixture
def editor_client(app, editor):
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    return client


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    assert sign_in(client, admin).status_code == 303
    return client


@pytest.fixture
def seeded(app):
    """The checked seed lines in the database (as `make run` loads them)."""
    from backend.helplines import service

    with app.app_context():
        service.load_seed_if_empty()
    return app


@pytest.fixture
def line_id(seeded):
    """The id of one seeded line (the US 988 line)."""
    from backend.helplines import service

    with seeded.app_context():
        page = service.search_helplines(country="US", q="988", per_page=1)
        return str(page.items[0].id)


@pytest.fixture
def plain_line_id(seeded):
    """The id of a seeded line that is not a priority line (US Poison Help): its contacts
    change at once, without a second operator."""
    from backend.helplines import service

    with seeded.app_context():
        page = service.search_helplines(country="US", q="Poison Help", per_page=1)
        assert page.items[0].priority == 0
        return str(page.items[0].id)


# --- a live console for the browser tests ------------------------------------------------


@pytest.fixture(scope="module")
def console_server(tmp_path_factory):
    """A seeded app with an admin (with TOTP) and two editors, served on 127.0.0.1."""
    from backend.helplines import service
    from tests.conftest import LiveServer, make_app

    path = tmp_path_factory.mktemp("console") / "steady.sqlite3"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        service.load_seed_if_empty()
    people = {
        "admin": make_operator(app, "ada@steady.test", "Ada", "admin"),
        "editor": make_operator(app, "eddie@steady.test", "Eddie", "editor"),
        "other": make_operator(app, "olly@steady.test", "Olly", "editor"),
    }
    with LiveServer(app) as server:
        server.people = people
        yield server


@pytest.fixture
def console_context(browser, console_server):
    """A way to open fresh browser profiles (laptop-sized) on the console server."""
    contexts = []

    def open_context():
        context = browser.new_context(
            base_url=console_server.url, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
