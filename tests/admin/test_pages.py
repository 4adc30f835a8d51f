"""Every console page passes the page checker (one h1, title, ids, CSRF on POST forms…)."""

from __future__ import annotations

import re

import pytest

from backend.accounts import service
from tests.admin.console import post
from tests.pagecheck import check_page

ADMIN_PAGES = (
    "/admin/",
    "/admin/helplines",
    "/admin/helplines?stale=1&country=US&topic=crisis&q=line&status=active",
    "/admin/helplines?status=archived",
    "/admin/helplines?page=2",
    "/admin/helplines/new",
    "/admin/helplines/stale",
    "/admin/import",
    "/admin/proposals",
    "/admin/audit",
    "/admin/audit?action=operator.create&entity_type=operator&since=2020-01-01&until=2099-01-01",
    "/admin/audit?since=not-a-date&page=-3",
    "/admin/account",
    "/admin/account/password",
    "/admin/operators",
    "/admin/operators/new",
)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_every_console_page_passes_the_page_checker(seeded, admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200, path
    facts = check_page(response.text, path)
    assert facts.lang == "en"
    assert 'class="app-emergency"' not in response.text  # no public emergency strip…
    assert "app-quick-exit" not in response.text  # …and no Quick exit in the console
    assert 'hreflang="es"' not in response.text  # English only


def test_the_edit_page_and_an_operators_page_pass_the_page_checker(
    seeded, admin_client, line_id, editor
):
    for path in (
        f"/admin/helplines/{line_id}/edit",
        f"/admin/helplines/{line_id}/history",
        f"/admin/operators/{editor.id}",
    ):
        response = admin_client.get(path)
        assert response.status_code == 200
        check_page(response.text, path)


@pytest.mark.parametrize(
    "path", ("/admin/login", "/admin/operators/999", "/admin/helplines/nope/edit")
)
def test_sign_in_and_not_found_pages_pass_the_page_checker(seeded, admin_client, client, path):
    response = (client if path == "/admin/login" else admin_client).get(path)
    check_page(response.text, path)
    assert response.status_code == (200 if path == "/admin/login" else 404)


def test_pages_after_posts_pass_the_page_checker(seeded, admin_client, app):
    created = post(
        admin_client, "/admin/account/tokens", {"label": "sync"}, token_from="/admin/account"
    )
    check_page(created.text, "/admin/account")
    assert re.search(r'id="new-token">stdy_[\w-]{43}<', created.text)
    bad = post(admin_client, "/admin/operators/new", {"email": "nope"}, token_from="/admin/")
    assert bad.status_code == 422
    check_page(bad.text, "/admin/operators/new")
    with app.app_context():
        assert len(service.list_operators()) == 1
