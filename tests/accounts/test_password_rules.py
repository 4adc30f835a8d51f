"""M4 (issue 9): passwords on a well-known common-password list are refused, ignoring case,
with a clear message, by the console and the CLI alike; the length rules stay."""

from __future__ import annotations

import gzip

import pytest

from backend.accounts import passwords, service
from backend.accounts.passwords import COMMON_PASSWORDS, WeakPassword, check_strength
from tests.admin.console import make_operator, post, sign_in

# The three the review got accepted, and a few more shapes of the same thing.
COMMON = [
    "password1234",
    "Password123!",
    "qwertyuiop12",
    "PASSWORD1234",
    "!!iloveyou2024",
    "monkey!!!!!!!!",
]
NOT_COMMON = ["correct horse battery staple", "sunshine-and-rain-2024", "Tr0ub4dor&3xyz!"]


def test_m4_the_list_shipped_with_the_app_is_the_100000_most_common():
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        entries = [line.rstrip("\n") for line in lines]
    assert entries[:3] == ["123456", "123456789", "qwerty"]
    assert len(entries) == len(set(entries)) == 97_851  # 100,000 lines, lower-cased, once each
    assert all(entry == entry.lower() for entry in entries)
    assert "**Licence:**" in (COMMON_PASSWORDS.parent / "README.md").read_text()


@pytest.mark.parametrize("password", COMMON)
def test_m4_common_passwords_are_refused_ignoring_case(password):
    with pytest.raises(WeakPassword, match="This password is too common"):
        check_strength(password, "eddie@steady.test")


@pytest.mark.parametrize("password", NOT_COMMON)
def test_m4_uncommon_passwords_still_pass(password):
    check_strength(password, "eddie@steady.test")


def test_m4_the_length_rules_stay():
    for short in ("a1b2c3d4e5f", "x" * 11):
        with pytest.raises(WeakPassword, match="at least 12"):
            check_strength(short)
    with pytest.raises(WeakPassword, match="at most 256"):
        check_strength("a long one " * 30)
    assert passwords.MIN_LENGTH == 12


def signed_in(app, person):
    client = app.test_client()
    assert sign_in(client, person).status_code == 303
    return client


def test_m4_the_console_refuses_a_common_password_with_a_clear_message(app):
    admin_client = signed_in(app, make_operator(app, "ada@steady.test", "Ada", "admin"))
    response = post(
        admin_client,
        "/admin/operators/new",
        {
            "email": "nia@steady.test",
            "display_name": "Nia",
            "role": "editor",
            "password": "Password123!",
            "password_again": "Password123!",
        },
    )
    assert response.status_code == 422
    assert "This password is too common" in response.text
    with app.app_context():
        assert service.find_operator("nia@steady.test") is None


def test_m4_changing_to_a_common_password_is_refused_too(app):
    editor = make_operator(app)
    editor_client = signed_in(app, editor)
    response = post(
        editor_client,
        "/admin/account/password",
        {
            "current_password": editor.password,
            "password": "qwertyuiop12",
            "password_again": "qwertyuiop12",
        },
    )
    assert response.status_code == 422 and "This password is too common" in response.text


def test_m4_the_cli_refuses_a_common_password_and_asks_again(app, runner):
    good = "correct horse battery staple"
    result = runner.invoke(
        args=["operators", "create", "--email", "e@steady.test", "--name", "E", "--role", "editor"],
        input=f"password1234\npassword1234\n{good}\n{good}\n",
    )
    assert result.exit_code == 0, result.output
    assert "That password is too weak: This password is too common" in result.output
    with app.app_context():
        operator = service.find_operator("e@steady.test")
        assert passwords.verify_password(operator.password_hash, good)
