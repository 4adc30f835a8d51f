"""The audit log: one row per change, in the same transaction, and never edited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, event, func, select, update

from backend.audit import Actor, AuditEntry, AuditRefused, list_entries, record
from backend.database import utcnow
from backend.extensions import db
from backend.helplines import service
from backend.helplines.models import Helpline
from backend.helplines.schemas import HelplineSchema
from tests.helplines.helpers import EDITOR, line_data


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


def test_each_mutating_service_call_writes_exactly_one_audit_row(db_app, add_line):
    line = add_line()
    assert audit_count() == 1
    steps = [
        ("helpline.update", lambda v: service.update_helpline(line.id, {"free": False}, v, EDITOR)),
        ("helpline.archive", lambda v: service.archive_helpline(line.id, v, EDITOR)),
        ("helpline.restore", lambda v: service.restore_helpline(line.id, v, EDITOR)),
        ("helpline.verify", lambda v: service.mark_verified(line.id, v, EDITOR)),
    ]
    for count, (action, step) in enumerate(steps, start=2):
        step(service.get_helpline(line.id).version)
        assert audit_count() == count
        newest = list_entries(page=1, per_page=1)[0][0]
        assert (newest.action, newest.entity_id, newest.actor_label) == (
            action,
            str(line.id),
            "alice (editor)",
        )


def test_a_change_that_changes_nothing_writes_no_row_and_keeps_the_version(db_app, add_line):
    line = add_line(priority=2)
    service.update_helpline(line.id, {"priority": 2}, 1, EDITOR)
    assert (audit_count(), service.get_helpline(line.id).version) == (1, 1)


def test_the_audit_row_holds_each_changed_fields_before_and_after(db_app, add_line):
    line = add_line()
    contacts = HelplineSchema().load(line_data(contacts=[{"kind": "call", "value": "988"}]))[
        "contacts"
    ]
    service.update_helpline(line.id, {"free": False, "contacts": contacts}, 1, EDITOR)
    entry = list_entries(action="helpline.update")[0][0]
    assert set(entry.changes) == {"free", "contacts"}
    assert entry.changes["free"] == {"before": True, "after": False}
    assert entry.changes["contacts"]["after"][0]["value"] == "988"
    assert entry.changes["contacts"]["before"][0]["value"] == "+18006624357"


def test_the_create_row_records_every_field_as_new(db_app, add_line):
    line = add_line()
    entry = list_entries(entity_id=str(line.id))[0][0]
    assert entry.changes["country"] == {"before": None, "after": "US"}
    assert entry.changes["checked_on"] == {"before": None, "after": "2026-11-25"}


def test_a_failed_commit_leaves_neither_the_change_nor_its_audit_row(db_app, add_line):
    line_id = add_line(priority=1).id

    def refuse(session, _context):
        raise RuntimeError("the database said no")  # after the SQL was sent

    event.listen(db.session, "after_flush", refuse)
    try:
        with pytest.raises(RuntimeError):
            service.update_helpline(line_id, {"priority": 5}, 1, EDITOR)
        with pytest.raises(RuntimeError):
            service.create_helpline(HelplineSchema().load(line_data()), EDITOR)
    finally:
        event.remove(db.session, "after_flush", refuse)
    db.session.remove()
    with db.engine.connect() as connection:  # a fresh connection sees only what was committed
        assert connection.scalar(select(Helpline.priority).where(Helpline.id == line_id)) == 1
        assert connection.scalar(select(func.count(Helpline.id))) == 1
        assert connection.scalar(select(func.count(AuditEntry.id))) == 1


def test_audit_rows_cannot_be_changed(db_app, add_line):
    add_line()
    entry = db.session.scalars(select(AuditEntry)).one()
    entry.actor_label = "someone else"
    with pytest.raises(AuditRefused):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditRefused):
        db.session.execute(update(AuditEntry).values(actor_label="someone else"))
    db.session.rollback()
    assert db.session.scalars(select(AuditEntry)).one().actor_label == "alice (editor)"


def test_audit_rows_cannot_be_deleted(db_app, add_line):
    add_line()
    entry = db.session.scalars(select(AuditEntry)).one()
    db.session.delete(entry)
    with pytest.raises(AuditRefused):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditRefused):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert audit_count() == 1


def test_record_adds_to_the_session_without_committing(db_app):
    record(Actor(None, "system"), "helpline.create", "helpline", "x", None, {"a": 1})
    db.session.rollback()
    assert audit_count() == 0


def test_entries_are_listed_newest_first_with_filters_and_pages(db_app):
    alice, bob = Actor(1, "alice (editor)"), Actor(2, "bob (admin)")
    for n in range(5):
        record(alice if n % 2 else bob, "helpline.update", "helpline", f"line-{n}", None, {"n": n})
    db.session.commit()
    entries, total = list_entries(actor_id=2, per_page=2)
    assert total == 3
    assert [e.entity_id for e in entries] == ["line-4", "line-2"]
    assert list_entries(actor_id=2, page=2, per_page=2)[0][0].entity_id == "line-0"
    assert list_entries(entity_type="operator")[1] == 0
    assert list_entries(since=utcnow() + timedelta(minutes=1))[1] == 0
    assert list_entries(until=utcnow() + timedelta(minutes=1))[1] == 5
