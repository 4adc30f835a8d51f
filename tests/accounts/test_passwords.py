"""Passwords are argon2id hashes, checked for strength, and rehashed when parameters change."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from backend.accounts import login, passwords, service
from backend.accounts.models import Operator
from backend.extensions import db

GOOD = "correct horse battery staple"


def test_hash_is_argon2id_and_salted(ctx):
    first, second = passwords.hash_password(GOOD), passwords.hash_password(GOOD)
    assert first.startswith("$argon2id$")
    assert first != second
    assert passwords.verify_password(first, GOOD)
    assert not passwords.verify_password(first, GOOD + "!")


def test_an_unreadable_hash_never_verifies(ctx):
    assert not passwords.verify_password("not-a-hash", GOOD)
    assert passwords.needs_rehash("not-a-hash")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "at least 12"),
        ("x" * 257, "at most 256"),
        ("aaaaaaaaaaaaaaaa", "different characters"),
        ("eddie@steady.test", "e-mail address"),
    ],
)
def test_weak_passwords_are_refused(ctx, password, reason):
    with pytest.raises(passwords.WeakPassword, match=reason):
        passwords.check_strength(password, "eddie@steady.test")
    with pytest.raises(passwords.WeakPassword):
        service.create_operator("eddie@steady.test", "Eddie", "editor", password)
    assert db.session.query(Operator).count() == 0


def test_password_is_rehashed_at_login_when_parameters_change(ctx):
    operator = service.create_operator("eddie@steady.test", "Eddie", "editor", GOOD)
    # A hash made with other (older, weaker) parameters, as an old deployment left it.
    operator.password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(GOOD)
    db.session.commit()
    old = operator.password_hash
    assert passwords.needs_rehash(old)

    assert login.check_password("eddie@steady.test", GOOD).outcome == login.NEEDS_ENROLMENT

    db.session.refresh(operator)
    assert operator.password_hash != old
    assert not passwords.needs_rehash(operator.password_hash)
    assert passwords.verify_password(operator.password_hash, GOOD)


def test_a_current_hash_is_left_alone_at_login(ctx):
    operator = service.create_operator("eddie@steady.test", "Eddie", "editor", GOOD)
    before = operator.password_hash
    login.check_password("eddie@steady.test", GOOD)
    db.session.refresh(operator)
    assert operator.password_hash == before


def test_the_password_hash_never_reaches_the_audit_log(ctx):
    from backend import audit

    operator = service.create_operator("eddie@steady.test", "Eddie", "editor", GOOD)
    service.change_password(operator, "another long passphrase", service.SYSTEM)
    entries, _ = audit.list_entries(entity_type="operator")
    text = repr([e.changes for e in entries])
    assert "argon2" not in text and GOOD not in text and "another long" not in text
    assert entries[0].changes == {"password": {"before": "unchanged", "after": "changed"}}
