"""Steps the toolkit's browser tests share: wait for a component, run axe, go offline."""

from __future__ import annotations

from tests.axe import EVERY_RULE


def started(page, module: str) -> None:
    """Wait until the page's component has started."""
    page.wait_for_selector(f"[data-module={module}][data-module-started]", state="attached")


def axe_violations(page) -> tuple[int, str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=EVERY_RULE)
    return results.violations_count, results.generate_report()


def wait_until_controlled(page, path: str) -> None:
    """Visit `path`, let the service worker install (it precaches), reload once so the page is
    controlled by it."""
    page.goto(path)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
