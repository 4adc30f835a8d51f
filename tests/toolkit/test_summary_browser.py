"""The prescriber summary in a real browser: built on the device from what it keeps, with
only the sections chosen (the PDF that Chromium prints holds those and nothing else), the
other sedatives noted on the page, and the warning about mixing with alcohol or opioids;
offline after a first visit, like the passcode page."""

from __future__ import annotations

import io

import pytest

from tests.toolkit.device_data import seed

pytestmark = pytest.mark.browser


def open_summary(page, path: str = "/summary") -> None:
    page.goto(path)
    page.wait_for_selector("[data-module=app-summary][data-module-started]", state="attached")


def make_summary(page, leave_out=(), start="2026-11-01", end="2026-11-30") -> None:
    for section in leave_out:
        page.uncheck(f"input[data-section={section}]")
    page.fill("[data-range=start]", start)
    page.fill("[data-range=end]", end)
    page.click("[data-summary-form] button[type=submit]")
    page.wait_for_selector("[data-summary-output]:not([hidden])")


def pdf_text(page) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_the_printed_summary_holds_the_chosen_sections_only(context):
    page = context.new_page()
    open_summary(page)
    seed(page)
    make_summary(page, leave_out=("journal", "sedatives"))

    text = pdf_text(page)
    assert "Self-check signs" in text and "Taking more than prescribed" in text
    assert "Taper steps and symptoms" in text and "1.25 mg a day" in text
    assert "From November 1, 2026 to November 30, 2026" in text
    for left_out in ("Check-in trends", "Other sedatives", "Averages from", "Alcohol"):
        assert left_out not in text, left_out
    # The page around the summary is not printed: form, warning, sharing, header and footer.
    for chrome in ("What to include", "no longer private", "Share a private copy", "Quick exit"):
        assert chrome not in text, chrome
    assert page.locator("[data-summary-output] svg[role=img]").count() == 1  # the symptom chart


def test_the_summary_shows_trends_and_the_other_sedatives_noted_here_offline_too(context):
    page = context.new_page()
    open_summary(page)
    seed(page)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    context.set_offline(True)  # after a first visit, the page and its scripts are kept
    open_summary(page)
    page.check("input[data-sedative=alcohol][value=sometimes]")
    assert page.locator("[data-mixing]").is_visible()
    page.fill("[data-sedatives-note]", "Two glasses of wine at weekends")
    make_summary(page, leave_out=("selfcheck", "taper"))

    summary = page.inner_text("[data-summary-output]")
    assert "Check-ins in this period: 3" in summary
    rows = page.locator("[data-section=journal] tbody tr").all_inner_texts()
    assert [row.split() for row in rows if row.startswith("Anxiety")] == [
        ["Anxiety", "4.0", "4", "4"]
    ]
    assert "Withdrawal symptoms: mild on 3 days, strong on 0" in summary
    assert "Alcohol: Sometimes" in summary and "Two glasses of wine" in summary
    assert "Self-check signs" not in summary and "Taper steps" not in summary

    # What was noted is kept on the device for next time.
    open_summary(page)
    assert page.is_checked("input[data-sedative=alcohol][value=sometimes]")
    assert page.input_value("[data-sedatives-note]") == "Two glasses of wine at weekends"
    page.goto("/passcode")
    page.wait_for_selector("[data-module=app-passcode][data-module-started]", state="attached")


def test_without_javascript_the_pages_say_why_and_offer_no_form_that_could_send(
    browser, live_server
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    for path in ("/summary", "/passcode", "/share", "/shared"):
        page.goto(path)
        assert page.locator("[data-needs-js]").first.is_visible(), path
        assert page.locator("main form:visible").count() == 0, path
    context.close()
