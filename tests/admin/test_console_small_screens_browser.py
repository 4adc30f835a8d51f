"""The console on a 320×640 phone: every page fits the width (tables become stacked rows
that name their columns), no text is smaller than 14 px, and axe finds nothing."""

from __future__ import annotations

import pytest

from tests.admin.test_console_browser import sign_in
from tests.axe import no_axe_violations

pytestmark = pytest.mark.browser

PAGES = [
    "/admin/",
    "/admin/helplines",
    "/admin/helplines?country=US",
    "/admin/helplines/stale",
    "/admin/helplines/new",
    "/admin/audit",
    "/admin/operators",
    "/admin/account",
    "/admin/import",
]
OVERFLOWING = """(width) => [...document.querySelectorAll("body *")]
  .filter((element) => element.getClientRects().length
    && element.getBoundingClientRect().right > width + 0.5
    && !element.closest(".app-visually-hidden, thead"))
  .map((element) => `${element.tagName}.${element.className} ${Math.round(
    element.getBoundingClientRect().right)}`)
  .slice(0, 8)"""
SMALLEST_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || !element.getClientRects().length) continue;
    if (element.closest(".app-visually-hidden, svg")) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 14) small.push([element.tagName, node.textContent.trim().slice(0, 30), size]);
  }
  return small;
}"""


@pytest.fixture(scope="module")
def phone(browser, console_server):
    """One signed-in phone for the module (a TOTP code cannot be used twice)."""
    context = browser.new_context(
        base_url=console_server.url, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    sign_in(page, console_server.people["admin"])
    yield page
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_console_page_fits_a_320px_phone_with_readable_text(phone, scheme):
    phone.emulate_media(color_scheme=scheme)
    for path in [*PAGES, edit_path(phone)]:
        phone.goto(path)
        wide = phone.evaluate(OVERFLOWING, 320)
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 320, (path, wide)
        assert phone.evaluate(SMALLEST_TEXT) == [], path
        no_axe_violations(phone, path, colours_only=scheme == "dark")


def edit_path(phone) -> str:
    phone.goto("/admin/helplines?country=US")
    return phone.get_by_role("link", name="Poison Help").get_attribute("href")


def test_a_console_table_becomes_rows_that_name_their_columns(phone):
    phone.goto("/admin/helplines?country=US")
    cell = phone.locator("table.app-table tbody tr").first.locator("td").nth(1)
    label = phone.evaluate(
        "(td) => getComputedStyle(td, '::before').content", cell.element_handle()
    )
    assert label == '"Country: "'
    row = phone.locator("table.app-table tbody tr").first.bounding_box()
    assert row["width"] <= 320 - 2 * 16 + 1  # the row is the page's width, not wider
