"""Four eyes on crisis lines (issue 13, item 2): a change to a priority line's contacts waits
as a proposal, through the API (202), an import and the console alike, until another
operator approves it; rejections and approvals are audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from backend.accounts import service as accounts
from backend.audit import AuditEntry
from backend.database import utcnow
from backend.extensions import db
from backend.helplines import directory, review, service
from backend.helplines.models import HelplineProposal
from backend.helplines.schemas import HelplineSchema
from tests.admin.console import form_fields, make_operator, post, sign_in
from tests.helplines.helpers import EDITOR, SEEDED, line_data, new_id
from tests.pagecheck import check_page

API = "/api/v1/helplines"
NEW_NUMBER = [{"kind": "call", "value": "1-800-222-1222", "hours": {"always_open": True}}]


def operator_with_token(email: str, name: str):
    operator = accounts.create_operator(email, name, "editor", "a long enough passphrase")
    _token, plaintext = accounts.issue_api_token(operator, "script")
    return operator, {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def crisis(app):
    """A verified priority line and two operators with API tokens."""
    with app.app_context():
        line = service.create_helpline(
            HelplineSchema().load(line_data(priority=1, name={"en": "Crisis Line"})), SEEDED
        )
        line = service.mark_verified(line.id, line.version, EDITOR)
        ed = operator_with_token("ed@example.org", "Ed")
        flo = operator_with_token("flo@example.org", "Flo")
        flo_actor = accounts.actor_for(flo[0])
        return {
            "id": str(line.id),
            "version": line.version,
            "ed": ed,
            "flo": flo,
            "flo_actor": flo_actor,
        }


def actions(line_id: str) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.entity_id == line_id)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_the_api_answers_202_with_the_proposal_and_the_public_keeps_the_line(app, crisis):
    client, (_ed, auth) = app.test_client(), crisis["ed"]
    url = f"{API}/{crisis['id']}"
    before = client.get(url).get_json()
    response = client.patch(
        url, json={"contacts": NEW_NUMBER}, headers={**auth, "If-Match": f'"{crisis["version"]}"'}
    )
    assert response.status_code == 202, response.get_json()
    proposal = response.get_json()
    assert proposal["state"] == "pending" and proposal["helpline_id"] == crisis["id"]
    assert response.headers["Location"] == f"{API}/proposals/{proposal['id']}"
    assert client.get(url).get_json() == before  # same contacts, same version, still verified
    assert client.get(f"{API}/proposals/{proposal['id']}", headers=auth).get_json()["via"] == "api"
    assert client.get(f"{API}/proposals/{proposal['id']}").status_code == 401  # operators only
    with app.app_context():
        assert actions(crisis["id"])[-1] == "helpline.propose"


def test_only_another_operator_who_checked_the_source_can_approve(app, crisis):
    client = app.test_client()
    (_ed, ed_auth), (_flo, flo_auth) = crisis["ed"], crisis["flo"]
    headers = {**ed_auth, "If-Match": f'"{crisis["version"]}"'}
    proposal_id = client.patch(
        f"{API}/{crisis['id']}", json={"contacts": NEW_NUMBER}, headers=headers
    ).get_json()["id"]
    approve = f"{API}/proposals/{proposal_id}/approve"
    own = client.post(approve, json={"checked_source": True}, headers=ed_auth)
    assert own.status_code == 403 and "another operator" in own.get_json()["message"]
    unchecked = client.post(approve, json={"checked_source": False}, headers=flo_auth)
    assert unchecked.status_code == 422
    approved = client.post(approve, json={"checked_source": True}, headers=flo_auth)
    assert approved.status_code == 200, approved.get_json()
    line = approved.get_json()
    assert line["contacts"][0]["value"] == "+18002221222"
    assert line["verified_by"] == "Flo (editor)" and line["verified_on"] == str(utcnow().date())
    again = client.post(approve, json={"checked_source": True}, headers=flo_auth)
    assert again.status_code == 409
    with app.app_context():
        assert actions(crisis["id"])[-2:] == ["helpline.propose", "helpline.approve"]
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.actor_label == "Flo (editor)" and "by Ed (editor)" in entry.note


def test_a_rejection_says_why_and_leaves_the_line(app, crisis):
    client = app.test_client()
    (_ed, ed_auth), (_flo, flo_auth) = crisis["ed"], crisis["flo"]
    headers = {**ed_auth, "If-Match": f'"{crisis["version"]}"'}
    proposal_id = client.patch(
        f"{API}/{crisis['id']}", json={"contacts": NEW_NUMBER}, headers=headers
    ).get_json()["id"]
    reject = f"{API}/proposals/{proposal_id}/reject"
    assert client.post(reject, json={"reason": ""}, headers=flo_auth).status_code == 422
    rejected = client.post(reject, json={"reason": "Not on their site."}, headers=flo_auth)
    assert rejected.status_code == 200 and rejected.get_json()["state"] == "rejected"
    assert client.get(f"{API}/{crisis['id']}").get_json()["version"] == crisis["version"]
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "helpline.reject" and entry.note.endswith("Not on their site.")
        assert review.pending_proposals() == []


def test_a_proposal_made_on_an_older_version_cannot_be_approved(app, crisis):
    with app.app_context():
        proposal = service.update_helpline(
            crisis["id"],
            {"contacts": HelplineSchema().load(line_data(contacts=NEW_NUMBER))["contacts"]},
            crisis["version"],
            EDITOR,
        )
        assert isinstance(proposal, HelplineProposal)
        service.update_helpline(crisis["id"], {"free": False}, crisis["version"], EDITOR)
        with pytest.raises(review.ProposalRefused, match="changed after this was proposed"):
            review.approve(proposal.id, crisis["flo_actor"], checked_source=True)


def test_making_a_line_a_priority_line_needs_a_second_operator_too(app, crisis):
    with app.app_context():
        plain = service.create_helpline(HelplineSchema().load(line_data()), EDITOR)
        result = service.update_helpline(plain.id, {"priority": 1}, plain.version, EDITOR)
        assert isinstance(result, HelplineProposal)
        assert service.get_helpline(plain.id).priority == 0


def crisis_help_ids() -> set[str]:
    return {line.id for line in directory.priority_lines("US", "en", limit=10)}


def console_form(browser, **values) -> dict:
    fields = form_fields(browser.get("/admin/helplines/new").text, "/admin/helplines/new")
    values = {
        "country": "US",
        "source_url": "https://example.org/",
        "contacts-0-kind": "call",
        "contacts-0-value": "1-800-222-1222",
        "contacts-0-hours_mode": "always",
        **values,
    }
    for name, value in values.items():
        fields[name] = value
    fields.setlist("topics", ["crisis"])
    return fields


def test_a_new_priority_line_waits_for_a_second_operator_before_crisis_help(app, crisis):
    """One operator alone cannot put a new number first in crisis help: the line is added as
    an ordinary one, and its priority waits for another operator, who checks its source."""
    client = app.test_client()
    (_ed, ed_auth), (_flo, flo_auth) = crisis["ed"], crisis["flo"]
    body = line_data(priority=1, name={"en": "New Crisis Line"}, contacts=NEW_NUMBER)
    added = client.post(API, json=body, headers=ed_auth)
    assert added.status_code == 202, added.get_json()
    proposal = added.get_json()
    assert proposal["state"] == "pending" and proposal["via"] == "api"
    url = f"{API}/{proposal['helpline_id']}"
    assert client.get(url).get_json()["priority"] == 0  # there, but not first in crisis help
    with app.app_context():
        assert proposal["helpline_id"] not in crisis_help_ids()
    approve = f"{API}/proposals/{proposal['id']}/approve"
    own = client.post(approve, json={"checked_source": True}, headers=ed_auth)
    assert own.status_code == 403
    approved = client.post(approve, json={"checked_source": True}, headers=flo_auth)
    assert approved.status_code == 200, approved.get_json()
    line = approved.get_json()
    assert line["priority"] == 1 and line["verified_by"] == "Flo (editor)"
    assert client.get(url).get_json()["priority"] == 1
    with app.app_context():
        assert proposal["helpline_id"] in crisis_help_ids()


def test_a_new_priority_line_from_the_console_or_an_import_is_held_too(app, crisis):
    author = make_operator(app)
    browser = app.test_client()
    assert sign_in(browser, author).status_code == 303
    with app.app_context():
        items = [i for i in service.export_json() if i["id"] == crisis["id"]]
        items[0].update(id=str(new_id()), name={"en": "Imported Crisis Line"})
        result = service.apply_import(json.dumps(items).encode(), "json", EDITOR)
        assert (result.created, result.proposed) == (1, 1)
        assert service.get_helpline(items[0]["id"]).priority == 0
        (held,) = review.pending_proposals()
        assert held.via == "import" and held.changes == {"priority": 1}
    form = console_form(browser, priority="1", name_en="Console Crisis Line")
    answer = browser.post("/admin/helplines/new", data=form)
    assert answer.status_code == 303, answer.text
    page = browser.get(answer.headers["Location"]).text
    assert "another operator must approve that" in page
    with app.app_context():
        assert len(review.pending_proposals()) == 2


def test_an_import_keeps_such_a_change_as_a_proposal(app, crisis):
    with app.app_context():
        items = service.export_json()
        item = next(i for i in items if i["id"] == crisis["id"])
        item["contacts"] = NEW_NUMBER
        raw = json.dumps(items).encode()
        preview = service.preview_import(raw, "json")
        row = next(r for r in preview.rows if r.helpline_id == crisis["id"])
        assert row.action == "update" and row.needs_approval
        result = service.apply_import(raw, "json", EDITOR)
        assert (result.updated, result.proposed) == (0, 1)
        line = service.get_helpline(crisis["id"])
        assert line.contacts[0].value == "+18006624357" and line.verified_on is not None
        (proposal,) = review.pending_proposals()
        assert proposal.via == "import"


def test_the_console_queue_shows_the_change_and_takes_a_decision(app, crisis):
    author, approver = make_operator(app), make_operator(app, "olly@steady.test", "Olly")
    mine, theirs = app.test_client(), app.test_client()
    assert sign_in(mine, author).status_code == 303 and sign_in(theirs, approver).status_code == 303
    with app.app_context():
        contacts = HelplineSchema().load(line_data(contacts=NEW_NUMBER))["contacts"]
        actor = service.Actor(author.id, "Eddie (editor)")
        proposal_id = service.update_helpline(
            crisis["id"], {"contacts": contacts}, crisis["version"], actor
        ).id
    queue = theirs.get("/admin/proposals").text
    check_page(queue, "/admin/proposals")
    check_page(mine.get(f"/admin/helplines/{crisis['id']}/edit").text, "/admin/helplines/edit")
    assert "Crisis Line" in queue and "Contact 1 (call +18002221222): number or address" in queue
    assert "+18006624357</span> → <span" in queue
    assert "another operator has to approve" in mine.get("/admin/proposals").text
    path = f"/admin/proposals/{proposal_id}/approve"
    unchecked = post(theirs, path, {}, token_from="/admin/proposals")
    assert unchecked.status_code == 303
    assert "Check the new details" in theirs.get("/admin/proposals").text
    done = post(theirs, path, {"checked_source": "yes"}, token_from="/admin/proposals")
    assert done.status_code == 303
    assert "Nothing is waiting for approval." in theirs.get("/admin/proposals").text
    with app.app_context():
        line = service.get_helpline(crisis["id"])
        assert line.contacts[0].value == "+18002221222" and line.verified_by == "Olly (editor)"
