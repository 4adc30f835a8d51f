"""The check-in in a real browser: answers kept in IndexedDB and never sent (the network log
proves it), crisis help first when answers point to danger, the prescriber (never a dose)
when withdrawal comes with a reduction, the history chart and table, CSV export, print,
delete all, and all of it offline."""

from __future__ import annotations

import csv
import io

import pytest

from tests.reminders.reminder_steps import open_page, wait_for_worker

pytestmark = pytest.mark.browser

CHECK_INS = """async () => new Promise((resolve) => {
  const request = indexedDB.open("steady");
  request.onsuccess = () => {
    const db = request.result;
    const all = db.transaction("checkins").objectStore("checkins").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result); };
  };
})"""
CALM = {
    "feeling": "4",
    "sleep": "3",
    "anxiety": "2",
    "cravings": "1",
    "as_prescribed": "yes",
    "withdrawal": "none",
    "reducing": "no",
}


def check_in(page, answers: dict[str, str], self_harm: bool = False) -> None:
    for name, value in answers.items():
        page.check(f'[data-check-in-form] input[name="{name}"][value="{value}"]')
    if self_harm:
        page.check('[data-check-in-form] input[name="self_harm"]')
    page.click("[data-check-in-form] button[type=submit]")
    page.wait_for_selector("#check-in-result", state="visible")


def visible_text(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def test_check_in_answers_are_kept_on_the_device_and_never_sent(phone):
    open_page(phone, "/check-in", "app-check-in")
    sent = []
    phone.on(
        "request", lambda request: sent.append((request.method, request.url, request.post_data))
    )

    check_in(phone, CALM)
    phone.click("[data-action=again]")
    check_in(phone, {**CALM, "feeling": "2"})
    phone.click("[data-action=export]")
    phone.wait_for_timeout(300)  # anything the page might send would be on its way by now

    assert sent == [], f"the check-in sent something: {sent}"
    stored = phone.evaluate(CHECK_INS)
    assert [entry["feeling"] for entry in stored] == [4, 2]
    assert {key for key in stored[0]} == {"id", "date", *CALM}


def test_thoughts_of_self_harm_bring_crisis_help_first_and_are_never_saved(phone):
    open_page(phone, "/check-in?country=US", "app-check-in")
    check_in(phone, CALM, self_harm=True)

    crisis = phone.locator("#check-in-result [data-crisis]")
    assert crisis.is_visible()
    assert phone.evaluate("document.activeElement.id") == "crisis-heading"
    result = visible_text(phone, "#check-in-result")
    assert (
        result.index("Get help now")
        < result.index("You said you have had thoughts")
        < (result.index("Saved on this phone"))
    )
    assert crisis.locator('a[href="tel:911"]').is_visible()
    assert phone.locator("[data-flag=strong_withdrawal]").is_hidden()
    assert "self_harm" not in phone.evaluate(CHECK_INS)[0]


def test_strong_withdrawal_brings_crisis_help_and_the_prescriber_never_a_dose(phone):
    open_page(phone, "/check-in", "app-check-in")
    check_in(phone, {**CALM, "withdrawal": "strong", "reducing": "yes"})

    assert phone.locator("[data-crisis]").is_visible()
    assert phone.locator("[data-flag=strong_withdrawal]").is_visible()
    assert phone.locator("[data-flag=self_harm]").is_hidden()
    advice = phone.locator("[data-advice=reducing]")
    assert advice.is_visible()
    assert "Contact your prescriber soon" in advice.inner_text()
    assert "Do not change your dose on your own" in advice.inner_text()


def test_mild_withdrawal_while_reducing_suggests_the_prescriber_without_alarm(phone):
    open_page(phone, "/check-in?lang=es", "app-check-in")
    check_in(phone, {**CALM, "withdrawal": "mild", "reducing": "yes"})

    assert phone.locator("[data-crisis]").is_hidden()
    assert phone.evaluate("document.activeElement.id") == "check-in-result-heading"
    assert "Comuníquese pronto con quien se la receta" in visible_text(
        phone, "[data-advice=reducing]"
    )
    assert phone.locator("[data-advice=withdrawal]").is_hidden()


def test_calm_answers_show_no_warnings(phone):
    open_page(phone, "/check-in", "app-check-in")
    check_in(phone, CALM)
    for selector in ("[data-crisis]", "[data-advice=reducing]", "[data-advice=withdrawal]"):
        assert phone.locator(selector).is_hidden(), selector


def test_history_is_drawn_as_an_svg_chart_with_a_table_exported_as_csv_and_printed(phone):
    open_page(phone, "/check-in", "app-check-in")
    assert phone.locator("[data-empty]").is_visible()
    check_in(phone, CALM)
    phone.click("[data-action=again]")
    check_in(phone, {"feeling": "1", "sleep": "5", "withdrawal": "mild"})  # some skipped

    chart = phone.locator("[data-chart] svg")
    assert chart.get_attribute("role") == "img"
    assert chart.get_attribute("aria-label") == (
        "Chart of your last 2 check-ins. The same answers are in the table below."
    )
    assert chart.locator("polyline").count() == 2  # anxiety, cravings: one answer, no line
    assert chart.locator("circle").count() == 2 + 2 + 1 + 1
    assert phone.locator("[data-chart] [style]").count() == 0  # the CSP forbids inline styles
    rows = phone.locator("[data-history-rows] tr")
    assert rows.count() == 2
    newest = rows.nth(0).locator("td").all_inner_texts()
    assert newest == [
        "1",
        "5",
        "Not answered",
        "Not answered",
        "Not answered",
        "Mild",
        "Not answered",
    ]

    with phone.expect_download() as download:
        phone.click("[data-action=export]")
    assert download.value.suggested_filename.startswith("check-ins-")
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        table = list(csv.reader(io.StringIO(handle.read())))
    assert table[0] == [
        "Date",
        "Feeling",
        "Sleep",
        "Anxiety",
        "Cravings",
        "Took it as prescribed",
        "Withdrawal symptoms",
        "Reducing with prescriber",
    ]
    assert table[1][1:] == ["4", "3", "2", "1", "Yes", "None", "No"]  # oldest first
    assert len(table) == 3

    phone.emulate_media(media="print")
    assert phone.locator("[data-check-in-form]").is_hidden()
    assert phone.locator("#check-in-result").is_hidden()
    assert phone.locator("[data-print-summary]").is_visible()
    assert phone.locator("[data-chart] svg").is_visible()
    assert phone.locator("[data-history-rows] tr").first.is_visible()
    assert phone.locator(".app-header").is_hidden()


def test_check_in_form_chart_and_delete_all_work_offline(device, phone):
    open_page(phone, "/check-in", "app-check-in")
    wait_for_worker(phone)
    device.set_offline(True)
    phone.reload()
    phone.wait_for_selector("[data-module=app-check-in][data-module-started]", state="attached")
    assert phone.evaluate("navigator.onLine") is False

    check_in(phone, CALM)
    assert phone.locator("[data-chart] svg circle").count() == 4
    phone.click("[data-action=delete-check-ins]")
    assert phone.get_attribute("[data-action=delete-check-ins]", "aria-expanded") == "true"
    phone.click("[data-action=confirm-delete]")
    phone.wait_for_selector("[data-history]", state="hidden")
    assert phone.locator("[data-empty]").is_visible()
    assert "All check-ins on this device are deleted." in visible_text(phone, "[data-status]")
    assert phone.evaluate(CHECK_INS) == []


def test_without_javascript_the_check_in_explains_and_shows_no_form(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/check-in")
        assert page.locator("[data-needs-js]").is_visible()
        assert page.locator("[data-check-in-form]").is_hidden()
        page.goto("/reminders")
        assert "Reminders need JavaScript." in page.locator("[data-needs-js]").inner_text()
        assert page.locator("[data-reminder-form]").is_hidden()
        assert page.get_by_text("What our server keeps, and how to delete it").is_visible()
    finally:
        context.close()
