"""The passcode lock in a real browser: turning it on seals everything already kept (the raw
IndexedDB and localStorage values are ciphertext), a new tab asks for the passcode before
showing anything, a wrong passcode opens nothing, idle time and Quick exit lock, turning it off
opens everything again, and "forgot" can only erase. The passcode and the data never leave
the device (the network log proves it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.toolkit.device_data import CHECK_INS, SECRETS, raw, seed

pytestmark = pytest.mark.browser

PASSCODE = "correct horse battery"
SCRIPTS = Path(__file__).resolve().parents[2] / "frontend" / "static" / "js"


def started(page, module: str) -> None:
    page.wait_for_selector(f"[data-module={module}][data-module-started]", state="attached")


def turn_on(page, passcode: str = PASSCODE) -> None:
    page.goto("/passcode")
    started(page, "app-passcode")
    page.fill("#new-passcode", passcode)
    page.fill("#new-passcode-again", passcode)
    page.click("[data-form=turn-on] button[type=submit]")
    page.wait_for_selector("[data-when-on]:not([hidden])")


def unlock(page, passcode: str = PASSCODE) -> None:
    page.wait_for_selector("[data-unlock]:not([hidden])")
    page.fill("#unlock-passcode", passcode)
    page.click("[data-unlock] button[type=submit]")


def check_in_history(page) -> list[str]:
    page.wait_for_selector("[data-history]:not([hidden])")
    return page.locator("[data-history-rows] tr").all_inner_texts()


def sealed(value) -> bool:
    return set(value) - {"id"} == {"v", "iv", "ct"} and value["v"] == 1


def test_the_lock_seals_what_is_kept_and_asks_before_showing_it(context):
    page = context.new_page()
    sent = []
    context.on("request", lambda r: sent.append(f"{r.method} {r.url} {r.post_data or ''}"))
    page.goto("/check-in")
    seed(page)
    turn_on(page)
    assert "The lock is on" in page.inner_text("[data-passcode-status]")

    kept = raw(page)
    values = [*kept["plan"].values(), *kept["taper"].values(), *kept["checkins"].values()]
    assert len(values) == 1 + 1 + 3 + len(CHECK_INS)
    assert all(sealed(value) for value in values), values
    assert sealed(json.loads(kept["local"]["steady.selfcheck.results"]))
    settings = json.loads(kept["local"]["steady.lock"])
    assert settings["iterations"] >= 600_000 and len(settings["salt"]) >= 22
    on_device = json.dumps(kept)
    assert not [word for word in SECRETS if word in on_device], "plain text left on the device"

    # A new tab has no session: the page asks first, a wrong passcode opens nothing.
    other = context.new_page()
    other.goto("/check-in")
    started(other, "app-quick-exit")
    other.wait_for_selector("[data-unlock]:not([hidden])")
    assert other.locator("[data-history]").is_hidden()
    unlock(other, "wrong passcode")
    other.wait_for_selector("#unlock-error:not([hidden])")
    assert other.locator("[data-history]").is_hidden()
    unlock(other)
    assert len(check_in_history(other)) == len(CHECK_INS)

    # The same tab keeps its session from page to page.
    other.goto("/check-in")
    assert len(check_in_history(other)) == len(CHECK_INS)
    assert other.locator("[data-unlock]").is_hidden()

    everything = "\n".join(sent)
    assert PASSCODE not in everything and "wrong passcode" not in everything
    assert not [word for word in SECRETS if word in everything]


def test_idle_time_and_quick_exit_lock_again(context):
    page = context.new_page()
    page.goto("/check-in")
    seed(page)
    turn_on(page)
    page.goto("/check-in")
    assert len(check_in_history(page)) == len(CHECK_INS)

    # The lock fell due while the phone slept: on its return the page locks and reloads.
    page.evaluate("""() => {
      const session = JSON.parse(sessionStorage.getItem("steady.lock.session"));
      session.until = Date.now() - 1000;
      sessionStorage.setItem("steady.lock.session", JSON.stringify(session));
    }""")
    with page.expect_navigation():
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_selector("[data-unlock]:not([hidden])")
    assert page.locator("[data-history]").is_hidden()
    unlock(page)
    check_in_history(page)

    page.click("a.app-quick-exit")
    page.wait_for_url(re.compile(r"exit\.steady\.test"))
    assert page.evaluate("sessionStorage.getItem('steady.lock.session')") is None
    page.goto("/check-in")
    page.wait_for_selector("[data-unlock]:not([hidden])")
    assert page.locator("[data-history]").is_hidden()


def test_turning_the_lock_off_opens_everything_and_forgot_can_only_erase(context):
    page = context.new_page()
    page.goto("/check-in")
    seed(page)
    turn_on(page)

    page.fill("#off-current", "not it")
    page.click("[data-form=turn-off] button[type=submit]")
    page.wait_for_selector("[data-form=turn-off] [data-error]:not([hidden])")
    page.fill("#off-current", PASSCODE)
    page.click("[data-form=turn-off] button[type=submit]")
    page.wait_for_selector("[data-form=turn-on]:not([hidden])")
    kept = raw(page)
    assert kept["plan"]["current"]["reasons"] == ["My daughter Lucia"]
    assert [v["feeling"] for v in kept["checkins"].values()] == [3, 3, 3]
    assert "steady.lock" not in kept["local"]

    turn_on(page, "second passcode")
    other = context.new_page()
    other.goto("/check-in")
    other.wait_for_selector("[data-unlock]:not([hidden])")
    other.click("[data-unlock] a")  # "Forgot your passcode?"
    other.wait_for_url(re.compile(r"/passcode#forgot$"))
    started(other, "app-passcode")
    other.click("[data-action=ask-erase]")
    with other.expect_navigation():
        other.click("[data-action=erase]")
    other.goto("/check-in")
    started(other, "app-check-in")
    assert other.locator("[data-unlock]").is_hidden()
    kept = raw(other)
    assert kept["plan"] == {} and kept["checkins"] == {}
    assert not [key for key in kept["local"] if key.startswith("steady.")]


def test_page_and_script_agree_on_the_lock_settings():
    from backend.toolkit.passcode import IDLE_MINUTES, MIN_LENGTH

    assert f"MIN_LENGTH = {MIN_LENGTH};" in (SCRIPTS / "lock-settings.js").read_text()
    assert f"IDLE_MS = {IDLE_MINUTES} * 60 * 1000;" in (SCRIPTS / "vault.js").read_text()


def test_crisis_help_comes_before_the_passcode_prompt(context):
    page = context.new_page()
    page.goto("/check-in")
    seed(page)
    turn_on(page)

    locked = context.new_page()
    locked.goto("/check-in?country=US")
    locked.wait_for_selector("[data-unlock]:not([hidden])")  # the history waits for it
    locked.wait_for_selector("[data-check-in-form]:not([hidden])")
    for name, value in {"feeling": "1", "withdrawal": "strong"}.items():
        locked.check(f'[data-check-in-form] input[name="{name}"][value="{value}"]')
    locked.check('[data-check-in-form] input[name="self_harm"]')
    locked.click("[data-check-in-form] button[type=submit]")
    locked.wait_for_selector("#check-in-result [data-crisis]:not([hidden])")
    assert locked.evaluate("document.activeElement.id") == "crisis-heading"

    unlock(locked)
    locked.wait_for_selector("[data-history-rows] tr:nth-child(4)")
    assert locked.inner_text("#check-in-result-heading") == "Saved on this phone"

    # The self-check's history waits for the lock rather than asking before the result.
    check = context.new_page()
    check.goto("/check")
    started(check, "app-selfcheck")
    check.check('input[name="self_harm"][value="sometimes"]')
    check.click("form.app-selfcheck button[type=submit]")
    check.wait_for_selector("#selfcheck-result:not([hidden])")
    check.wait_for_timeout(300)
    assert check.locator("[data-unlock]").is_hidden()
    assert check.evaluate("document.activeElement.id") == "crisis-heading"
