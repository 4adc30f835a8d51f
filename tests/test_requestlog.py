"""One JSON line per request, with nothing private in it."""

from __future__ import annotations

import json
import logging


def request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "steady.request"]


def test_each_request_logs_one_json_line_without_the_query(client, caplog):
    caplog.set_level(logging.INFO, logger="steady.request")
    response = client.get("/check?lang=es&secret=hunter2")
    (line,) = request_lines(caplog)
    assert set(line) == {"request_id", "method", "path", "status", "duration_ms"}
    assert line["path"] == "/check" and line["status"] == 200 and line["method"] == "GET"
    assert response.headers["X-Request-ID"] == line["request_id"]
    assert "hunter2" not in caplog.text


def test_a_well_formed_incoming_request_id_is_kept_and_a_bad_one_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="steady.request")
    client.get("/healthz", headers={"X-Request-ID": "abc-123-def-456"})
    client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    first, second = request_lines(caplog)
    assert first["request_id"] == "abc-123-def-456"
    assert second["request_id"] != "<script>alert(1)</script>" and len(second["request_id"]) == 32


def test_posted_self_check_answers_are_not_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/check", data={"self_harm": "often", "opioids": "sometimes"})
    assert "self_harm" not in caplog.text and "opioids" not in caplog.text
    assert request_lines(caplog)[0]["path"] == "/check"
