"""The smaller findings of issue 9 ("Also"): nothing private is kept by a cache, one charset,
and `flask push keys` makes the first key under production settings. (The Server banner:
tests/test_gunicorn.py; TOTP seeds at rest: tests/accounts/test_totp_at_rest.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from testkit.push_receiver import PushReceiver
from tests.admin.console import make_operator, sign_in
from tests.reminders.support import bearer, new_reminder

ROOT = Path(__file__).resolve().parent.parent


def test_also_a_console_address_that_matches_no_page_is_never_stored(app):
    editor = make_operator(app)
    signed_in = app.test_client()
    assert sign_in(signed_in, editor).status_code == 303
    for client in (app.test_client(), signed_in):
        for path in ("/admin/no-such-page", "/admin/operators/999/nothing"):
            response = client.get(path)
            assert response.status_code == 404
            assert response.headers["Cache-Control"] == "no-store"


def test_also_a_reminder_and_its_token_are_never_stored(client):
    with PushReceiver() as receiver:
        made = new_reminder(client, receiver.make_subscriber())
    path = f"/api/v1/reminders/{made['id']}"
    answers = [
        client.get(path, headers=bearer(made["token"])),
        client.get(path, headers=bearer("not-the-token")),
        client.get(path),
    ]
    assert [answer.status_code for answer in answers] == [200, 404, 401]
    for answer in answers:
        assert answer.headers["Cache-Control"] == "no-store"


def test_also_the_console_csv_export_names_its_charset_once(app):
    editor = make_operator(app)
    client = app.test_client()
    assert sign_in(client, editor).status_code == 303
    response = client.get("/admin/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_also_flask_push_keys_makes_the_first_key_under_production_settings(tmp_path):
    key_file = tmp_path / "secrets" / "vapid.pem"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "STEADY_ENV": "production",  # which will not start without the key being made here
        "FLASK_APP": "backend:create_app",
        "VAPID_PRIVATE_KEY_FILE": str(key_file),
    }
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run(
        [str(flask), "push", "keys"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Application server key: B" in result.stdout
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
