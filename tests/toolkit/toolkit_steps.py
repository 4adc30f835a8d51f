"""Steps the toolkit's browser tests share: wait for a component, or for the service worker."""

from __future__ import annotations


def started(page, module: str) -> None:
    """Wait until the page's component has started."""
    page.wait_for_selector(f"[data-module={module}][data-module-started]", state="attached")


def wait_until_controlled(page, path: str) -> None:
    """Visit `path`, let the service worker install (it precaches), reload once so the page is
    controlled by it."""
    page.goto(path)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
