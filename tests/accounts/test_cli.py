"""`flask operators …` through the real CLI runner: no default password anywhere."""

from __future__ import annotations

from backend.accounts import service
from backend.accounts.models import Operator
from backend.extensions import db

GOOD = "correct horse battery staple"


def create(runner, *extra, input_text=None, role="editor", email="eddie@steady.test"):
    args = ["operators", "create", "--email", email, "--name", "Eddie", "--role", role, *extra]
    return runner.invoke(args=args, input=input_text)


def test_create_asks_for_the_password_twice_hidden_and_stores_a_hash(app, runner):
    result = create(runner, input_text=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "Created editor Eddie <eddie@steady.test>." in result.output
    assert GOOD not in result.output  # hidden input is not echoed
    with app.app_context():
        operator = service.find_operator("eddie@steady.test")
        assert operator.password_hash.startswith("$argon2id$")


def test_create_refuses_a_weak_password_and_asks_again(app, runner):
    result = create(runner, input_text=f"short\nshort\n{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "too weak: Use at least 12 characters." in result.output


def test_create_asks_again_when_the_two_entries_differ(app, runner):
    result = create(runner, input_text=f"{GOOD}\n{GOOD}x\n{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output.lower() or "mismatch" in result.output.lower()


def test_create_without_a_password_creates_nobody(app, runner):
    result = create(runner, input_text="")
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.query(Operator).count() == 0


def test_create_refuses_a_duplicate_and_an_unknown_role(app, runner):
    assert create(runner, input_text=f"{GOOD}\n{GOOD}\n").exit_code == 0
    again = create(runner, input_text=f"{GOOD}\n{GOOD}\n")
    assert again.exit_code == 1 and "already exists" in again.output
    wrong = create(runner, role="owner", email="x@steady.test", input_text=f"{GOOD}\n{GOOD}\n")
    assert wrong.exit_code == 2 and "owner" in wrong.output


def test_an_admin_is_told_about_the_authenticator_app(app, runner):
    result = create(runner, role="admin", email="ada@steady.test", input_text=f"{GOOD}\n{GOOD}\n")
    assert "authenticator app" in result.output


def test_list_deactivate_and_reset_totp(app, runner):
    assert "No operators yet" in runner.invoke(args=["operators", "list"]).output
    create(runner, input_text=f"{GOOD}\n{GOOD}\n")
    with app.app_context():
        operator = service.find_operator("eddie@steady.test")
        operator.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        db.session.commit()
    listed = runner.invoke(args=["operators", "list"]).output
    assert "eddie@steady.test\tEddie\teditor\tactive\tTOTP\tlast sign-in never" in listed

    reset = runner.invoke(args=["operators", "reset-totp", "EDDIE@steady.test"])
    assert reset.exit_code == 0 and "Reset the authenticator app" in reset.output
    gone = runner.invoke(args=["operators", "deactivate", "eddie@steady.test"])
    assert gone.exit_code == 0 and "Deactivated eddie@steady.test." in gone.output
    with app.app_context():
        operator = service.find_operator("eddie@steady.test")
        assert operator.totp_secret is None and not operator.active
    assert "deactivated\tno TOTP" in runner.invoke(args=["operators", "list"]).output

    missing = runner.invoke(args=["operators", "deactivate", "nobody@steady.test"])
    assert missing.exit_code == 1 and "No operator has" in missing.output
