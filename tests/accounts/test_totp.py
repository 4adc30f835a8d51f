"""TOTP codes: accepted from this step or the one before, never twice, never an older one."""

from __future__ import annotations

import pyotp

from backend.accounts import totp

NOW = 1_790_000_000.0


def code_at(secret: str, moment: float) -> str:
    return pyotp.TOTP(secret).at(moment)


def test_a_current_code_is_accepted_once():
    secret = totp.new_secret()
    step = totp.accepted_step(secret, code_at(secret, NOW), None, now=NOW)
    assert step == int(NOW // 30)
    assert totp.accepted_step(secret, code_at(secret, NOW), step, now=NOW) is None


def test_l6_a_code_of_the_step_before_is_accepted_but_none_from_a_step_to_come():
    secret = totp.new_secret()
    assert totp.accepted_step(secret, code_at(secret, NOW - 30), None, now=NOW) is not None
    assert totp.accepted_step(secret, code_at(secret, NOW + 30), None, now=NOW) is None
    assert totp.accepted_step(secret, code_at(secret, NOW - 60), None, now=NOW) is None
    assert totp.accepted_step(secret, code_at(secret, NOW + 90), None, now=NOW) is None


def test_an_older_code_is_refused_after_a_newer_one():
    secret = totp.new_secret()
    newer = totp.accepted_step(secret, code_at(secret, NOW), None, now=NOW)
    assert totp.accepted_step(secret, code_at(secret, NOW - 30), newer, now=NOW) is None


def test_codes_with_spaces_are_read_and_nonsense_is_refused():
    secret = totp.new_secret()
    code = code_at(secret, NOW)
    assert totp.accepted_step(secret, f" {code[:3]} {code[3:]} ", None, now=NOW) is not None
    for nonsense in ("", "12345", "1234567", "abcdef", "12 34 5x"):
        assert totp.accepted_step(secret, nonsense, None, now=NOW) is None


def test_the_setup_uri_names_the_issuer_and_account():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ada@steady.test")
    assert uri.startswith("otpauth://totp/")
    assert "ada%40steady.test" in uri and "issuer=Steady%20operators" in uri
    assert totp.grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"
