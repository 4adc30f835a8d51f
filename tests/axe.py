"""axe-core in a real browser (axe-playwright-python), with the rules every page is held to:
WCAG 2.0–2.2 A/AA and axe's best practices.

Dark mode changes colours and nothing else: the `prefers-color-scheme: dark` blocks of our
style sheets only set custom properties (tests/pages/test_dark_mode.py holds them to that).
So a page state already checked in light by every rule needs, in dark, only the rules that
read colours:
`axe_report(page, colours_only=True)`. Every other rule would give the same answer, and on
the longest pages it is half of axe's time.
"""

from __future__ import annotations

EVERY_RULE = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
# The rules of EVERY_RULE whose answer depends on colours.
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}


def axe_report(page, *, colours_only: bool = False) -> str | None:
    """None when axe finds nothing on the page as it is now, else axe's report."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=COLOUR_RULES if colours_only else EVERY_RULE)
    return results.generate_report() if results.violations_count else None


def no_axe_violations(page, where: str = "", *, colours_only: bool = False) -> None:
    report = axe_report(page, colours_only=colours_only)
    assert report is None, f"{where or page.url}:\n{report}"
