"""TOTP seeds are stored encrypted with a key of their own, and that key rotates with a
documented command (issue 9, "Also")."""

from __future__ import annotations

import pyotp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from backend.accounts import login, service, totp_seal
from backend.extensions import db
from tests.conftest import make_app

GOOD = "correct horse battery staple"


def stored_seed(app, operator_id: int) -> str:
    with app.app_context():
        return db.session.execute(
            text("SELECT totp_secret FROM operators WHERE id = :id"), {"id": operator_id}
        ).scalar_one()


def enrolled(app) -> tuple[int, str]:
    """An operator who set up an app through the real enrolment; (id, seed)."""
    with app.app_context():
        operator = service.create_operator("ada@steady.test", "Ada", "admin", GOOD)
        seed = pyotp.random_base32()
        assert login.enrol_totp(operator, seed, pyotp.TOTP(seed).now())
        return operator.id, seed


def signs_in(app, operator_id: int, seed: str) -> bool:
    with app.app_context():
        operator = service.get_operator(operator_id)
        operator.totp_last_step = None  # a new code, as a minute later
        db.session.commit()
        return login.check_code(operator, pyotp.TOTP(seed).now())


def test_also_the_seed_is_stored_encrypted_not_with_the_secret_key(database_url):
    app = make_app(database_url)
    operator_id, seed = enrolled(app)
    stored = stored_seed(app, operator_id)
    assert seed not in stored and len(stored) == 64  # nonce, ciphertext and tag
    keys = app.config["TOTP_ENCRYPTION_KEY"]
    assert app.config["SECRET_KEY"] not in keys
    with app.app_context():
        assert totp_seal.unseal(stored, totp_seal.for_operator(operator_id)) == seed
    assert signs_in(app, operator_id, seed)


def test_also_a_sealed_seed_copied_to_another_operator_does_not_open(database_url):
    app = make_app(database_url)
    ada_id, _seed = enrolled(app)
    with app.app_context():
        eve = service.create_operator("eve@steady.test", "Eve", "editor", GOOD)
        eve.totp_secret = service.get_operator(ada_id).totp_secret
        db.session.commit()
        with pytest.raises(totp_seal.SeedUnreadable):
            totp_seal.unseal(eve.totp_secret, totp_seal.for_operator(eve.id))


def test_also_the_key_rotates_with_flask_operators_rotate_totp_key(database_url):
    old = make_app(database_url)
    operator_id, seed = enrolled(old)
    before = stored_seed(old, operator_id)

    new_key = Fernet.generate_key().decode()
    both = make_app(
        database_url, TOTP_ENCRYPTION_KEY=f"{new_key},{old.config['TOTP_ENCRYPTION_KEY']}"
    )
    result = both.test_cli_runner().invoke(args=["operators", "rotate-totp-key"])
    assert result.exit_code == 0, result.output
    assert "Encrypted 1 TOTP seed with the first key." in result.output
    assert stored_seed(both, operator_id) != before

    only_new = make_app(database_url, TOTP_ENCRYPTION_KEY=new_key)
    assert signs_in(only_new, operator_id, seed)  # the old key is no longer needed
    stranger = make_app(database_url, TOTP_ENCRYPTION_KEY=Fernet.generate_key().decode())
    assert not signs_in(stranger, operator_id, seed)
    refused = stranger.test_cli_runner().invoke(args=["operators", "rotate-totp-key"])
    assert refused.exit_code == 1 and "could not be read with any key" in refused.output


def test_also_a_seed_stored_before_encryption_is_encrypted_at_the_next_sign_in(database_url):
    app = make_app(database_url)
    with app.app_context():
        operator = service.create_operator("ada@steady.test", "Ada", "admin", GOOD)
        seed = pyotp.random_base32()
        operator.totp_secret = seed  # as the previous release stored it
        db.session.commit()
        operator_id = operator.id
    assert signs_in(app, operator_id, seed)
    stored = stored_seed(app, operator_id)
    assert seed not in stored and len(stored) == 64
