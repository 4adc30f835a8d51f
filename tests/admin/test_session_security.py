"""The console's session: cookie flags, no cookie on public pages, CSRF, rate limits, idle end."""

from __future__ import annotations

import time

import pytest

from backend.admin import blueprint
from tests.admin.console import csrf_token, post, sign_in
from tests.conftest import make_app
from tests.pagecheck import check_page

PUBLIC_PAGES = ("/", "/check", "/helplines", "/api/v1/checklist", "/privacy", "/help-someone")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_set_no_cookie(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_public_pages_set_no_cookie_even_for_a_signed_in_operator(editor_client):
    # Over HTTPS the console cookie has Path=/ (see below), so browsers send it everywhere.
    for path in PUBLIC_PAGES:
        response = editor_client.get(path, headers={"Cookie": _cookie_header(editor_client)})
        assert "Set-Cookie" not in response.headers, path


def _cookie_header(client) -> str:
    cookie = client.get_cookie("steady_admin", path="/admin")
    return f"steady_admin={cookie.value}"


def test_the_console_cookie_is_httponly_lax_and_scoped_to_admin(client, editor):
    response = sign_in(client, editor)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("steady_admin=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # plain HTTP in tests; see the HTTPS test


def test_over_https_the_cookie_is_a_secure_host_prefixed_cookie(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'https.sqlite3'}", PREFER_HTTPS=True)
    from tests.admin.console import make_operator

    editor = make_operator(app)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    token = csrf_token(client)
    response = client.post(
        "/admin/login",
        data={"csrf_token": token, "email": editor.email, "password": editor.password},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/admin/login"},
    )
    assert response.status_code == 303, response.text
    cookie = response.headers["Set-Cookie"]
    # RFC 6265bis: a __Host- cookie must be Secure, have Path=/ and no Domain.
    assert cookie.startswith("__Host-steady_admin=")
    assert "Secure" in cookie and "Path=/;" in cookie and "Domain" not in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Set-Cookie" not in client.get("/", base_url="https://localhost").headers


def test_a_post_without_a_csrf_token_is_refused_with_a_400_page(client, editor_client):
    for who, path in ((client, "/admin/login"), (editor_client, "/admin/account/tokens")):
        response = who.post(path, data={"email": "x", "password": "y", "label": "z"})
        assert response.status_code == 400
        assert "This form has expired" in response.text
        check_page(response.text, path)
    wrong = editor_client.post("/admin/account/tokens", data={"csrf_token": "nope", "label": "z"})
    assert wrong.status_code == 400


def test_a_csrf_token_from_another_session_is_refused(app, editor, editor_client):
    other = app.test_client()
    token = csrf_token(other)
    response = editor_client.post("/admin/account/tokens", data={"csrf_token": token, "label": "z"})
    assert response.status_code == 400


def test_login_is_rate_limited_per_address_with_retry_after(client):
    for attempt in range(10):
        response = post(client, "/admin/login", {"email": f"p{attempt}@x.test", "password": "x"})
        assert response.status_code == 200
    limited = post(client, "/admin/login", {"email": "p99@x.test", "password": "x"})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many tries for now" in limited.text
    check_page(limited.text, "/admin/login")
    assert client.get("/admin/login").status_code == 200  # reading the page is not limited


def test_l6_wrong_passwords_from_other_addresses_never_lock_the_operator_out(app, editor):
    # Someone who knows only Eddie's e-mail address tries from many addresses...
    for attempt in range(10):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{attempt + 1}"
        for _ in range(5):
            post(client, "/admin/login", {"email": editor.email.upper(), "password": "wrong!"})
        refused = post(client, "/admin/login", {"email": editor.email, "password": "wrong!"})
        assert refused.status_code == 429 and "Retry-After" in refused.headers
    # ...and Eddie, from his own address, signs in as usual.
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    assert sign_in(client, editor).status_code == 303
    assert client.get("/admin/").status_code == 200


def test_an_idle_session_ends_after_thirty_minutes(editor_client, monkeypatch):
    assert editor_client.get("/admin/").status_code == 200
    later = time.time() + 30 * 60 + 5
    monkeypatch.setattr(blueprint, "clock", lambda: later)
    response = editor_client.get("/admin/audit")
    assert response.status_code == 303
    assert response.location.startswith("/admin/login?next=")
    page = editor_client.get(response.location)
    assert "signed out after 30 minutes without activity" in page.text
    monkeypatch.undo()
    assert editor_client.get("/admin/").status_code == 302


def test_activity_keeps_the_session_alive(editor_client, monkeypatch):
    start = time.time()
    for minutes in (20, 40, 60):  # a request every 20 minutes
        monkeypatch.setattr(blueprint, "clock", lambda m=minutes: start + m * 60)
        assert editor_client.get("/admin/").status_code == 200


def test_the_session_status_does_not_extend_it_but_keep_alive_does(editor_client, monkeypatch):
    start = time.time()
    monkeypatch.setattr(blueprint, "clock", lambda: start + 29 * 60)
    status = editor_client.get("/admin/session").get_json()
    assert status["signed_in"] and 0 < status["remaining"] <= 60 + 5
    assert "Set-Cookie" not in editor_client.get("/admin/session").headers
    # The keep-alive is a POST with the CSRF token in a header, as the script sends it.
    monkeypatch.undo()
    token = csrf_token(editor_client, "/admin/")
    monkeypatch.setattr(blueprint, "clock", lambda: start + 29 * 60)
    alive = editor_client.post("/admin/session", headers={"X-CSRFToken": token})
    assert alive.status_code == 200 and alive.get_json()["remaining"] >= 29 * 60
    without = editor_client.post("/admin/session")
    assert without.status_code == 400


def test_an_expired_session_says_so_to_the_script(editor_client, monkeypatch):
    later = time.time() + 31 * 60
    monkeypatch.setattr(blueprint, "clock", lambda: later)
    response = editor_client.get("/admin/session")
    assert response.status_code == 401 and response.get_json() == {
        "signed_in": False,
        "remaining": 0,
    }


def test_console_pages_are_never_stored_and_send_the_referrer_to_ourselves(editor_client):
    response = editor_client.get("/admin/")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in response.text
    assert "no-referrer" not in response.text
