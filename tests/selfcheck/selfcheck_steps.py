"""Steps the self-check browser tests share: answering, reading the device's storage, and
waiting for the service worker to control the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "backend" / "selfcheck" / "content"
# Every component app.js knows how to start (`"app-…": () => import(…)`).
COMPONENTS = tuple(
    re.findall(
        r'"(app-[\w-]+)":\s*\(\)\s*=>\s*import', (ROOT / "frontend/static/js/app.js").read_text()
    )
)
EXIT_URL = "https://exit.steady.test/weather"

# A page script that lists what Steady keeps in this tab's storage.
STEADY_KEYS = """() => ({
  local: Object.keys(localStorage).filter((key) => key.startsWith("steady.")),
  session: Object.keys(sessionStorage).filter((key) => key.startsWith("steady.")),
})"""


def words(lang: str) -> dict:
    """The self-check's texts in one language, as the server renders them."""
    return json.loads((CONTENT / f"{lang}.json").read_text(encoding="utf-8"))


def open_page(page, path: str) -> None:
    """Go to `path` and wait until its scripts have started (a person cannot tell the
    difference, a fast test can)."""
    page.goto(path)
    wait_for_scripts(page)


def wait_for_scripts(page, modules=COMPONENTS) -> None:
    """Wait until the page's components among `modules` have started (app.js marks each)."""
    page.wait_for_function(
        """(modules) => [...document.querySelectorAll("[data-module]")]
             .filter((element) => modules.includes(element.dataset.module))
             .every((element) => element.hasAttribute("data-module-started"))""",
        arg=list(modules),
    )


def choose(page, answers: dict[str, str]) -> None:
    """Tick one radio per question (by its label, as a person taps it)."""
    for question, option in answers.items():
        page.check(f'input[name="{question}"][value="{option}"]')


def submit(page) -> None:
    """Press the self-check's submit button."""
    page.click("form.app-selfcheck button[type=submit]")


def result_action(page, action: str) -> None:
    """Press one of the result's buttons: save, print, edit, delete-all (which asks first:
    this also confirms)."""
    if action == "delete-all":
        page.click('#selfcheck-result [data-action="ask-delete-everything"]')
        page.click('#selfcheck-result button[data-action="confirm-delete-everything"]')
        return
    page.click(f'#selfcheck-result button[data-action="{action}"]')


def history_rows(page) -> int:
    """How many saved results the history table shows (0 when it is hidden)."""
    if page.locator("[data-history]").is_hidden():
        return 0
    return page.locator("[data-history-rows] tr").count()


def checked_answers(page) -> dict[str, str]:
    """The answers ticked in the form right now."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(
             "form.app-selfcheck input[type=radio]:checked")].map((i) => [i.name, i.value]))"""
    )


def wait_until_controlled(page, path: str = "/") -> None:
    """Visit `path`, let the service worker install (it precaches), and reload once so
    the page is controlled by it."""
    page.goto(path)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
