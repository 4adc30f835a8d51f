"""Helpers shared by the helpline tests: valid data, the seed file, a query counter."""

from __future__ import annotations

import copy
import json
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

from backend.audit import Actor
from backend.extensions import db

SEED = Path(__file__).resolve().parents[2] / "backend" / "helplines" / "seed" / "helplines.json"
EDITOR = Actor(id=7, label="alice (editor)")
# Lines a test starts from, as the seed or the command line loads them (no second operator
# needed for a priority line).
SEEDED = Actor(id=None, label="seed import")


def line_data(**changes) -> dict:
    """A valid helpline as the API takes it, with `changes` laid over it."""
    data = {
        "name": {"en": "Test Line", "es": "Línea de prueba"},
        "description": {"en": "A line for tests."},
        "country": "US",
        "topics": ["crisis"],
        "free": True,
        "confidential": True,
        "priority": 0,
        "source_url": "https://example.org/line",
        "source_status": "official",
        "checked_on": "2026-11-25",
        "contacts": [
            {
                "kind": "call",
                "value": "1-800-662-4357",
                "languages": ["en"],
                "hours": {"always_open": True},
            }
        ],
    }
    data.update(changes)
    return data


def seed_records() -> list[dict]:
    return json.loads(SEED.read_text(encoding="utf-8"))


def seed_bytes(mutate=None) -> bytes:
    """The seed file, optionally changed by `mutate(records)`."""
    records = copy.deepcopy(seed_records())
    if mutate:
        mutate(records)
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


@contextmanager
def counting_queries():
    """Count the SQL statements sent while the block runs."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def new_id() -> str:
    return str(uuid.uuid4())


def seed_count(country: str | None = None) -> int:
    """How many lines the seed file has (in ``country``, when given)."""
    return sum(1 for r in seed_records() if country is None or r["country"] == country)


def seed_verified_count() -> int:
    """How many seed lines load as verified: those whose official source states the number
    and the hours (source status "official")."""
    return sum(1 for r in seed_records() if r["source"]["status"] == "official")
