"""The safety plan in a real browser: written, kept on the device and shown again (with the
country's crisis lines and tap-to-call people), never sent; offline after a first visit; a
printable blank plan without JavaScript; axe finds nothing; nothing overflows at 320 px."""

from __future__ import annotations

import pytest

from tests.axe import no_axe_violations
from tests.toolkit.toolkit_steps import started, wait_until_controlled

pytestmark = pytest.mark.browser

WARNING_SIGN = "Lying awake past three"
REASON = "Walking Rufus at dawn"
HELPER = ("Ana Maria", "+1 555 010 9999")
PRIVATE_WORDS = (WARNING_SIGN, REASON, HELPER[0], "Lying", "Rufus", "555")

READ_PLAN = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("steady");
  open.onsuccess = () => {
    const db = open.result;
    const get = db.transaction("plan").objectStore("plan").get("current");
    get.onsuccess = () => { resolve({version: db.version, plan: get.result}); db.close(); };
    get.onerror = () => reject(get.error);
  };
  open.onerror = () => reject(open.error);
})"""


def write_plan(page) -> None:
    started(page, "app-plan")
    page.click("[data-action=edit]")
    page.fill("#field-warning_signs", f"{WARNING_SIGN}\n\n  Skipping meals  ")
    page.fill("#field-reasons", REASON)
    row = page.locator("[data-people=helpers] .app-plan__person").first
    row.locator("[name=name]").fill(HELPER[0])
    row.locator("[name=phone]").fill(HELPER[1])
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("[data-items=reasons]:not([hidden])")


def test_plan_is_kept_on_the_device_shown_again_and_never_sent(plan_taper_phone):
    with plan_taper_phone() as page:
        page.goto("/plan?country=US")
        write_plan(page)
        page.reload()
        started(page, "app-plan")

        signs = page.locator("[data-items=warning_signs] li").all_text_contents()
        assert signs == [WARNING_SIGN, "Skipping meals"]  # one per line, trimmed, no blanks
        assert page.locator("[data-blank=warning_signs]").is_hidden()
        assert page.locator("[data-blank=coping]").is_visible()  # lines to write on remain
        call = page.locator("[data-items=helpers] a")
        assert call.get_attribute("href") == "tel:+15550109999"
        assert call.text_content() == f"Call {HELPER[0]}"
        assert page.locator("[data-action=edit]").text_content() == "Change my plan"
        page.click("[data-action=edit]")
        page.click("#plan-form button[type=submit]")  # saved again: focus is not lost
        page.wait_for_selector("[data-status]:text('Your plan is saved on this phone.')")
        assert page.evaluate("() => document.activeElement.dataset.action") == "edit"
        # The country's crisis lines are on the plan, tap to call, from the directory.
        lines = page.locator("#plan-professionals")
        assert lines.locator('a[href="tel:911"]').count() == 1
        assert lines.locator('a[href="tel:988"]').count() >= 1

        stored = page.evaluate(READ_PLAN)
        assert stored["version"] == 2
        plan = stored["plan"]
        assert plan["warning_signs"] == [WARNING_SIGN, "Skipping meals"]
        assert plan["helpers"] == [{"name": HELPER[0], "phone": HELPER[1]}]
        assert plan["professionals"] == [] and plan["reasons"] == [REASON]
        assert set(plan) == {
            "updated", "warning_signs", "coping", "distractions", "helpers",
            "professionals", "safer_home", "reasons",
        }  # fmt: skip

        # The form again holds what was kept; changing it keeps the change.
        page.click("[data-action=edit]")
        assert page.input_value("#field-reasons") == REASON
        page.fill("#field-reasons", "")
        page.click("#plan-form button[type=submit]")
        page.wait_for_selector("[data-blank=reasons]:not([hidden])")

        # Deleting asks first, then leaves the blank plan.
        page.click("[data-action=delete]")
        page.click("[data-action=confirm-delete]")
        page.wait_for_selector("[data-items=warning_signs][hidden]", state="attached")
        assert page.evaluate(READ_PLAN)["plan"] is None

        for url, body in page.sent:
            for word in PRIVATE_WORDS:
                assert word not in url and word not in body, url


def test_plan_opens_offline_after_a_first_visit(plan_taper_phone):
    with plan_taper_phone(service_workers="allow") as page:
        wait_until_controlled(page, "/plan")
        write_plan(page)
        page.context_.set_offline(True)
        page.goto("/plan")
        started(page, "app-plan")
        assert page.locator("h1").text_content() == "My safety plan"
        assert page.locator("[data-items=reasons] li").all_text_contents() == [REASON]
        page.goto("/plan?lang=es")
        assert page.locator("h1").text_content() == "Mi plan de seguridad"


def test_plan_without_javascript_is_a_blank_plan_that_prints_clean(plan_taper_phone):
    with plan_taper_phone(javascript=False) as page:
        page.goto("/plan?country=US")
        assert page.locator("[data-needs-js]").is_visible()
        assert page.locator("[data-plan-form]").is_hidden()
        assert page.locator("[data-plan-actions]").is_hidden()
        assert page.locator(".app-plan__blank").count() == 7
        assert page.locator("[data-blank=reasons] li").count() == 3

        page.emulate_media(media="print")
        for hidden in (".app-header", ".app-emergency", ".app-footer", "[data-needs-js]"):
            assert page.locator(hidden).first.is_hidden(), hidden
        assert page.locator("[data-blank=reasons]").is_visible()
        assert page.locator('#plan-professionals a[href="tel:988"]').first.is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(("lang", "scheme"), [("en", "light"), ("es", "dark")])
def test_axe_finds_nothing_on_the_plan_filled_in_and_while_editing(plan_taper_phone, lang, scheme):
    with plan_taper_phone(scheme=scheme) as page:
        page.goto(f"/plan?country=US&lang={lang}")
        write_plan(page)
        no_axe_violations(page)
        page.click("[data-action=edit]")
        no_axe_violations(page)


def test_axe_finds_nothing_on_the_blank_plan_before_any_script(plan_taper_phone):
    # axe is itself a script (it cannot run with JavaScript off), so the page's own scripts
    # are refused instead: what shows is the server's blank plan.
    with plan_taper_phone() as page:
        page.route("**/static/js/**", lambda route: route.abort())
        page.goto("/plan?lang=es")
        no_axe_violations(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_plan_fits_a_320px_phone_while_editing(plan_taper_phone, lang):
    with plan_taper_phone(width=320) as page:
        page.goto(f"/plan?country=US&lang={lang}")
        write_plan(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        page.click("[data-action=edit]")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


def test_delete_everything_on_this_device_takes_the_plan_and_the_diary(plan_taper_phone):
    with plan_taper_phone() as page:
        page.goto("/plan")
        write_plan(page)
        page.evaluate(
            """async () => {
              const store = await import("/static/js/toolkit-store.js");
              await store.saveSteps([{date: "2026-11-01", dose: "as written", note: ""}]);
            }"""
        )
        page.goto("/delete-everything")
        page.wait_for_selector("[data-module=app-delete-everything][data-module-started]")
        page.click("[data-action=ask-delete-everything]")
        page.get_by_role("button", name="Yes, delete everything").click()
        page.locator("[data-delete-status]").filter(
            has_text="Everything Steady kept on this device is deleted."
        ).wait_for()
        page.goto("/plan")
        started(page, "app-plan")
        assert page.locator("[data-items=reasons]").is_hidden()
        assert (
            page.evaluate("async () => (await import('/static/js/toolkit-store.js')).loadSteps()")
            == []
        )
