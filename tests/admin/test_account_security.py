"""Console sessions end for real (M1), sign-in settings and tokens need the password and a
code (M2), two-step sign-in for every role and expiring tokens (M3, L2), session binding
(L3), the enrolment seed (L4) and a first password chosen by someone else (L7); issue 9.
Every test runs on SQLite and PostgreSQL (the `app` fixture)."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlalchemy import update

from backend.accounts import service
from backend.accounts.models import OperatorSession, utcnow
from backend.extensions import db
from tests.admin.console import csrf_token, make_operator, post, sign_in
from tests.pagecheck import check_page

COOKIE = "steady_admin"


def copy_of(app, client, **environ):
    """Another browser holding a copy of `client`'s console cookie (e.g. stolen)."""
    other = app.test_client()
    other.environ_base.update(environ)
    other.set_cookie(COOKIE, client.get_cookie(COOKIE, path="/admin").value, path="/admin")
    return other


def age_confirmations(app, person, minutes: int = 10) -> None:
    """As if the person last gave their password and code `minutes` ago."""
    with app.app_context():
        db.session.execute(
            update(OperatorSession)
            .where(OperatorSession.operator_id == person.id)
            .values(confirmed_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def test_m1_a_cookie_copied_before_signing_out_opens_nothing_afterwards(app, editor):
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    stolen = copy_of(app, client)
    assert stolen.get("/admin/").status_code == 200  # a copy works while the session lives
    assert post(client, "/admin/logout", token_from="/admin/").status_code == 303
    assert stolen.get("/admin/").status_code == 302
    assert stolen.get("/admin/account").status_code == 302


def test_m1_a_new_password_or_signing_out_everywhere_ends_every_session(app, editor):
    first, second = app.test_client(), app.test_client()
    assert sign_in(first, editor).status_code == 303
    assert sign_in(second, editor).status_code == 303
    new = "a brand new passphrase here"
    changed = post(
        first,
        "/admin/account/password",
        {"current_password": editor.password, "password": new, "password_again": new},
    )
    assert changed.status_code == 303
    assert first.get("/admin/").status_code == 200  # the one who changed it goes on
    assert second.get("/admin/").status_code == 302
    editor.password = new
    third = app.test_client()
    assert sign_in(third, editor).status_code == 303
    everywhere = post(first, "/admin/account/sessions/end", token_from="/admin/account")
    assert everywhere.status_code == 303 and everywhere.location == "/admin/login"
    assert "signed out everywhere" in first.get("/admin/login").text
    for client in (first, third):
        assert client.get("/admin/").status_code == 302


def test_m2_a_token_needs_the_password_and_a_code_given_in_the_last_minutes(app, editor):
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    age_confirmations(app, editor)
    made = post(client, "/admin/account/tokens", {"label": "sync"}, token_from="/admin/account")
    assert made.status_code == 303 and made.location.startswith("/admin/account/confirm")
    with app.app_context():
        assert service.list_api_tokens() == []
    page = client.get(made.location)
    check_page(page.text, made.location)
    wrong = post(client, "/admin/account/confirm", {"password": editor.password, "code": "000000"})
    assert wrong.status_code == 422 and "did not work" in wrong.text
    right = post(
        client,
        "/admin/account/confirm",
        {"password": editor.password, "code": editor.code(), "next": "/admin/account"},
    )
    assert right.status_code == 303 and right.location == "/admin/account"
    made = post(client, "/admin/account/tokens", {"label": "sync"}, token_from="/admin/account")
    assert made.status_code == 200 and "Your new token: copy it now" in made.text


def test_m2_a_replayed_cookie_cannot_move_two_step_sign_in_to_another_app(app, editor):
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    stolen = copy_of(app, client)
    age_confirmations(app, editor)
    asked = stolen.get("/admin/account/two-step")
    assert asked.status_code == 303 and asked.location.startswith("/admin/account/confirm")
    posted = post(stolen, "/admin/account/two-step", {"code": "123456"}, token_from="/admin/")
    assert posted.status_code == 303 and "/admin/account/confirm" in posted.location
    post(client, "/admin/logout", token_from="/admin/")
    assert stolen.get("/admin/account/two-step").status_code == 302  # and now nothing at all


def test_m3_an_editor_without_an_app_sets_one_up_before_anything_else(app, client):
    editor = make_operator(app, totp=False)
    signed = post(client, "/admin/login", {"email": editor.email, "password": editor.password})
    assert signed.location == "/admin/login/enrol"
    for path in ("/admin/", "/admin/helplines", "/admin/account"):
        assert client.get(path).status_code == 302
    page = client.get("/admin/login/enrol")
    assert "Everyone signs in to the console with a password and a code" in page.text
    key = page.text.split('id="totp-key">')[1].split("<")[0].replace(" ", "")
    done = post(client, "/admin/login/enrol", {"code": pyotp.TOTP(key).now()})
    assert done.status_code == 303 and client.get("/admin/").status_code == 200


def test_m3_l2_tokens_expire_show_when_and_die_with_deactivation(app, admin_client, editor):
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    made = post(client, "/admin/account/tokens", {"label": "sync"}, token_from="/admin/account")
    plaintext = made.text.split('id="new-token">')[1].split("<")[0]
    with app.app_context():
        (token,) = service.list_api_tokens()
        assert timedelta(days=89) < token.expires_at - utcnow() <= timedelta(days=90)
        expiry = token.expires_at.strftime("%Y-%m-%d")
    account = client.get("/admin/account").text
    assert '<th scope="col">Expires</th>' in account and expiry in account
    assert f'It works until <time datetime="{token.expires_at.isoformat()}">' in made.text
    with app.app_context():
        assert service.authenticate_api_token(plaintext) is not None
        later = token.expires_at + timedelta(seconds=1)
        assert service.authenticate_api_token(plaintext, now=later) is None  # expired

    for active in ("0", "1"):  # deactivated, then reactivated
        post(
            admin_client,
            f"/admin/operators/{editor.id}/active",
            {"active": active},
            token_from="/admin/",
        )
    with app.app_context():
        assert service.authenticate_api_token(plaintext) is None  # still dead
    assert "Revoked" in admin_client.get(f"/admin/operators/{editor.id}").text


def test_l3_a_forged_x_forwarded_for_does_not_carry_a_session_to_another_address(app, editor):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.5"
    assert sign_in(client, editor).status_code == 303
    elsewhere = copy_of(app, client, REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert elsewhere.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_l4_the_seed_being_set_up_is_never_readable_in_the_cookie(app, client):
    editor = make_operator(app, totp=False)
    post(client, "/admin/login", {"email": editor.email, "password": editor.password})
    page = client.get("/admin/login/enrol")
    key = page.text.split('id="totp-key">')[1].split("<")[0].replace(" ", "")
    cookie = client.get_cookie(COOKIE, path="/admin").value
    contents = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert key not in cookie and key not in repr(contents)
    again = client.get("/admin/login/enrol")  # the same key while the page is reloaded
    assert again.text.split('id="totp-key">')[1].split("<")[0].replace(" ", "") == key


def test_l7_a_first_password_chosen_by_an_admin_must_be_changed_first(app, admin_client):
    given = "a password the admin chose"
    made = post(
        admin_client,
        "/admin/operators/new",
        {
            "email": "nia@steady.test",
            "display_name": "Nia",
            "role": "editor",
            "password": given,
            "password_again": given,
        },
    )
    assert made.status_code == 303
    nia = app.test_client()
    post(nia, "/admin/login", {"email": "nia@steady.test", "password": given})
    key = nia.get("/admin/login/enrol").text.split('id="totp-key">')[1].split("<")[0]
    post(nia, "/admin/login/enrol", {"code": pyotp.TOTP(key.replace(" ", "")).now()})
    for path in ("/admin/", "/admin/helplines", "/admin/account/tokens"):
        response = nia.get(path) if path != "/admin/account/tokens" else nia.post(path)
        assert response.status_code in (303, 400), path
        if response.status_code == 303:
            assert response.location == "/admin/account/password"
    page = nia.get("/admin/account/password")
    check_page(page.text, "/admin/account/password")
    assert "<h1>Choose your own password</h1>" in page.text
    own = "only nia knows this one"
    changed = post(
        nia,
        "/admin/account/password",
        {"current_password": given, "password": own, "password_again": own},
    )
    assert changed.status_code == 303 and changed.location == "/admin/"
    assert nia.get("/admin/").status_code == 200


def test_the_confirm_page_is_limited_and_locks_after_five_wrong_tries(app, editor):
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    token = csrf_token(client, "/admin/account/confirm")
    for _ in range(5):
        client.post(
            "/admin/account/confirm",
            data={"csrf_token": token, "password": "not it at all", "code": "000000"},
        )
    assert client.get("/admin/").status_code == 302  # locked: signed out
    assert "locked for 15 minutes" in client.get("/admin/login").text
