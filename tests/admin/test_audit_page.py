"""The audit log page: read-only, filtered by who, what, which record and when, paged."""

from __future__ import annotations

from backend.accounts import service
from tests.admin.console import post
from tests.pagecheck import check_page


def test_the_audit_log_filters_and_pages(app, admin_client, admin, editor):
    with app.app_context():
        eddie = service.get_operator(editor.id)
        for number in range(55):
            service.issue_api_token(eddie, f"token {number}")
    everything = admin_client.get("/admin/audit")
    # 2 operators created, 55 tokens issued, the admin's sign-in (L5)
    assert "58 changes." in everything.text
    assert "Page 1 of 2" in everything.text and 'rel="next"' in everything.text
    second = admin_client.get("/admin/audit?page=2")
    assert "Page 2 of 2" in second.text and 'rel="prev"' in second.text
    check_page(second.text, "/admin/audit?page=2")

    by_eddie = admin_client.get(f"/admin/audit?actor={editor.id}&action=token.issue")
    assert "55 changes." in by_eddie.text
    assert 'rel="next"' in by_eddie.text and f"actor={editor.id}" in by_eddie.text
    operators = admin_client.get("/admin/audit?entity_type=operator")
    assert "<code>operator.create</code>" in operators.text
    assert "<code>token.issue</code>" not in operators.text
    one = admin_client.get(f"/admin/audit?entity_type=operator&entity_id={editor.id}")
    assert "1 change." in one.text
    nothing = admin_client.get("/admin/audit?until=2000-01-01")
    assert "0 changes." in nothing.text
    today = admin_client.get("/admin/audit?since=2000-01-01&until=2999-12-31")
    assert "changes." in today.text and "0 changes." not in today.text
    nonsense = admin_client.get("/admin/audit?since=yesterday&actor=x&page=0")
    assert nonsense.status_code == 200 and "changes." in nonsense.text


def test_the_audit_log_has_no_way_to_change_anything(admin_client):
    page = admin_client.get("/admin/audit")
    forms = page.text.split("<main")[1].count('method="post"')
    assert forms == 0
    assert post(admin_client, "/admin/audit", {}, token_from="/admin/").status_code == 405
