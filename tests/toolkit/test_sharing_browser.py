"""Private sharing in a real browser: a summary sealed on the sender's phone opens in a fresh
browser (another person's phone) as the same read-only copy, with the date it was made, online
and offline after a first visit; a damaged link opens nothing; its QR code, read from the
screen's pixels as a camera would, is the link. The server saw only the page's
path: no request line, header or body, and no log line, carries the copy, its key or a word
of it."""

from __future__ import annotations

import logging
import re

import pytest

from tests.toolkit.device_data import SECRETS, seed
from tests.toolkit.qr import scanned
from tests.toolkit.recording import new_phone, recorded_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    with recorded_server(tmp_path_factory.mktemp("sharing") / "steady.sqlite3") as server:
        yield server


def make_link(page) -> str:
    page.click("[data-share-kind=summary] [data-action=make-link]")
    page.wait_for_selector("[data-share-kind=summary] [data-share-result]:not([hidden])")
    return page.input_value("[data-share-link]")


def open_copy(page, link: str) -> str:
    page.goto(link)
    page.wait_for_selector("[data-shared-copy]:not([hidden])")
    return page.inner_text("[data-shared-copy]")


def test_a_shared_summary_opens_elsewhere_and_the_server_never_sees_it(browser, recorded, caplog):
    caplog.set_level(logging.DEBUG)
    sender = new_phone(browser, recorded)
    page = sender.new_page()
    page.goto("/summary")
    page.wait_for_selector("[data-module=app-summary][data-module-started]", state="attached")
    seed(page)
    page.fill("[data-range=start]", "2026-11-01")
    page.fill("[data-range=end]", "2026-11-30")
    page.click("[data-summary-form] button[type=submit]")
    page.wait_for_selector("[data-summary-output]:not([hidden])")
    made_here = page.inner_text("[data-summary-output]")
    link = make_link(page)
    assert re.fullmatch(rf"{recorded.url}/shared\?lang=en#v1\.[\w-]+\.[\w-]{{43}}", link)
    assert page.locator("[data-share-qr] svg[role=img] path").count() == 1  # drawn here
    assert scanned(page, "[data-share-kind=summary] [data-share-qr] svg") == [link]
    sender.close()

    recipient = new_phone(browser, recorded)
    other = recipient.new_page()
    assert open_copy(other, link) == made_here
    assert "This copy was made on November" in other.inner_text("[data-shared-made]")

    # Offline, after that first visit: the page comes from the service worker.
    other.evaluate("navigator.serviceWorker.ready.then(() => true)")
    other.reload()
    other.wait_for_function("() => navigator.serviceWorker.controller !== null")
    recipient.set_offline(True)
    offline = recipient.new_page()
    assert open_copy(offline, link) == made_here

    # A damaged link opens nothing, and says so.
    damaged = link[:-6] + ("AAAAAA" if not link.endswith("AAAAAA") else "BBBBBB")
    broken = recipient.new_page()
    broken.goto(damaged)
    broken.wait_for_selector("[data-shared-error]:not([hidden])")
    assert broken.locator("[data-shared-copy]").is_hidden()
    recipient.close()

    fragment = link.split("#", 1)[1]
    payload, key = fragment.split(".")[1:]
    seen = "\n".join(recorded.recorder.seen)
    logged = caplog.text
    for needle in (payload[:40], key, *SECRETS, "Two glasses"):
        assert needle not in seen, f"the server was sent {needle!r}"
        assert needle not in logged, f"the logs hold {needle!r}"
    # Only the path (and the page's language) ever reached the server.
    shared = [line.split(" ") for line in recorded.recorder.seen if " /shared " in line]
    assert shared and {query for _method, _path, query, *_rest in shared} <= {
        "",
        "lang=en",
        "lang=es",
    }


@pytest.mark.parametrize(("scheme", "width"), [("dark", 320), ("light", 360)])
def test_the_plan_s_qr_code_scans_as_its_link_on_a_small_dark_or_light_screen(
    browser, recorded, scheme, width
):
    """A camera pointed at the code reads the link itself, whatever the page's colours
    around it: the code keeps its own light margin (the quiet zone) even on a dark page."""
    phone = new_phone(
        browser, recorded, color_scheme=scheme, viewport={"width": width, "height": 740}
    )
    page = phone.new_page()
    page.goto("/share?lang=es")
    page.wait_for_selector("[data-module=app-share][data-module-started]", state="attached")
    seed(page)
    page.reload()
    page.wait_for_selector("[data-module=app-share][data-module-started]", state="attached")
    page.click("[data-action=make-link]")
    page.wait_for_selector("[data-share-result]:not([hidden])")
    link = page.input_value("[data-share-link]")
    assert scanned(page, "[data-share-qr] svg") == [link]
    # The light margin is the standard's 4 modules on every side (ISO/IEC 18004 quiet zone).
    size = int(page.get_attribute("[data-share-qr] svg", "viewBox").split()[2])
    squares = re.findall(r"M(\d+) (\d+)", page.get_attribute("[data-share-qr] path", "d"))
    xs, ys = [int(x) for x, _ in squares], [int(y) for _, y in squares]
    assert (min(xs), min(ys), size - 1 - max(xs), size - 1 - max(ys)) == (4, 4, 4, 4)
    phone.close()
