"""Crisis help reads only the country's priority lines: a fixed, small number of queries."""

from __future__ import annotations

from sqlalchemy import event

from backend.extensions import db
from backend.helplines import service
from backend.helplines.directory import priority_lines


def test_priority_lines_come_first_in_order_with_two_queries_at_most(app):
    with app.app_context():
        service.load_seed_if_empty()
        statements: list[str] = []

        def count(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            lines = priority_lines("US", "en")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert [line.priority for line in lines] == [1, 2]
    assert "988" in lines[0].name
    assert len(statements) <= 2  # the lines, then their contacts: never the whole directory


def test_no_country_means_no_lines_and_no_query(app):
    with app.app_context():
        assert priority_lines(None, "en") == []
