"""API tokens: shown once, stored as sha256, revocable, refused for inactive operators."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from backend import audit
from backend.accounts import auth, service
from backend.accounts.models import ApiToken
from backend.extensions import db

GOOD = "correct horse battery staple"


def editor():
    return service.create_operator("eddie@steady.test", "Eddie", "editor", GOOD)


def test_a_token_is_shown_once_and_stored_only_as_its_sha256(ctx):
    operator = editor()
    token, plaintext = service.issue_api_token(operator, "nightly sync")
    assert plaintext.startswith("stdy_") and len(plaintext) > 40
    assert token.prefix == plaintext[:8]
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = db.session.execute(db.select(ApiToken.__table__)).mappings().one()
    assert plaintext not in repr(dict(stored))


def test_a_token_authenticates_its_operator_and_records_when_it_was_used(ctx):
    operator = editor()
    token, plaintext = service.issue_api_token(operator, "sync")
    assert token.last_used_at is None
    assert service.authenticate_api_token(plaintext) == operator
    first_use = token.last_used_at
    assert first_use is not None
    # Used again within the minute: not written again (reads stay cheap)…
    service.authenticate_api_token(plaintext, now=first_use + timedelta(seconds=30))
    assert token.last_used_at == first_use
    # …but a minute later it is.
    service.authenticate_api_token(plaintext, now=first_use + timedelta(minutes=2))
    assert token.last_used_at == first_use + timedelta(minutes=2)


def test_unknown_malformed_revoked_and_inactive_tokens_are_refused(ctx):
    operator = editor()
    token, plaintext = service.issue_api_token(operator, "sync")
    for wrong in (
        "",
        "stdy_",
        "stdy_" + "x" * 43,
        plaintext[:-1],
        "Bearer " + plaintext,
        "y" * 500,
    ):
        assert service.authenticate_api_token(wrong) is None
    service.revoke_api_token(token.id, service.actor_for(operator))
    assert token.revoked_at is not None
    assert service.authenticate_api_token(plaintext) is None

    _other, other_plaintext = service.issue_api_token(operator, "second")
    service.set_active(operator, False, service.SYSTEM)
    assert service.authenticate_api_token(other_plaintext) is None


def test_the_bearer_header_is_parsed_strictly(ctx):
    operator = editor()
    _token, plaintext = service.issue_api_token(operator, "sync")
    assert auth.operator_from_bearer(f"Bearer {plaintext}") == operator
    assert auth.operator_from_bearer(f"bearer   {plaintext} ") == operator
    for header in (None, "", plaintext, f"Basic {plaintext}", "Bearer", "Bearer  "):
        assert auth.operator_from_bearer(header) is None


def test_issuing_and_revoking_each_write_one_audit_row(ctx):
    operator = editor()
    token, plaintext = service.issue_api_token(operator, "sync")
    service.revoke_api_token(token.id, service.actor_for(operator))
    service.revoke_api_token(token.id, service.actor_for(operator))  # already revoked: no row
    entries, total = audit.list_entries(entity_type="api_token")
    assert total == 2
    assert [e.action for e in entries] == ["token.revoke", "token.issue"]
    assert entries[1].actor_label == "Eddie (editor)"
    assert plaintext not in repr([e.changes for e in entries])
    assert token.token_hash not in repr([e.changes for e in entries])
