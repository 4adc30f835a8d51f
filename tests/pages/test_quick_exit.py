"""Quick exit in a real browser: the button and Shift pressed three times (each press within
5 seconds of the last) hide the page at once and replace it in the history with a neutral
site, so Back does not return to the self-check. Other keys and slow presses do not exit."""

from __future__ import annotations

import pytest

from tests.selfcheck.selfcheck_steps import EXIT_URL, open_page

pytestmark = pytest.mark.browser

# Notes, in this site's own storage (it outlives the page), how the page looked the moment
# Quick exit began: a MutationObserver's callback runs right after the class is set, before
# the browser can start showing the neutral site.
WATCH_FOR_EXIT = """
new MutationObserver((changes, observer) => {
  if (!document.body?.classList.contains("app-exiting")) return;
  observer.disconnect();
  const visibility = (selector) => getComputedStyle(document.querySelector(selector)).visibility;
  localStorage.setItem("test.exit", JSON.stringify({
    path: location.pathname,
    title: document.title,
    visibility: ["header", ".app-emergency", "main", "footer"].map(visibility),
  }));
}).observe(document, { attributes: true, attributeFilter: ["class"], subtree: true });
"""


def is_exiting(page) -> bool:
    return page.evaluate("() => document.body.classList.contains('app-exiting')")


def press_shift(page, times: int) -> None:
    for _ in range(times):
        page.keyboard.press("Shift")


@pytest.mark.parametrize("how", ["button", "shift three times"])
def test_quick_exit_hides_the_page_at_once_and_back_does_not_return(page, live_server, how):
    page.add_init_script(WATCH_FOR_EXIT)
    page.goto("/")
    open_page(page, "/check")

    if how == "button":
        page.click(".app-quick-exit")
    else:
        press_shift(page, 3)
    page.wait_for_url(EXIT_URL)

    page.go_back()
    assert page.url == f"{live_server.url}/"  # the page before the self-check, not the check
    seen = page.evaluate("() => JSON.parse(localStorage.getItem('test.exit'))")
    assert seen == {"path": "/check", "title": "\u00a0", "visibility": ["hidden"] * 4}


def test_another_key_between_shift_presses_starts_the_count_again(page):
    open_page(page, "/check")
    press_shift(page, 2)
    page.keyboard.press("a")  # typing a capital letter must never exit
    press_shift(page, 1)
    assert not is_exiting(page)
    assert page.url.endswith("/check")

    press_shift(page, 2)  # with the two presses before it: three in a row
    page.wait_for_url(EXIT_URL)


def test_shift_presses_more_than_five_seconds_apart_do_not_exit(page):
    page.clock.install()
    open_page(page, "/check")
    for _ in range(3):
        press_shift(page, 1)
        page.clock.fast_forward(5_100)
    assert not is_exiting(page)

    for _ in range(2):  # each within 5 seconds of the last, 8 seconds in all: exits
        press_shift(page, 1)
        page.clock.fast_forward(4_000)
    press_shift(page, 1)
    page.wait_for_url(EXIT_URL)
