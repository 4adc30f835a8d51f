"""If-Match on helpline writes: missing → 428; anything that cannot be a version → 412."""

from __future__ import annotations

import pytest

from backend.accounts import service as accounts
from backend.helplines import service as helplines
from tests.conftest import make_app


@pytest.fixture
def line(database_url):
    app = make_app(database_url)
    with app.app_context():
        helplines.load_seed_if_empty()
        line_id = str(helplines.search_helplines(country="US", per_page=1).items[0].id)
        operator = accounts.create_operator("w@steady.test", "W", "editor", "a-long-passphrase-1")
        _, token = accounts.issue_api_token(operator, "if-match")
    return app.test_client(), line_id, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "if_match", ['"", W/""', "", "*", '"1", "2"', '"99999999999999999999"', 'W/"1"']
)
def test_if_match_that_cannot_name_the_version_is_412_never_500(line, if_match):
    client, line_id, auth = line
    response = client.delete(f"/api/v1/helplines/{line_id}", headers={**auth, "If-Match": if_match})
    assert response.status_code == 412
    assert response.headers["ETag"] == '"1"'


def test_write_without_if_match_is_428(line):
    client, line_id, auth = line
    assert client.delete(f"/api/v1/helplines/{line_id}", headers=auth).status_code == 428
