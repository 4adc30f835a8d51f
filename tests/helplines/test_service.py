"""Keeping lines: versions, archiving, verification, the stale queue and the seed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from backend.database import utcnow
from backend.extensions import db
from backend.helplines import service
from backend.helplines.imports import SEED_VERIFIER
from backend.helplines.models import Helpline
from backend.helplines.schemas import HelplineSchema
from tests.helplines.helpers import EDITOR, line_data, seed_records


def test_a_stale_version_is_refused_and_names_the_current_one(db_app, add_line):
    line = add_line()
    service.update_helpline(line.id, {"free": False}, 1, EDITOR)
    with pytest.raises(service.StaleVersion) as stale:
        service.update_helpline(line.id, {"confidential": False}, 1, EDITOR)
    assert stale.value.current_version == 2
    assert service.get_helpline(line.id).confidential is True


def test_a_writer_slipping_in_between_read_and_commit_is_caught(db_app, add_line):
    line = add_line()
    service.get_helpline(line.id)  # read: version 1 is now in this session
    with db.engine.begin() as other:  # another process changes the row meanwhile
        other.execute(update(Helpline).where(Helpline.id == line.id).values(version=2, priority=4))
    with pytest.raises(service.StaleVersion) as stale:
        service.update_helpline(line.id, {"priority": 9}, 1, EDITOR)
    assert stale.value.current_version == 2
    db.session.expire_all()
    assert service.get_helpline(line.id).priority == 4


def test_every_change_bumps_the_version_and_modified_time(db_app, add_line):
    line = add_line()
    first = line.modified_at
    line = service.update_helpline(line.id, {"name": {"en": "Renamed"}}, 1, EDITOR)
    assert line.version == 2 and line.modified_at > first
    line = service.archive_helpline(line.id, 2, EDITOR)
    assert line.version == 3 and line.is_archived


def test_archived_lines_leave_the_public_list_and_come_back_when_restored(db_app, add_line):
    line = add_line()
    service.archive_helpline(line.id, 1, EDITOR)
    assert service.search_helplines(country="US").total == 0
    assert service.search_helplines(country="US", include_inactive=True).total == 1
    service.restore_helpline(line.id, 2, EDITOR)
    assert service.search_helplines(country="US").total == 1


def test_unknown_ids_are_not_found(db_app):
    with pytest.raises(service.HelplineNotFound):
        service.get_helpline("3f1c2b8e-0000-4000-8000-000000000000")
    with pytest.raises(service.HelplineNotFound):
        service.get_helpline("not-a-uuid")


def test_creating_a_line_with_a_taken_id_is_refused(db_app, add_line):
    line = add_line()
    with pytest.raises(service.HelplineExists):
        service.create_helpline(HelplineSchema().load(line_data(id=str(line.id))), EDITOR)


def test_marking_verified_stamps_today_and_the_operator(db_app, add_line):
    line = add_line()
    line = service.mark_verified(line.id, 1, EDITOR)
    assert (line.verified_on, line.verified_by) == (utcnow().date(), "alice (editor)")
    assert service.stale_queue() == []


def set_verified(line, days_ago: int | None) -> None:
    when = None if days_ago is None else utcnow().date() - timedelta(days=days_ago)
    db.session.execute(update(Helpline).where(Helpline.id == line.id).values(verified_on=when))
    db.session.commit()


def test_the_stale_queue_holds_lines_unverified_for_180_days_or_never(db_app, add_line):
    never, old, fresh, exactly = (add_line(name={"en": n}) for n in "ABCD")
    archived = add_line(name={"en": "E"})
    set_verified(never, None)
    set_verified(old, 400)
    set_verified(fresh, 10)
    set_verified(exactly, 180)
    service.archive_helpline(archived.id, 1, EDITOR)
    queue = [line.name["en"] for line in service.stale_queue()]
    assert queue == ["A", "B", "D"]  # never verified first, then the oldest


def test_a_line_verified_more_than_a_year_ago_may_be_out_of_date(db_app, add_line):
    line = add_line()
    set_verified(line, 366)
    assert service.get_helpline(line.id).may_be_out_of_date
    set_verified(line, 300)
    db.session.expire_all()
    assert not service.get_helpline(line.id).may_be_out_of_date


def test_the_seed_loads_once_with_only_official_lines_verified(db_app):
    records = {r["id"]: r for r in seed_records()}
    assert service.load_seed_if_empty() == f"loaded {len(records)} helplines from the seed."
    assert "already" in service.load_seed_if_empty()
    lines = db.session.scalars(select(Helpline)).all()
    assert len(lines) == len(records)
    for line in lines:
        record = records[str(line.id)]
        if record["source"]["status"] == "official":
            assert str(line.verified_on) == record["source"]["checked_on"]
            assert line.verified_by == SEED_VERIFIER
        else:
            assert line.verified_on is None and line.verified_by is None
        # Never a number (or URL, or hour) the data does not have.
        assert [
            {k: c[k] for k in ("kind", "value", "keyword", "languages", "hours")}
            for c in record["contacts"]
        ] == [
            {
                "kind": c.kind,
                "value": c.value,
                "keyword": c.keyword,
                "languages": c.languages,
                "hours": c.hours,
            }
            for c in line.contacts
        ]
    queued = {str(line.id) for line in service.stale_queue()}
    unofficial = {i for i, r in records.items() if r["source"]["status"] != "official"}
    assert queued == unofficial


def test_reimporting_the_seed_keeps_an_operators_later_verification(db_app):
    service.load_seed_if_empty()
    samhsa = service.get_helpline("05870cd5-72d4-4547-845f-b510fbaddbd7")
    service.mark_verified(samhsa.id, samhsa.version, EDITOR)
    raw = json.dumps(seed_records()).encode()
    result = service.apply_import(raw, "json", EDITOR, verified_by=SEED_VERIFIER)
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(seed_records()))
    assert service.get_helpline(samhsa.id).verified_by == "alice (editor)"
