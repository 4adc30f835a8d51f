"""Operator changes: one audit row each, sessions end, the last admin stays."""

from __future__ import annotations

import pytest

from backend import audit
from backend.accounts import service

GOOD = "correct horse battery staple"


def make(email, role):
    return service.create_operator(email, email.split("@")[0].title(), role, GOOD)


def test_emails_are_unique_whatever_their_case(ctx):
    make("ada@steady.test", "admin")
    with pytest.raises(service.OperatorError, match="already exists") as error:
        service.create_operator(" ADA@Steady.test ", "Ada again", "editor", GOOD)
    assert error.value.field == "email"


@pytest.mark.parametrize(
    ("email", "name", "role", "field"),
    [
        ("not-an-email", "X", "editor", "email"),
        ("x@steady.test", "  ", "editor", "display_name"),
        ("x@steady.test", "X", "owner", "role"),
    ],
)
def test_bad_operator_details_name_the_field(ctx, email, name, role, field):
    with pytest.raises(service.OperatorError) as error:
        service.create_operator(email, name, role, GOOD)
    assert error.value.field == field


def test_every_operator_change_writes_exactly_one_audit_row(ctx):
    admin = make("ada@steady.test", "admin")
    actor = service.actor_for(admin)
    eddie = make("eddie@steady.test", "editor")
    steps = [
        lambda: service.change_role(eddie, "admin", actor),
        lambda: service.change_role(eddie, "editor", actor),
        lambda: service.set_active(eddie, False, actor),
        lambda: service.set_active(eddie, True, actor),
        lambda: service.reset_totp(eddie, actor),
        lambda: service.change_password(eddie, "a new long passphrase", actor),
    ]
    for step in steps:
        _entries, before = audit.list_entries(entity_type="operator", entity_id=str(eddie.id))
        step()
        entries, after = audit.list_entries(entity_type="operator", entity_id=str(eddie.id))
        assert after == before + 1
        assert entries[0].action == "operator.update" and entries[0].actor_label == "Ada (admin)"
    entries, _ = audit.list_entries(entity_type="operator", entity_id=str(eddie.id))
    assert entries[-1].action == "operator.create" and entries[-1].actor_label == "system"
    assert entries[-2].changes == {"role": {"before": "editor", "after": "admin"}}


def test_a_change_that_changes_nothing_writes_nothing(ctx):
    admin = make("ada@steady.test", "admin")
    _e, before = audit.list_entries()
    service.change_role(admin, "admin", service.actor_for(admin))
    service.set_active(admin, True, service.actor_for(admin))
    assert audit.list_entries()[1] == before


def test_changes_end_the_operators_sessions(ctx):
    admin = make("ada@steady.test", "admin")
    eddie = make("eddie@steady.test", "editor")
    session_id = eddie.get_id()
    assert service.operator_for_session(session_id) == eddie
    service.change_role(eddie, "admin", service.actor_for(admin))
    assert service.operator_for_session(session_id) is None
    assert service.operator_for_session(eddie.get_id()) == eddie
    service.set_active(eddie, False, service.actor_for(admin))
    assert service.operator_for_session(eddie.get_id()) is None
    for nonsense in ("", "1", "x.1", "1.x", "999.1"):
        assert service.operator_for_session(nonsense) is None


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(ctx):
    admin = make("ada@steady.test", "admin")
    with pytest.raises(service.OperatorError, match="last active admin"):
        service.change_role(admin, "editor", service.actor_for(admin))
    with pytest.raises(service.OperatorError, match="last active admin"):
        service.set_active(admin, False, service.actor_for(admin))
    second = make("bea@steady.test", "admin")
    service.set_active(admin, False, service.actor_for(second))
    assert not admin.active
