"""schemathesis over every operation of /api/openapi.json, in process.

No input it generates may produce a server error, and every response must match the
schema the API documents.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.conftest import make_app


@pytest.fixture
def api_schema(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'fuzz.sqlite3'}")
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_a_server_error_or_breaks_its_schema(case):
    case.call_and_validate()
