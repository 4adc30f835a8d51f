"""axe-core finds nothing on the passcode, summary, share and shared-copy pages, or on the
passcode prompt, in their working states (lock on, summary built and plan shared with a link
and QR code, copy opened), in English and Spanish, light and dark, at 360×740."""

from __future__ import annotations

import pytest

from tests.axe import no_axe_violations
from tests.toolkit.device_data import seed

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "scheme"), [("en", "light"), ("es", "dark")])
def test_lock_summary_and_shared_pages_have_no_accessibility_violations(
    browser, live_server, lang, scheme
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        color_scheme=scheme,
        service_workers="block",
    )
    page = context.new_page()
    page.goto(f"/summary?lang={lang}")
    page.wait_for_selector("[data-module=app-summary][data-module-started]", state="attached")
    seed(page)
    page.check("input[data-sedative=opioids][value=often]")
    page.click("[data-summary-form] button[type=submit]")
    page.wait_for_selector("[data-summary-output]:not([hidden])")
    page.click("[data-action=make-link]")
    page.wait_for_selector("[data-share-result]:not([hidden])")
    no_axe_violations(page, "/summary")
    link = page.input_value("[data-share-link]")

    page.goto(link)
    page.wait_for_selector("[data-shared-copy]:not([hidden])")
    no_axe_violations(page, "/shared")

    page.goto(f"/share?lang={lang}")
    page.wait_for_selector("[data-module=app-share][data-module-started]", state="attached")
    page.click("[data-action=make-link]")
    page.wait_for_selector("[data-share-result]:not([hidden])")
    no_axe_violations(page, "/share")

    page.goto(f"/passcode?lang={lang}")
    page.wait_for_selector("[data-module=app-passcode][data-module-started]", state="attached")
    page.fill("#new-passcode", "a long passcode")
    page.fill("#new-passcode-again", "a long passcode")
    page.click("[data-form=turn-on] button[type=submit]")
    page.wait_for_selector("[data-when-on]:not([hidden])")
    page.click("[data-action=ask-erase]")
    no_axe_violations(page, "/passcode")

    prompt = context.new_page()
    prompt.goto(f"/summary?lang={lang}")
    prompt.wait_for_selector("[data-unlock]:not([hidden])")
    prompt.fill("#unlock-passcode", "not the passcode")
    prompt.click("[data-unlock] button[type=submit]")
    prompt.wait_for_selector("#unlock-error:not([hidden])")
    no_axe_violations(prompt, "the passcode prompt")
    context.close()
