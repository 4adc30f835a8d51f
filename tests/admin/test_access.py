"""Who may open what: nothing without signing in; operators pages for admins only;
deactivated operators lose their sessions and tokens at once."""

from __future__ import annotations

import pytest

from backend.accounts import service
from tests.admin.console import csrf_token, make_operator, post, sign_in

CONSOLE_PAGES = (
    "/admin/",
    "/admin/helplines",
    "/admin/helplines/new",
    "/admin/helplines/stale",
    "/admin/import",
    "/admin/export.csv",
    "/admin/export.json",
    "/admin/export.hsds",
    "/admin/proposals",
    "/admin/helplines/3f1c2b8e-0000-4000-8000-000000000000/history",
    "/admin/audit",
    "/admin/account",
    "/admin/account/password",
    "/admin/account/two-step",
    "/admin/operators",
    "/admin/operators/new",
    "/admin/operators/1",
)
CONSOLE_POSTS = (
    "/admin/helplines/new",
    "/admin/import",
    "/admin/import/apply",
    "/admin/proposals/3f1c2b8e-0000-4000-8000-000000000000/approve",
    "/admin/proposals/3f1c2b8e-0000-4000-8000-000000000000/reject",
    "/admin/helplines/3f1c2b8e-0000-4000-8000-000000000000/versions/1/restore",
    "/admin/helplines/3f1c2b8e-0000-4000-8000-000000000000/translated",
    "/admin/account/tokens",
    "/admin/account/tokens/1/revoke",
    "/admin/operators/new",
    "/admin/operators/1/role",
    "/admin/operators/1/active",
    "/admin/operators/1/reset-totp",
)
ADMIN_ONLY = ("/admin/operators", "/admin/operators/new", "/admin/operators/{id}")
ADMIN_ONLY_POSTS = (
    "/admin/operators/new",
    "/admin/operators/{id}/role",
    "/admin/operators/{id}/active",
    "/admin/operators/{id}/reset-totp",
)


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_every_console_page_needs_a_signed_in_operator(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/admin/login?next=")


@pytest.mark.parametrize("path", CONSOLE_POSTS)
def test_every_console_change_needs_a_signed_in_operator(client, path):
    token = csrf_token(client)  # a valid token, but nobody signed in
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302 and response.location.startswith("/admin/login")


def test_an_editor_cannot_manage_operators(editor_client, admin):
    for path in ADMIN_ONLY:
        response = editor_client.get(path.format(id=admin.id))
        assert response.status_code == 403, path
        assert "You cannot open this page" in response.text
    token = csrf_token(editor_client, "/admin/")
    for path in ADMIN_ONLY_POSTS:
        data = {"csrf_token": token, "role": "editor", "active": "0"}
        response = editor_client.post(path.format(id=admin.id), data=data)
        assert response.status_code == 403, path
    assert 'href="/admin/operators"' not in editor_client.get("/admin/").text


def test_an_editor_cannot_revoke_someone_elses_token(app, editor_client, admin):
    with app.app_context():
        token, _plain = service.issue_api_token(service.get_operator(admin.id), "theirs")
        token_id = token.id
    response = post(editor_client, f"/admin/account/tokens/{token_id}/revoke", token_from="/admin/")
    assert response.status_code == 403
    with app.app_context():
        assert service.get_api_token(token_id).revoked_at is None


def test_a_deactivated_operator_is_signed_out_at_once(app, editor, admin_client):
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    assert client.get("/admin/").status_code == 200
    response = post(
        admin_client, f"/admin/operators/{editor.id}/active", {"active": "0"}, token_from="/admin/"
    )
    assert response.status_code == 303
    assert client.get("/admin/").status_code == 302


def test_a_role_change_takes_effect_at_once(app, editor, admin_client):
    client = app.test_client()
    sign_in(client, editor)
    post(
        admin_client, f"/admin/operators/{editor.id}/role", {"role": "admin"}, token_from="/admin/"
    )
    # Their old session ended: they sign in again (password and code) to go on.
    assert client.get("/admin/").status_code == 302
    again = post(client, "/admin/login", {"email": editor.email, "password": editor.password})
    assert again.location == "/admin/login/code"


WRITE_BODY = {
    "name": {"en": "Test line"},
    "country": "US",
    "topics": ["crisis"],
    "contacts": [{"kind": "call", "value": "988"}],
}


def test_the_write_api_takes_tokens_of_active_operators_only(app, client):
    editor = make_operator(app)
    with app.app_context():
        operator = service.find_operator(editor.email)
        _token, plaintext = service.issue_api_token(operator, "script")
        _, revoked_plaintext = service.issue_api_token(operator, "old")
        service.revoke_api_token(
            service.list_api_tokens(operator)[0].id, service.actor_for(operator)
        )

    def write(secret):
        return client.post(
            "/api/v1/helplines", json=WRITE_BODY, headers={"Authorization": f"Bearer {secret}"}
        )

    assert client.post("/api/v1/helplines", json=WRITE_BODY).status_code == 401
    assert write("stdy_not-a-real-token").status_code == 401
    assert write(revoked_plaintext).status_code == 401
    created = write(plaintext)
    assert created.status_code == 201, created.get_json()
    with app.app_context():
        service.set_active(service.find_operator(editor.email), False, service.SYSTEM)
    assert write(plaintext).status_code == 401
    assert "Set-Cookie" not in created.headers
