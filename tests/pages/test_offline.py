"""The installable, offline app: after one visit the public pages open offline, styled, and
the self-check still scores on the device; anything else shows the offline page; the
caches never hold the console, a result page or anything marked no-store."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.selfcheck.selfcheck_steps import (
    choose,
    open_page,
    submit,
    wait_for_scripts,
    wait_until_controlled,
    words,
)

pytestmark = pytest.mark.browser

HEADER_BACKGROUND_LIGHT = "rgb(31, 95, 91)"  # --brand in app.css

# Every entry in every cache: its key, and what the stored response says about itself.
CACHED_ENTRIES = """async () => {
  const entries = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const type = response.headers.get("Content-Type") || "";
      const body = type.includes("text/html") ? await response.text() : "";
      entries.push({
        cache: name,
        url: request.url,
        method: request.method,
        cacheControl: response.headers.get("Cache-Control") || "",
        isResultPage: body.includes('id="change-answers"'),
      });
    }
  }
  return entries;
}"""


@pytest.fixture
def offline(context, page):
    """A page whose one online visit let the service worker install; then the network goes."""
    wait_until_controlled(page, "/")
    context.set_offline(True)
    return page


def header_background(page) -> str:
    return page.evaluate(
        "() => getComputedStyle(document.querySelector('.app-header')).backgroundColor"
    )


@pytest.mark.parametrize("path", ["/", "/check", "/help-someone", "/overdose", "/check?lang=es"])
def test_public_pages_open_offline_styled_after_one_visit(offline, path):
    page = offline
    response = page.goto(path)
    assert response.ok
    assert "x-steady-from-cache" in response.headers  # answered by the service worker
    assert page.locator("h1").count() == 1
    assert header_background(page) == HEADER_BACKGROUND_LIGHT  # app.css came from the cache
    page.reload()
    assert page.locator("h1").count() == 1
    assert header_background(page) == HEADER_BACKGROUND_LIGHT


def test_self_check_scores_on_the_device_offline(offline):
    page = offline
    open_page(page, "/check")
    choose(page, {"prescription": "no_prescription", "cravings": "often", "alcohol": "often"})
    submit(page)
    page.locator("#crisis-heading").wait_for()
    assert page.get_by_text(words("en")["bands"]["some"]["title"]).is_visible()
    assert page.locator('[data-flag="mixing"]').is_visible()


def test_a_page_never_visited_shows_the_offline_page(offline):
    page = offline
    page.goto("/help-someone?lang=es")
    page.goto("/not-saved-on-this-device")
    assert page.locator("h1").inner_text() == "You are offline"
    assert header_background(page) == HEADER_BACKGROUND_LIGHT
    wait_for_scripts(page, ["app-quick-exit"])  # Quick exit still works offline


def test_caches_never_hold_the_console_a_result_page_or_a_no_store_response(page):
    wait_until_controlled(page, "/")
    page.goto("/admin")
    page.goto("/admin/login")
    open_page(page, "/check")
    with page.expect_navigation():
        # The no-JavaScript path, through the worker: a real form POST, not scored on the device.
        page.evaluate(
            """() => {
              const form = document.querySelector("form.app-selfcheck");
              form.querySelector('input[name="self_harm"][value="sometimes"]').checked = true;
              HTMLFormElement.prototype.submit.call(form);
            }"""
        )
    assert page.locator("#change-answers").is_visible()  # the server's result page
    page.goto("/")  # a page cached after the POST, so a stray write would have landed by now

    entries = page.evaluate(CACHED_ENTRIES)
    urls = [entry["url"] for entry in entries]
    assert any(url.endswith("/check") for url in urls)
    assert not [url for url in urls if urlsplit(url).path.startswith("/admin")]
    assert {entry["method"] for entry in entries} == {"GET"}
    assert not [entry["url"] for entry in entries if "no-store" in entry["cacheControl"].lower()]
    assert not [entry["url"] for entry in entries if entry["isResultPage"]]


@pytest.mark.parametrize("path", ["/admin/login", "/help-someone"])
def test_a_page_under_the_worker_is_asked_of_the_server_once(page, live_server, path):
    """The browser sends a navigation preload while the worker starts; the worker must use it
    for every page, the console too. Left unused, the browser asks again, and the console's
    one-time messages ("then confirm you did") went to the answer that was thrown away."""
    wait_until_controlled(page, "/")
    page.goto("/privacy")  # the worker is running and the preload is on
    del live_server.requests[:]
    page.goto(path)
    page.goto("/privacy")  # a second navigation, so a late duplicate has arrived by now
    asked = [seen for seen in live_server.requests if seen == ("GET", path)]
    assert len(asked) == 1, live_server.requests


def test_service_worker_is_served_fresh_from_the_root(page, live_server):
    response = page.request.get("/sw.js")
    assert response.ok
    assert response.headers["cache-control"] == "no-cache"
    assert "javascript" in response.headers["content-type"]
    page.goto("/")
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == f"{live_server.url}/"
