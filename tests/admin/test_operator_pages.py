"""Operators in the console (admins) and each person's own API tokens."""

from __future__ import annotations

import re

from backend import audit
from backend.accounts import service
from tests.admin.console import csrf_token, post
from tests.pagecheck import check_page

NEW = {
    "email": "Newbie@Steady.test",
    "display_name": "Nia",
    "role": "editor",
    "password": "a long enough passphrase",
    "password_again": "a long enough passphrase",
}


def operator_rows(app, operator_id):
    with app.app_context():
        return audit.list_entries(entity_type="operator", entity_id=str(operator_id))


def test_an_admin_adds_an_operator_who_can_then_sign_in(app, admin_client):
    response = post(admin_client, "/admin/operators/new", NEW)
    assert response.status_code == 303
    page = admin_client.get(response.location)
    check_page(page.text, response.location)
    assert "Added Nia." in page.text and "newbie@steady.test" in page.text
    with app.app_context():
        nia = service.find_operator("newbie@steady.test")
        entries, total = audit.list_entries(entity_type="operator", entity_id=str(nia.id))
    assert total == 1 and entries[0].actor_label == "Ada (admin)"
    other = app.test_client()
    signed = post(
        other, "/admin/login", {"email": "newbie@steady.test", "password": NEW["password"]}
    )
    # Then they set up an authenticator app and choose their own password (M3, L7:
    # tests/admin/test_account_security.py follows them all the way).
    assert signed.status_code == 303 and signed.location == "/admin/login/enrol"


def test_the_add_form_explains_each_problem(app, admin_client, editor):
    cases = [
        ({"email": "nope"}, "Enter an e-mail address like name@example.org."),
        ({"email": editor.email.upper()}, "already exists"),
        ({"password": "short", "password_again": "short"}, "Use at least 12 characters."),
        ({"password_again": "something else entirely"}, "The two passwords differ."),
        ({"password": "a" * 14, "password_again": "a" * 14}, "different characters"),
    ]
    for change, message in cases:
        response = post(admin_client, "/admin/operators/new", {**NEW, **change})
        assert response.status_code == 422, change
        assert message in response.text, message
        assert 'class="app-error-summary"' in response.text
    with app.app_context():
        assert service.find_operator("newbie@steady.test") is None


def test_role_deactivation_and_totp_reset_are_audited_once_each(app, admin_client, editor):
    base = f"/admin/operators/{editor.id}"
    _e, start = operator_rows(app, editor.id)
    steps = [
        (f"{base}/role", {"role": "admin"}, "is now an admin"),
        (f"{base}/role", {"role": "editor"}, "is now an editor"),
        (f"{base}/reset-totp", {}, "Two-step sign-in of Eddie is reset"),
        (f"{base}/active", {"active": "0"}, "deactivated"),
        (f"{base}/active", {"active": "1"}, "active again"),
    ]
    for count, (path, data, message) in enumerate(steps, start=1):
        response = post(admin_client, path, data, token_from=base)
        assert response.status_code == 303
        assert message in admin_client.get(base).text
        assert operator_rows(app, editor.id)[1] == start + count


def test_the_last_admin_cannot_demote_themself(app, admin_client, admin):
    response = post(
        admin_client, f"/admin/operators/{admin.id}/role", {"role": "editor"}, token_from="/admin/"
    )
    assert response.status_code == 303
    assert (
        "The last active admin cannot stop being an admin."
        in admin_client.get(response.location).text
    )
    with app.app_context():
        assert service.get_operator(admin.id).role == "admin"


def test_my_tokens_are_shown_once_listed_by_prefix_and_revocable(app, editor_client, editor):
    created = post(
        editor_client, "/admin/account/tokens", {"label": "CRM sync"}, token_from="/admin/account"
    )
    secret = re.search(r'id="new-token">(stdy_[\w-]+)<', created.text).group(1)
    listing = editor_client.get("/admin/account").text
    assert secret not in listing  # never shown again
    assert f"<code>{secret[:8]}…</code>" in listing and "CRM sync" in listing
    with app.app_context():
        assert service.authenticate_api_token(secret).id == editor.id
        token_id = service.list_api_tokens(service.get_operator(editor.id))[0].id
    revoked = post(
        editor_client, f"/admin/account/tokens/{token_id}/revoke", token_from="/admin/account"
    )
    assert revoked.status_code == 303
    assert "Scripts using it stop working now." in editor_client.get("/admin/account").text
    with app.app_context():
        assert service.authenticate_api_token(secret) is None
        _e, total = audit.list_entries(entity_type="api_token")
    assert total == 2


def test_an_empty_token_name_is_explained(editor_client):
    response = post(
        editor_client, "/admin/account/tokens", {"label": ""}, token_from="/admin/account"
    )
    assert response.status_code == 422 and "Give the token a name." in response.text


def test_an_admin_revokes_another_operators_token(app, admin_client, editor):
    with app.app_context():
        token, secret = service.issue_api_token(service.get_operator(editor.id), "theirs")
        token_id = token.id
    page = f"/admin/operators/{editor.id}"
    assert "theirs" in admin_client.get(page).text
    response = post(admin_client, f"{page}/tokens/{token_id}/revoke", token_from=page)
    assert response.status_code == 303
    with app.app_context():
        assert service.authenticate_api_token(secret) is None
        entries, _ = audit.list_entries(action="token.revoke")
    assert entries[0].actor_label == "Ada (admin)"


def test_changing_my_password_keeps_me_signed_in_and_ends_other_sessions(
    app, editor, editor_client
):
    other = app.test_client()
    from tests.admin.console import sign_in

    sign_in(other, editor)
    wrong = post(
        editor_client,
        "/admin/account/password",
        {
            "current_password": "not my password",
            "password": "a brand new passphrase",
            "password_again": "a brand new passphrase",
        },
    )
    assert wrong.status_code == 422 and "Your current password is not right." in wrong.text
    short = post(
        editor_client,
        "/admin/account/password",
        {"current_password": editor.password, "password": "x" * 6, "password_again": "x" * 6},
    )
    assert short.status_code == 422 and "Use at least 12 characters." in short.text
    done = post(
        editor_client,
        "/admin/account/password",
        {
            "current_password": editor.password,
            "password": "a brand new passphrase",
            "password_again": "a brand new passphrase",
        },
    )
    assert done.status_code == 303
    assert editor_client.get("/admin/").status_code == 200
    assert other.get("/admin/").status_code == 302
    token = csrf_token(other)
    assert (
        other.post(
            "/admin/login",
            data={"csrf_token": token, "email": editor.email, "password": "a brand new passphrase"},
        ).status_code
        == 303
    )
