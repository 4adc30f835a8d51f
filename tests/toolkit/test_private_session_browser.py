"""A whole private session in a real browser, with the passcode lock on: a safety plan
written, a taper step and a diary day kept, a check-in, a prescriber summary made, the plan
shared by link and opened on another phone. Everything kept is ciphertext on the device; the
network (both phones' requests), what the server received and its logs carry none of it, nor
the passcode, nor the shared copies or their keys."""

from __future__ import annotations

import json
import logging

import pytest

from tests.toolkit.device_data import raw
from tests.toolkit.recording import new_phone, recorded_server

pytestmark = pytest.mark.browser

PASSCODE = "lantern river 42"
WARNING = "Pacing the hallway at 3am"
REASON = "Teaching Mateo to swim"
HELPER = ("Cousin Ines", "+34 611 222 333")
NOTE = "Half a bottle of wine on Fridays"
WORDS = [PASSCODE, WARNING, REASON, HELPER[0], "611 222", NOTE, "1.25 mg", "diary note"]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    with recorded_server(tmp_path_factory.mktemp("session") / "steady.sqlite3") as server:
        yield server


def started(page, module: str) -> None:
    page.wait_for_selector(f"[data-module={module}][data-module-started]", state="attached")


def make_link(page, kind: str) -> str:
    page.click(f"[data-share-kind={kind}] [data-action=make-link]")
    page.wait_for_selector(f"[data-share-kind={kind}] [data-share-result]:not([hidden])")
    return page.input_value(f"[data-share-kind={kind}] [data-share-link]")


def test_a_whole_private_session_leaves_nothing_readable_off_the_phone(browser, recorded, caplog):
    caplog.set_level(logging.DEBUG)
    sent: list[str] = []
    phone = new_phone(browser, recorded)
    phone.on("request", lambda r: sent.append(f"{r.method} {r.url} {r.post_data or ''}"))
    page = phone.new_page()

    page.goto("/passcode")
    started(page, "app-passcode")
    page.fill("#new-passcode", PASSCODE)
    page.fill("#new-passcode-again", PASSCODE)
    page.click("[data-form=turn-on] button[type=submit]")
    page.wait_for_selector("[data-when-on]:not([hidden])")

    page.goto("/plan")
    started(page, "app-plan")
    page.click("[data-action=edit]")
    page.fill("#field-warning_signs", WARNING)
    page.fill("#field-reasons", REASON)
    row = page.locator("[data-people=helpers] .app-plan__person").first
    row.locator("[name=name]").fill(HELPER[0])
    row.locator("[name=phone]").fill(HELPER[1])
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("[data-items=reasons]:not([hidden])")
    page.click("text=Share a private copy of my plan")
    started(page, "app-share")
    plan_link = make_link(page, "plan")

    page.goto("/taper")
    started(page, "app-taper")
    page.fill("#step-date", "2026-11-16")
    page.fill("#step-dose", "1.25 mg a day")
    page.fill("#step-note", "diary note: second step")
    page.click("[data-step-form] button[type=submit]")
    page.check("input[name=taken][value=yes]")
    page.check("input[name=anxiety][value='2']")
    page.fill("#day-note", "diary note: shaky hands")
    page.click("[data-day-form] button[type=submit]")
    page.wait_for_selector("[data-status]:text-matches('.')")

    page.goto("/check-in")
    started(page, "app-check-in")
    for name, value in {"feeling": "3", "sleep": "2", "withdrawal": "mild"}.items():
        page.check(f'[data-check-in-form] input[name="{name}"][value="{value}"]')
    page.click("[data-check-in-form] button[type=submit]")
    page.wait_for_selector("[data-history-rows] tr")

    page.goto("/summary")
    started(page, "app-summary")
    page.check("input[data-sedative=alcohol][value=often]")
    page.fill("[data-sedatives-note]", NOTE)
    page.fill("[data-range=start]", "2026-11-01")
    page.click("[data-summary-form] button[type=submit]")
    page.wait_for_selector("[data-summary-output]:not([hidden])")
    assert "1.25 mg a day" in page.inner_text("[data-summary-output]")
    summary_link = make_link(page, "summary")

    kept = raw(page)
    for store in ("plan", "taper", "checkins"):
        assert kept[store] and all(
            set(v) - {"id"} == {"v", "iv", "ct"} for v in kept[store].values()
        ), store
    on_device = json.dumps(kept)
    assert not [word for word in WORDS[1:] if word in on_device]
    phone.close()

    # Another phone opens the shared plan: the same plan, read-only.
    other = new_phone(browser, recorded)
    other.on("request", lambda r: sent.append(f"{r.method} {r.url} {r.post_data or ''}"))
    copy = other.new_page()
    copy.goto(plan_link)
    copy.wait_for_selector("[data-shared-copy]:not([hidden])")
    shown = copy.inner_text("[data-shared-copy]")
    for word in (WARNING, REASON, HELPER[0], HELPER[1], "My reasons to keep going"):
        assert word in shown
    assert copy.get_attribute("[data-shared-copy] a[href^='tel:']", "href") == "tel:+34611222333"
    other.close()

    fragments = [link.split("#", 1)[1] for link in (plan_link, summary_link)]
    secrets = [*WORDS, *(part for f in fragments for part in f.split(".")[1:])]
    network = "\n".join(sent)
    server = "\n".join(recorded.recorder.seen)
    for secret in secrets:
        assert secret not in network, f"a request carried {secret[:30]!r}"
        assert secret not in server, f"the server received {secret[:30]!r}"
        assert secret not in caplog.text, f"the logs hold {secret[:30]!r}"
