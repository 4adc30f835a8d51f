"""A throwaway PostgreSQL database for one benchmark run (bench/load.py, bench/dispatch.py).

    with scratch_database("steady_bench_load") as url:   # postgresql+psycopg://…/<name>
        ...

The database `<prefix>_<random>` is created on the server of STEADY_BENCH_POSTGRES (default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and dropped WITH (FORCE) afterwards,
whatever happened in between.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get(
    "STEADY_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """Create `<prefix>_<8 hex>`, yield its URL, drop it."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
