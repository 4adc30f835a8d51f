"""Signing in: every role needs a second factor; wrong codes lock the account (wrong
passwords alone do not: L6); every attempt is audited with the address (L5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from backend import audit
from backend.accounts import login, service, totp_seal
from backend.extensions import db

GOOD = "correct horse battery staple"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make(email="eddie@steady.test", role="editor", secret=None):
    operator = service.create_operator(email, email.split("@")[0].title(), role, GOOD)
    if secret:
        operator.totp_secret = totp_seal.seal(secret, totp_seal.for_operator(operator.id))
        db.session.commit()
    return operator


def test_m3_every_operator_without_totp_must_enrol_first(ctx):
    for email, role in (("eddie@steady.test", "editor"), ("ada@steady.test", "admin")):
        make(email, role)
        check = login.check_password(f"  {email.upper()} ", GOOD, now=NOW)
        assert check.outcome == login.NEEDS_ENROLMENT
        assert check.operator.last_login_at is None  # not signed in yet


def test_an_operator_with_totp_needs_a_code(ctx):
    secret = pyotp.random_base32()
    for email, role in (("ada@steady.test", "admin"), ("eddie@steady.test", "editor")):
        make(email, role, secret)
        assert login.check_password(email, GOOD, now=NOW).outcome == login.NEEDS_CODE


def test_a_code_signs_in_once_and_is_refused_the_second_time(ctx):
    secret = pyotp.random_base32()
    operator = make("ada@steady.test", "admin", secret)
    code = pyotp.TOTP(secret).at(NOW)
    assert login.check_code(operator, code, now=NOW)
    assert operator.totp_last_step == int(NOW.timestamp() // 30)
    assert not login.check_code(operator, code, now=NOW)  # the same code again
    assert operator.failed_logins == 1


def test_enrolment_needs_a_matching_code_and_is_audited(ctx):
    operator = make("ada@steady.test", "admin")
    secret = pyotp.random_base32()
    assert not login.enrol_totp(operator, secret, "000000", now=NOW)
    assert operator.totp_secret is None
    version = operator.session_version
    assert login.enrol_totp(operator, secret, pyotp.TOTP(secret).at(NOW), now=NOW)
    assert totp_seal.unseal(operator.totp_secret, f"operator:{operator.id}") == secret
    assert operator.session_version == version + 1
    entries, _ = audit.list_entries(action="operator.update")
    assert entries[0].changes == {"totp_enrolled": {"before": False, "after": True}}


def test_l6_wrong_passwords_alone_never_lock_the_account(ctx):
    secret = pyotp.random_base32()
    operator = make(secret=secret)
    for _attempt in range(20):
        assert login.check_password(operator.email, "wrong password!", now=NOW).outcome == (
            login.REFUSED
        )
    assert operator.locked_until is None and operator.failed_logins == 0
    assert login.check_password(operator.email, GOOD, now=NOW).outcome == login.NEEDS_CODE
    assert login.check_code(operator, pyotp.TOTP(secret).at(NOW), now=NOW)


def test_five_wrong_codes_lock_the_account_for_fifteen_minutes(ctx):
    secret = pyotp.random_base32()
    operator = make(secret=secret)
    for _attempt in range(5):
        assert not login.check_code(operator, "000000", now=NOW)
    assert operator.locked_until == NOW + timedelta(minutes=15)
    # Locked: even the right password is refused, and says nothing more than a wrong one.
    assert login.check_password(operator.email, GOOD, now=NOW + timedelta(minutes=14)).outcome == (
        login.REFUSED
    )
    # The lock ends by itself.
    later = NOW + timedelta(minutes=15, seconds=1)
    assert login.check_password(operator.email, GOOD, now=later).outcome == login.NEEDS_CODE
    assert login.check_code(operator, pyotp.TOTP(secret).at(later), now=later)
    assert operator.failed_logins == 0 and operator.locked_until is None


def test_four_wrong_codes_then_success_start_the_count_again(ctx):
    secret = pyotp.random_base32()
    operator = make(secret=secret)
    for _ in range(4):
        login.check_code(operator, "000000", now=NOW)
    assert login.check_code(operator, pyotp.TOTP(secret).at(NOW), now=NOW)
    login.check_code(operator, "000000", now=NOW)
    assert operator.failed_logins == 1 and operator.locked_until is None


def test_l5_sign_in_success_failure_and_lockout_are_audited_with_account_and_address(ctx):
    secret = pyotp.random_base32()
    operator = make(secret=secret)
    login.check_password("nobody@steady.test", GOOD, "198.51.100.1", now=NOW)
    login.check_password(operator.email, "wrong password!", "198.51.100.2", now=NOW)
    login.check_password(operator.email, GOOD, "198.51.100.3", now=NOW)
    assert login.check_code(operator, pyotp.TOTP(secret).at(NOW), "198.51.100.3", now=NOW)
    for _ in range(5):
        login.check_code(operator, "000000", "198.51.100.4", now=NOW)
    entries, _ = audit.list_entries(entity_type="operator")
    seen = [
        (entry.action, entry.entity_id, entry.changes["address"]["after"])
        for entry in reversed(entries)
        if entry.action.startswith("sign_in")
    ]
    me = str(operator.id)
    assert seen == [
        ("sign_in.failed", "unknown", "198.51.100.1"),
        ("sign_in.failed", me, "198.51.100.2"),
        ("sign_in", me, "198.51.100.3"),
        *[("sign_in.failed", me, "198.51.100.4")] * 5,
        ("sign_in.locked", me, "198.51.100.4"),
    ]
    # The e-mail typed for an unknown account is not kept (it may be a password).
    assert "nobody" not in str([entry.changes for entry in entries])
    assert audit.list_entries(changes_only=True)[1] == 1  # only the account's creation


def test_wrong_codes_count_toward_the_lockout(ctx):
    secret = pyotp.random_base32()
    operator = make("ada@steady.test", "admin", secret)
    for _ in range(5):
        assert not login.check_code(operator, "000000", now=NOW)
    assert login.is_locked(operator, NOW)
    assert not login.check_code(operator, pyotp.TOTP(secret).at(NOW), now=NOW)


def test_unknown_and_inactive_operators_are_refused_like_a_wrong_password(ctx):
    operator = make()
    service.set_active(operator, False, service.SYSTEM)
    assert login.check_password(operator.email, GOOD, now=NOW).outcome == login.REFUSED
    assert login.check_password("nobody@steady.test", GOOD, now=NOW).outcome == login.REFUSED
    assert login.check_password("nobody@steady.test", GOOD, now=NOW).operator is None
