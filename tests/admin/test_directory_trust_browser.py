"""Issue 13 in a real browser, each new page checked by axe-core: a change to a crisis line's
number waits for a second operator, who approves it after checking the source; the public
card then shows the new number; a line's history restores an earlier version."""

from __future__ import annotations

import pytest

from backend.helplines import service
from tests.admin.test_console_browser import open_line, sign_in
from tests.axe import no_axe_violations

pytestmark = pytest.mark.browser


def test_a_crisis_line_change_waits_for_a_second_operator(console_server, console_context):
    eddie, olly = console_context().new_page(), console_context().new_page()
    sign_in(eddie, console_server.people["editor"])
    sign_in(olly, console_server.people["other"])
    open_line(eddie, "988 Suicide & Crisis Lifeline")
    eddie.get_by_label("Number, short code or address").first.fill("1-800-273-8255")
    eddie.get_by_role("button", name="Save changes").click()
    eddie.get_by_text("waits for another operator's approval").wait_for()
    no_axe_violations(eddie)

    public = console_context().new_page()
    public.goto("/helplines?country=US")
    assert public.get_by_text("(800) 273-8255").count() == 0  # nothing public yet

    olly.goto("/admin/proposals")
    no_axe_violations(olly)
    card = olly.locator("section.app-proposal").filter(has_text="988 Suicide")
    assert "→" in card.inner_text() and "+18002738255" in card.inner_text()
    card.get_by_role("button", name="Approve").click()  # the box is not ticked
    olly.get_by_text("then confirm you did.").wait_for()
    card = olly.locator("section.app-proposal").filter(has_text="988 Suicide")
    card.get_by_label("I checked the new details against the line's source").check()
    card.get_by_role("button", name="Approve").click()
    olly.get_by_text("Nothing is waiting for approval.").wait_for()

    public.reload()
    assert public.get_by_text("Call (800) 273-8255").count() == 1
    with console_server.app.app_context():
        line = service.search_helplines(q="988 Suicide").items[0]
        assert line.verified_by == "Olly (editor)"


def test_a_line_is_restored_from_its_history(console_server, console_context):
    page = console_context().new_page()
    sign_in(page, console_server.people["editor"])
    open_line(page, "SAMHSA National Helpline")
    page.get_by_label("Name (English)").fill("SAMHSA (renamed by mistake)")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved SAMHSA (renamed by mistake)").wait_for()
    page.get_by_role("link", name="Every change to this line").click()
    no_axe_violations(page)
    page.get_by_role("button", name="Restore this version").first.click()
    page.get_by_text("Restored an earlier version of").wait_for()
    assert page.get_by_label("Name (English)").input_value() == "SAMHSA National Helpline"
