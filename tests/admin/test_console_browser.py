"""The console in a real browser: sign in with TOTP, edit a line and see it in public; two
operators' conflicting edits; an import with one bad row refused whole."""

from __future__ import annotations

import csv
import io

import pytest

from backend.helplines import service

pytestmark = pytest.mark.browser


def sign_in(page, person):
    page.goto("/admin/login")
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Continue").click()
    if person.secret:
        page.get_by_label("Code from your authenticator app").fill(person.code())
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def open_line(page, name: str):
    page.goto("/admin/helplines?country=US")
    page.get_by_role("link", name=name).click()
    page.wait_for_url("**/edit")


def test_an_admin_signs_in_with_totp_edits_a_line_and_the_public_page_shows_it(
    console_server, console_context
):
    page = console_context().new_page()
    page.goto("/admin/login")
    page.get_by_label("E-mail address").fill(console_server.people["admin"].email)
    page.get_by_label("Password").fill(console_server.people["admin"].password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/admin/login/code")
    page.get_by_label("Code from your authenticator app").fill(
        console_server.people["admin"].code()
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", level=1).inner_text() == "Operators' console"

    open_line(page, "Poison Help")
    page.get_by_label("Name (English)").fill("Poison Help (checked by Ada)")
    page.get_by_label("Short alert (English)").fill("New hours from December.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/edit")
    assert "Saved Poison Help (checked by Ada) (version 2)." in page.content()

    public = console_context().new_page()
    public.goto("/helplines?country=US")
    assert public.get_by_text("Poison Help (checked by Ada)").count() >= 1
    assert public.get_by_text("New hours from December.").count() >= 1


def test_two_operators_conflicting_edits_end_in_a_clear_message_for_the_second(
    console_server, console_context
):
    eddie, olly = console_context().new_page(), console_context().new_page()
    sign_in(eddie, console_server.people["editor"])
    sign_in(olly, console_server.people["other"])
    open_line(eddie, "Crisis Text Line")
    open_line(olly, "Crisis Text Line")

    eddie.get_by_label("Description (English)").fill("Eddie's words.")
    eddie.get_by_role("button", name="Save changes").click()
    # The URL ends in /edit before and after saving: wait for the message, not the URL.
    eddie.get_by_text("Saved Crisis Text Line").wait_for()

    olly.get_by_label("Description (English)").fill("Olly's words.")
    olly.get_by_role("button", name="Save changes").click()
    alert = olly.get_by_role("alert")
    assert "Someone else changed this line while you were editing" in alert.inner_text()
    assert "Eddie (editor) saved it" in alert.inner_text()
    table = olly.get_by_role("table", name="Where the saved line and your input differ")
    row = table.get_by_role("row", name="Description (English)")
    assert "Eddie's words." in row.inner_text() and "Olly's words." in row.inner_text()
    assert olly.get_by_label("Description (English)").input_value() == "Olly's words."
    # The summary takes focus, so a screen reader starts there.
    assert olly.evaluate("document.activeElement.classList.contains('app-conflict')")
    with console_server.app.app_context():
        lines = service.search_helplines(q="Crisis Text Line").items
        assert lines[0].description["en"] == "Eddie's words."


def test_an_import_with_one_bad_row_is_refused_whole_naming_the_row_and_field(
    console_server, console_context
):
    page = console_context().new_page()
    sign_in(page, console_server.people["editor"])
    export = page.request.get("/admin/export.csv").text()
    rows = list(csv.DictReader(io.StringIO(export)))
    rows[0]["name_en"] = "Renamed by a file"
    bad = next(i for i, row in enumerate(rows) if i and row["contact1_kind"] == "call")
    rows[bad]["contact1_value"] = "+1 555"
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    page.goto("/admin/import")
    page.get_by_label("CSV, JSON or HSDS file").set_input_files(
        {"name": "lines.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    summary = page.get_by_role("alert")
    assert "The file was not imported: nothing changed." in summary.inner_text()
    problem = page.get_by_role("row").filter(has_text=f"Line {bad + 2}, contact1_value:")
    assert problem.count() == 1
    assert page.get_by_role("button", name="Import these").count() == 0
    with console_server.app.app_context():
        names = [line["name"]["en"] for line in service.export_json()]
        assert "Renamed by a file" not in names


@pytest.fixture
def short_idle_server(tmp_path):
    """A console that warns after 3 seconds (1-minute sessions, warned 57 s before)."""
    from tests.admin.console import make_operator
    from tests.conftest import LiveServer, make_app

    app = make_app(
        f"sqlite:///{tmp_path / 'idle.sqlite3'}",
        ADMIN_IDLE_MINUTES=1,
        ADMIN_IDLE_WARNING_SECONDS=57,
    )
    editor = make_operator(app)
    with LiveServer(app) as server:
        server.editor = editor
        yield server


def test_the_idle_warning_offers_to_stay_signed_in(browser, short_idle_server):
    context = browser.new_context(base_url=short_idle_server.url)
    try:
        page = context.new_page()
        sign_in(page, short_idle_server.editor)
        notice = page.locator("[data-session-alert]")
        notice.wait_for(state="visible", timeout=10_000)
        assert "You will be signed out in 1 minute" in notice.inner_text()
        assert notice.get_attribute("role") == "status"
        page.get_by_role("button", name="Stay signed in").click()
        page.get_by_text("You are still signed in.").wait_for()
        remaining = page.request.get("/admin/session").json()["remaining"]
        assert remaining > 55
    finally:
        context.close()
