"""Signing in: outcomes by role and second factor, lockout after failures, and its end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from backend.accounts import login, service
from backend.extensions import db

GOOD = "correct horse battery staple"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make(email="eddie@steady.test", role="editor", secret=None):
    operator = service.create_operator(email, email.split("@")[0].title(), role, GOOD)
    if secret:
        operator.totp_secret = secret
        db.session.commit()
    return operator


def test_an_editor_without_totp_signs_in_with_a_password(ctx):
    operator = make()
    check = login.check_password("  EDDIE@steady.test ", GOOD, now=NOW)
    assert check.outcome == login.SIGNED_IN and check.operator.id == operator.id
    assert operator.last_login_at == NOW


def test_an_admin_without_totp_must_enrol_first(ctx):
    make("ada@steady.test", "admin")
    check = login.check_password("ada@steady.test", GOOD, now=NOW)
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
    from backend import audit

    operator = make("ada@steady.test", "admin")
    secret = pyotp.random_base32()
    assert not login.enrol_totp(operator, secret, "000000", now=NOW)
    assert operator.totp_secret is None
    version = operator.session_version
    assert login.enrol_totp(operator, secret, pyotp.TOTP(secret).at(NOW), now=NOW)
    assert operator.totp_secret == secret and operator.session_version == version + 1
    entries, _ = audit.list_entries(action="operator.update")
    assert entries[0].changes == {"totp_enrolled": {"before": False, "after": True}}


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(ctx):
    operator = make()
    for _attempt in range(5):
        assert login.check_password(operator.email, "wrong password!", now=NOW).outcome == (
            login.REFUSED
        )
    assert operator.locked_until == NOW + timedelta(minutes=15)
    # Locked: even the right password is refused, and says nothing more than a wrong one.
    assert login.check_password(operator.email, GOOD, now=NOW + timedelta(minutes=14)).outcome == (
        login.REFUSED
    )
    # The lock ends by itself.
    later = NOW + timedelta(minutes=15, seconds=1)
    assert login.check_password(operator.email, GOOD, now=later).outcome == login.SIGNED_IN
    assert operator.failed_logins == 0 and operator.locked_until is None


def test_four_failures_then_success_start_the_count_again(ctx):
    operator = make()
    for _ in range(4):
        login.check_password(operator.email, "wrong password!", now=NOW)
    assert login.check_password(operator.email, GOOD, now=NOW).outcome == login.SIGNED_IN
    login.check_password(operator.email, "wrong password!", now=NOW)
    assert operator.failed_logins == 1 and operator.locked_until is None


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
