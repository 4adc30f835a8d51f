"""Signing in to the console through the real forms: password, TOTP (every role),
enrolment, limits and lockout."""

from __future__ import annotations

import pyotp

from backend.accounts import service, totp_seal
from tests.admin.console import csrf_token, make_operator, post, sign_in
from tests.pagecheck import check_page


def test_an_editor_signs_in_with_a_password_and_a_code(client, editor):
    response = sign_in(client, editor)
    assert response.status_code == 303 and response.location == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200 and "Signed in as Eddie (editor)" in page.text


def test_a_wrong_password_is_refused_without_saying_whether_the_account_exists(client, editor):
    wrong = sign_in(client, editor, password="not the password")
    unknown = post(client, "/admin/login", {"email": "nobody@steady.test", "password": "x" * 12})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "The e-mail address or password is not right" in response.text
        check_page(response.text, "/admin/login")
    assert client.get("/admin/").status_code == 302


def test_an_admin_with_totp_needs_the_code(client, admin):
    response = post(client, "/admin/login", {"email": admin.email, "password": admin.password})
    assert response.location == "/admin/login/code"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    page = client.get("/admin/login/code")
    check_page(page.text, "/admin/login/code")
    wrong = post(client, "/admin/login/code", {"code": "000000"})
    assert "That code did not work" in wrong.text
    right = post(client, "/admin/login/code", {"code": admin.code()})
    assert right.status_code == 303 and right.location == "/admin/"
    assert client.get("/admin/operators").status_code == 200


def test_a_code_used_once_is_refused_at_the_next_sign_in(app, admin):
    first, second = app.test_client(), app.test_client()
    code = pyotp.TOTP(admin.secret).now()
    post(first, "/admin/login", {"email": admin.email, "password": admin.password})
    assert post(first, "/admin/login/code", {"code": code}).status_code == 303
    post(second, "/admin/login", {"email": admin.email, "password": admin.password})
    replay = post(second, "/admin/login/code", {"code": code})
    assert replay.status_code == 200 and "each works once" in replay.text
    assert second.get("/admin/").status_code == 302


def test_an_editor_with_totp_needs_the_code_too(app, client):
    editor = make_operator(app, totp=True)
    response = post(client, "/admin/login", {"email": editor.email, "password": editor.password})
    assert response.location == "/admin/login/code"


def test_an_admin_without_totp_must_enrol_before_anything_else(app, client):
    admin = make_operator(app, "ada@steady.test", "Ada", "admin", totp=False)
    response = post(client, "/admin/login", {"email": admin.email, "password": admin.password})
    assert response.location == "/admin/login/enrol"
    for path in ("/admin/", "/admin/operators", "/admin/account"):
        assert client.get(path).status_code == 302
    page = client.get("/admin/login/enrol")
    check_page(page.text, "/admin/login/enrol")
    key = page.text.split('id="totp-key">')[1].split("<")[0].replace(" ", "")
    assert f"secret={key}" in page.text.replace("&amp;", "&")  # the otpauth:// link
    wrong = post(client, "/admin/login/enrol", {"code": "000000"}, token_from=None)
    assert "That code did not match" in wrong.text
    done = post(client, "/admin/login/enrol", {"code": pyotp.TOTP(key).now()}, token_from=None)
    assert done.status_code == 303, done.text
    assert client.get("/admin/operators").status_code == 200
    with app.app_context():
        assert (
            totp_seal.unseal(service.find_operator(admin.email).totp_secret, f"operator:{admin.id}")
            == key
        )


def test_an_operator_moves_two_step_sign_in_to_a_new_app(app, editor_client, editor):
    page = editor_client.get("/admin/account/two-step")  # just signed in: no need to confirm
    check_page(page.text, "/admin/account/two-step")
    assert "Your old app keeps working until the new one shows the right code" in page.text
    key = page.text.split('id="totp-key">')[1].split("<")[0].replace(" ", "")
    token = csrf_token(editor_client, "/admin/account")
    done = editor_client.post(
        "/admin/account/two-step", data={"csrf_token": token, "code": pyotp.TOTP(key).now()}
    )
    assert done.status_code == 303
    assert "Two-step sign-in</dt><dd>On" in editor_client.get("/admin/account").text
    with app.app_context():
        assert (
            totp_seal.unseal(
                service.find_operator(editor.email).totp_secret, f"operator:{editor.id}"
            )
            == key
        )


def test_m3_two_step_sign_in_cannot_be_turned_off(editor_client, admin_client):
    for client in (editor_client, admin_client):
        assert "Turn off two-step sign-in" not in client.get("/admin/account").text
        off = post(client, "/admin/account/two-step/off", token_from="/admin/account")
        assert off.status_code in (404, 405)


def test_five_wrong_passwords_from_one_address_make_it_wait_even_with_the_right_one(
    app, client, editor
):
    for _ in range(5):
        assert sign_in(client, editor, password="wrong password!").status_code == 200
    assert sign_in(client, editor).status_code == 429  # from here: wait
    with app.app_context():
        assert service.find_operator(editor.email).locked_until is None  # not a lockout


def test_a_lock_reached_at_the_code_step_sends_the_person_back(app, client, admin):
    post(client, "/admin/login", {"email": admin.email, "password": admin.password})
    for _ in range(4):
        post(client, "/admin/login/code", {"code": "000000"})
    last = post(client, "/admin/login/code", {"code": "000000"})
    assert last.status_code == 303 and last.location == "/admin/login"
    assert "locked for 15 minutes" in client.get("/admin/login").text


def test_a_deactivated_operator_cannot_sign_in(app, client, editor):
    with app.app_context():
        service.set_active(service.find_operator(editor.email), False, service.SYSTEM)
    assert sign_in(client, editor).status_code == 200


def test_the_next_page_is_kept_but_never_leads_off_the_console(client, editor):
    response = client.get("/admin/audit?action=token.issue")
    assert response.status_code == 302 and "next=" in response.location
    login_page = client.get(response.location)
    assert 'value="/admin/audit?action=token.issue"' in login_page.text
    signed = post(
        client,
        "/admin/login",
        {"email": editor.email, "password": editor.password, "next": "/admin/audit?x=1"},
    )
    assert signed.location == "/admin/login/code"
    signed = post(client, "/admin/login/code", {"code": editor.code()})
    assert signed.location == "/admin/audit?x=1"
    other = post(client, "/admin/logout", token_from="/admin/")
    assert other.status_code == 303
    for evil in ("https://evil.example/", "//evil.example/admin", "/helplines"):
        post(
            client,
            "/admin/login",
            {"email": editor.email, "password": editor.password, "next": evil},
        )
        signed = post(client, "/admin/login/code", {"code": editor.code()})
        assert signed.location == "/admin/"
        post(client, "/admin/logout", token_from="/admin/")


def test_signing_out_ends_the_session(editor_client):
    response = post(editor_client, "/admin/logout", token_from="/admin/")
    assert response.status_code == 303 and response.location == "/admin/login"
    assert editor_client.get("/admin/").status_code == 302
    assert "You are signed out." in editor_client.get("/admin/login").text
