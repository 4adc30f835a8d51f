"""The write API for operators' scripts: tokens, If-Match versions, validation and audit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.accounts import service as accounts
from backend.audit import AuditEntry
from backend.extensions import db
from backend.helplines import service
from tests.helplines.helpers import line_data

API = "/api/v1/helplines"
UNKNOWN_TOPIC = (
    "Unknown topic. Use one of: crisis, substance_use, prescription_medicines, mental_health, "
    "family_support, poison_overdose, find_treatment"
)


def audit_rows(action: str | None = None) -> int:
    query = select(func.count(AuditEntry.id)).where(AuditEntry.entity_type == "helpline")
    if action:
        query = query.where(AuditEntry.action == action)
    return db.session.scalar(query)


@pytest.fixture
def editor(db_app):
    operator = accounts.create_operator(
        "ed@example.org", "Ed", "editor", "a long enough passphrase"
    )
    _token, plaintext = accounts.issue_api_token(operator, "sync script")
    return operator, {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def auth(editor):
    return editor[1]


@pytest.fixture
def line(db_client, auth):
    response = db_client.post(API, json=line_data(), headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_creating_a_line_answers_201_with_its_place_and_version(db_client, auth):
    response = db_client.post(API, json=line_data(name={"en": "Made by a script"}), headers=auth)
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"{API}/{body['id']}")
    assert body["contacts"][0]["value"] == "+18006624357"  # stored in E.164
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "helpline.create")
    ).one()
    assert (entry.entity_id, entry.actor_label) == (body["id"], "Ed (editor)")


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer stdy_not-a-real-token"}, {"Authorization": "Basic ZWQ6cHc="}],
)
def test_writes_without_a_valid_token_are_401_with_a_bearer_challenge(db_client, line, headers):
    for method, url, kwargs in (
        ("post", API, {"json": line_data()}),
        ("patch", f"{API}/{line['id']}", {"json": {"priority": 3}, "headers": {"If-Match": '"1"'}}),
        ("delete", f"{API}/{line['id']}", {"headers": {"If-Match": '"1"'}}),
    ):
        kwargs.setdefault("headers", {}).update(headers)
        response = getattr(db_client, method)(url, **kwargs)
        assert response.status_code == 401, (method, response.get_json())
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert audit_rows() == 1  # only the fixture's own create


def test_an_inactive_operators_token_changes_nothing(db_client, line, editor):
    operator, auth = editor
    admin = accounts.create_operator("admin@example.org", "Ada", "admin", "another long passphrase")
    accounts.set_active(operator, False, accounts.actor_for(admin))
    response = db_client.patch(
        f"{API}/{line['id']}", json={"free": False}, headers={**auth, "If-Match": '"1"'}
    )
    # backend.accounts answers None for an inactive operator's token (401); an operator
    # it did return but who may not write gets a 403. Either way: refused, nothing changed.
    assert response.status_code in (401, 403)
    assert service.get_helpline(line["id"]).free is True


def test_a_revoked_token_is_refused(db_client, line, editor):
    operator, auth = editor
    token = accounts.list_api_tokens(operator)[0]
    accounts.revoke_api_token(token.id, accounts.actor_for(operator))
    assert db_client.post(API, json=line_data(), headers=auth).status_code == 401


def test_a_patch_changes_only_what_it_sends_and_writes_one_audit_row(db_client, auth, line):
    response = db_client.patch(
        f"{API}/{line['id']}", json={"free": False}, headers={**auth, "If-Match": '"1"'}
    )
    assert response.status_code == 200, response.get_json()
    assert response.headers["ETag"] == '"2"'
    body = response.get_json()
    assert (body["free"], body["version"], body["name"]) == (False, 2, line["name"])
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "helpline.update")
    ).one()
    assert entry.changes == {"free": {"before": True, "after": False}}


def test_writes_are_rate_limited_per_address_all_routes_together(db_app, db_client, auth):
    db_app.config["HELPLINES_WRITE_RATE_LIMIT"] = "3 per minute"
    script = {"REMOTE_ADDR": "198.51.100.7"}
    created = db_client.post(API, json=line_data(), headers=auth, environ_base=script)
    url = f"{API}/{created.get_json()['id']}"
    patched = db_client.patch(
        url, json={"free": False}, headers={**auth, "If-Match": '"1"'}, environ_base=script
    )
    archived = db_client.delete(url, headers={**auth, "If-Match": '"2"'}, environ_base=script)
    assert [r.status_code for r in (created, patched, archived)] == [201, 200, 204]
    refused = db_client.post(API, json=line_data(), headers=auth, environ_base=script)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["code"] == 429 and refused.get_json()["message"]
    assert audit_rows("helpline.create") == 1  # the refused write wrote nothing
    # Reads are not counted, and another address may still write.
    assert db_client.get(url, environ_base=script).status_code == 200
    other = db_client.post(
        API, json=line_data(), headers=auth, environ_base={"REMOTE_ADDR": "198.51.100.8"}
    )
    assert other.status_code == 201


def test_a_patch_without_if_match_is_428(db_client, auth, line):
    response = db_client.patch(f"{API}/{line['id']}", json={"free": False}, headers=auth)
    assert response.status_code == 428
    assert "If-Match" in response.get_json()["message"]


@pytest.mark.parametrize("if_match", ['"0"', '"2"', '"one"', 'W/"1"', '"1", "2"'])
def test_a_patch_or_delete_on_a_stale_version_is_412_and_changes_nothing(
    db_client, auth, line, if_match
):
    for method, kwargs in (("patch", {"json": {"priority": 3}}), ("delete", {})):
        response = getattr(db_client, method)(
            f"{API}/{line['id']}", headers={**auth, "If-Match": if_match}, **kwargs
        )
        assert response.status_code == 412, response.get_json()
        assert response.headers["ETag"] == '"1"'
    assert service.get_helpline(line["id"]).version == 1
    assert audit_rows() == 1


def test_two_scripts_editing_the_same_line_do_not_overwrite_each_other(db_client, auth, line):
    url, headers = f"{API}/{line['id']}", {**auth, "If-Match": '"1"'}
    assert db_client.patch(url, json={"free": False}, headers=headers).status_code == 200
    second = db_client.patch(url, json={"confidential": False}, headers=headers)
    assert second.status_code == 412
    assert "now version 2" in second.get_json()["message"]
    assert service.get_helpline(line["id"]).confidential is True


def test_a_patch_is_validated_as_the_whole_line_would_be(db_client, auth, line):
    # The line's US number is not a number in Great Britain.
    response = db_client.patch(
        f"{API}/{line['id']}", json={"country": "GB"}, headers={**auth, "If-Match": '"1"'}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "contacts": {"0": {"value": ["This number is not a GB number."]}}
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"version": 5}, {"version": ["Unknown field."]}),
        ({"id": "3f1c2b8e-0000-4000-8000-000000000000"}, {"id": ["The id cannot change."]}),
        ({"topics": ["gambling"]}, {"topics": {"0": [UNKNOWN_TOPIC]}}),
    ],
)
def test_bad_patches_are_422_per_field(db_client, auth, line, body, errors):
    response = db_client.patch(
        f"{API}/{line['id']}", json=body, headers={**auth, "If-Match": '"1"'}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors


def test_a_patch_needs_a_json_object(db_client, auth, line):
    for data in ("[1, 2]", "not json", "{}"):
        response = db_client.patch(
            f"{API}/{line['id']}",
            data=data,
            content_type="application/json",
            headers={**auth, "If-Match": '"1"'},
        )
        assert response.status_code == 422


def test_delete_archives_the_line_and_records_it(db_client, auth, line):
    url = f"{API}/{line['id']}"
    assert db_client.delete(url, headers=auth).status_code == 428
    response = db_client.delete(url, headers={**auth, "If-Match": '"1"'})
    assert response.status_code == 204
    assert db_client.get(f"{API}?country=US").get_json() == []
    assert db_client.get(url).get_json()["archived_at"] is not None  # kept, with its history
    assert audit_rows("helpline.archive") == 1


def test_writes_to_unknown_lines_are_404(db_client, auth):
    url = f"{API}/3f1c2b8e-0000-4000-8000-000000000000"
    assert (
        db_client.patch(url, json={"priority": 1}, headers={**auth, "If-Match": '"1"'}).status_code
        == 404
    )
    assert db_client.delete(url, headers={**auth, "If-Match": '"1"'}).status_code == 404


def test_creating_a_line_with_a_taken_id_is_409(db_client, auth, line):
    response = db_client.post(API, json=line_data(id=line["id"]), headers=auth)
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field_path"),
    [
        ({"contacts": [{"kind": "call", "value": "not a number"}]}, ("contacts", "0", "value")),
        ({"contacts": [{"kind": "call", "value": "+44 20 7946 0000"}]}, ("contacts", "0", "value")),
        (
            {"contacts": [{"kind": "chat", "value": "http://example.org/chat"}]},
            ("contacts", "0", "value"),
        ),
        (
            {
                "contacts": [
                    {
                        "kind": "call",
                        "value": "988",
                        "hours": {
                            "always_open": False,
                            "timezone": "Europe/Nowhere",
                            "periods": [{"day": 0, "opens": "09:00", "closes": "17:00"}],
                        },
                    }
                ]
            },
            ("contacts", "0", "hours", "timezone"),
        ),
        (
            {
                "contacts": [
                    {
                        "kind": "call",
                        "value": "988",
                        "hours": {
                            "always_open": False,
                            "timezone": "America/New_York",
                            "periods": [
                                {"day": 0, "opens": "09:00", "closes": "17:00"},
                                {"day": 0, "opens": "12:00", "closes": "13:00"},
                            ],
                        },
                    }
                ]
            },
            ("contacts", "0", "hours", "periods", "1"),
        ),
        (
            {
                "contacts": [
                    {
                        "kind": "call",
                        "value": "988",
                        "hours": {
                            "always_open": False,
                            "timezone": "America/New_York",
                            "periods": [{"day": 0, "opens": "17:00", "closes": "17:00"}],
                        },
                    }
                ]
            },
            ("contacts", "0", "hours", "periods", "0", "closes"),
        ),
        ({"topics": ["crisis", "astrology"]}, ("topics", "1")),
        (
            {"contacts": [{"kind": "call", "value": "988", "languages": ["elvish"]}]},
            ("contacts", "0", "languages", "0"),
        ),
        ({"name": {"en": "x" * 500}}, ("name", "en")),
        ({"description": {"en": "y" * 5000}}, ("description", "en")),
    ],
)
def test_every_kind_of_bad_input_is_a_422_naming_the_field(db_client, auth, changes, field_path):
    response = db_client.post(API, json=line_data(**changes), headers=auth)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    for key in field_path:
        errors = errors[key]
    assert isinstance(errors, list) and errors and all(isinstance(m, str) for m in errors)
    assert audit_rows() == 0
