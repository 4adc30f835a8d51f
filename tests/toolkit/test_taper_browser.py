"""The taper diary in a real browser: the prescriber's steps and each day kept on the device
(never sent); advice from what a day records, crisis help first; a chart with a table beside
it; offline after a first visit; without JavaScript a printable blank sheet; axe finds
nothing; nothing overflows at 320 px."""

from __future__ import annotations

import re

import pytest

from tests.axe import no_axe_violations
from tests.toolkit.toolkit_steps import started, wait_until_controlled

pytestmark = pytest.mark.browser

DOSE = "0.5 mg Rivotril at night (Dr Okafor)"
NOTE = "Slept with the window open"
PRIVATE_WORDS = (DOSE, NOTE, "Okafor", "window open")

READ_TAPER = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("steady");
  open.onsuccess = () => {
    const db = open.result;
    const store = db.transaction("taper").objectStore("taper");
    const keys = store.getAllKeys();
    const values = store.getAll();
    values.onsuccess = () => {
      resolve(Object.fromEntries(keys.result.map((key, i) => [key, values.result[i]])));
      db.close();
    };
    values.onerror = () => reject(values.error);
  };
  open.onerror = () => reject(open.error);
})"""

# Days written straight through the page's own store module (the form writes one at a time).
WRITE_DAYS = """async (days) => {
  const store = await import("/static/js/toolkit-store.js");
  const { addDays, today } = await import("/static/js/taper-signals.js");
  for (const [back, level] of days) {
    const symptoms = {sleep: level, anxiety: level, tremor: 0, sweating: 0, senses: 0,
                      aches: 0, unreal: 0, mood: 0};
    await store.saveDay({date: addDays(today(), -back), taken: "yes", symptoms,
                         red_flags: [], note: ""});
  }
}"""


def today(page) -> str:
    return page.evaluate("async () => (await import('/static/js/taper-signals.js')).today()")


def clear_status(page) -> None:
    page.evaluate("() => { document.querySelector('[data-status]').textContent = ''; }")


def add_step(page, date: str, dose: str, note: str = "") -> None:
    """Add a step through the form and wait until the page has answered (saved or refused)."""
    clear_status(page)
    page.fill("#step-date", date)
    page.fill("#step-dose", dose)
    page.fill("#step-note", note)
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_selector("[data-status]:text-matches('.')")


def save_today(page, levels: dict[str, int], flags=(), taken="yes", note="") -> None:
    """Fill in today through the form, save it and wait until the page says it is saved."""
    clear_status(page)
    page.check(f"input[name=taken][value={taken}]")
    for symptom, level in levels.items():
        page.check(f"input[name={symptom}][value='{level}']")
    for flag in flags:
        page.check(f"input[name=red_flags][value={flag}]")
    page.fill("#day-note", note)
    page.click("[data-day-form] button[type=submit]")
    page.wait_for_selector("[data-status]:text-matches('.')")


def test_taper_steps_and_days_are_kept_on_the_device_and_never_sent(plan_taper_phone):
    with plan_taper_phone() as page:
        page.goto("/taper")
        started(page, "app-taper")
        add_step(page, "2026-12-01", "1 mg in the morning")
        add_step(page, "2026-11-01", DOSE, "as written on the letter")
        add_step(page, "", "no date")  # refused, with words that say what is missing
        assert "Type the day the step starts" in page.text_content("[data-status]")
        save_today(page, {"sleep": 2, "tremor": 1}, note=NOTE)
        page.reload()
        started(page, "app-taper")

        steps = page.locator("[data-steps] li").all_text_contents()
        assert DOSE in steps[0] and "1 mg in the morning" in steps[1]  # by date, as typed
        row = page.locator("[data-day-rows] tr").first
        cells = row.locator("td").all_text_contents()
        assert cells[0] == f"Step 1: {DOSE}"  # the step in force that day
        assert cells[1] == "Yes, as planned" and cells[2] == "3" and cells[-1] == NOTE
        assert page.locator("[data-chart] svg[role=img]").count() == 1
        assert page.locator("[data-chart] circle").count() == 1
        assert page.input_value("#day-note") == NOTE  # today's entry opens again to change

        stored = page.evaluate(READ_TAPER)
        date = today(page)
        assert stored["steps"] == [
            {"date": "2026-11-01", "dose": DOSE, "note": "as written on the letter"},
            {"date": "2026-12-01", "dose": "1 mg in the morning", "note": ""},
        ]
        assert stored[f"day:{date}"] == {
            "date": date,
            "taken": "yes",
            "symptoms": {
                "sleep": 2, "anxiety": 0, "tremor": 1, "sweating": 0,
                "senses": 0, "aches": 0, "unreal": 0, "mood": 0,
            },
            "red_flags": [],
            "note": NOTE,
        }  # fmt: skip

        # Deleting takes two taps on the same button; moving on takes the question back.
        second = page.locator("[data-action=delete-step]").nth(1)
        second.click()
        page.wait_for_selector("[data-status]:text('Tap again to delete this step.')")
        assert second.inner_text() == "Tap again to delete"
        assert second.get_attribute("aria-label").startswith("Tap again to delete the step")
        page.keyboard.press("Shift+Tab")  # away from the button: asked no more
        assert second.inner_text() == "Delete"
        second.click()
        assert page.locator("[data-steps] li").count() == 2  # one tap again only asks
        second.click()
        page.wait_for_selector("[data-status]:text('Step deleted.')")
        assert page.locator("[data-steps] li").count() == 1

        for url, body in page.sent:
            for word in PRIVATE_WORDS:
                assert word not in url and word not in body, url


def test_rising_symptoms_or_confusion_point_to_the_prescriber_never_to_a_dose(plan_taper_phone):
    with plan_taper_phone() as page:
        page.goto("/taper")
        started(page, "app-taper")
        page.evaluate(WRITE_DAYS, [[3, 0], [2, 1], [1, 2]])  # totals 0, 2, 4
        save_today(page, {"sleep": 2, "anxiety": 2})  # 4 again: not a rise
        assert page.locator("[data-alert=rising]").is_hidden()
        save_today(page, {"sleep": 3, "anxiety": 2})  # 5: the third rise in a row
        rising = page.locator("[data-alert=rising]")
        assert rising.is_visible()
        assert page.evaluate("() => document.activeElement.dataset.alert") == "rising"
        words = rising.text_content()
        assert "Contact your prescriber" in words
        assert not re.search(r"\b(skip|reduce|increase|lower|raise|halve|mg)\b", words, re.I)
        assert page.locator("[data-crisis]").is_hidden()

        # A day missing from the run breaks it: nothing is guessed.
        gap = page.evaluate(
            """async () => {
              const {risingOn} = await import("/static/js/taper-signals.js");
              const day = (date, sleep) => ({date, symptoms: {sleep}});
              return [
                risingOn([day("2026-01-01", 0), day("2026-01-02", 1), day("2026-01-03", 2),
                          day("2026-01-04", 3)], "2026-01-04"),
                risingOn([day("2026-01-01", 0), day("2026-01-02", 1),
                          day("2026-01-04", 3)], "2026-01-04"),
                risingOn([day("2026-01-02", 1), day("2026-01-03", 2),
                          day("2026-01-04", 3)], "2026-01-04"),
              ];
            }"""
        )
        assert gap == [True, False, False]

        # Confusion: the prescriber or a doctor today, the emergency number if it is strong.
        save_today(page, {"sleep": 0, "anxiety": 0}, flags=("confusion",))
        confusion = page.locator("[data-alert=confusion]")
        assert confusion.is_visible()
        assert page.evaluate("() => document.activeElement.dataset.alert") == "confusion"
        assert "call the emergency number" in confusion.text_content()
        assert page.locator("[data-alert=rising]").is_hidden()
        assert page.locator("[data-crisis]").is_hidden()


def test_thoughts_of_self_harm_bring_crisis_help_first_then_the_seizure_advice(plan_taper_phone):
    with plan_taper_phone() as page:
        page.goto("/taper?country=US")
        started(page, "app-taper")
        save_today(page, {"tremor": 3}, flags=("seizure", "self_harm"))
        crisis = page.locator("[data-alerts] [data-crisis]")
        assert crisis.is_visible()
        assert page.evaluate("() => document.activeElement.id") == "crisis-heading"
        assert crisis.locator('a[href="tel:988"]').count() >= 1
        seizure = page.locator("[data-alert=seizure]")
        assert seizure.is_visible()
        above = page.evaluate(
            """() => {
              const crisis = document.querySelector("[data-alerts] [data-crisis]");
              const seizure = document.querySelector("[data-alert=seizure]");
              return Boolean(crisis.compareDocumentPosition(seizure)
                             & Node.DOCUMENT_POSITION_FOLLOWING);
            }"""
        )
        assert above
        assert "needs urgent medical care" in seizure.text_content()
        assert page.locator("[data-alert=confusion]").is_hidden()
        # The advice stays when the diary is opened again the same day.
        page.reload()
        started(page, "app-taper")
        assert page.locator("[data-alerts] [data-crisis]").is_visible()

        no_axe_violations(page)


def test_taper_diary_works_offline_after_a_first_visit(plan_taper_phone):
    with plan_taper_phone(service_workers="allow") as page:
        wait_until_controlled(page, "/taper")
        page.context_.set_offline(True)
        page.goto("/taper?lang=es")
        started(page, "app-taper")
        assert page.locator("h1").text_content() == "Mi diario de reducción"
        add_step(page, "2026-11-01", DOSE)
        save_today(page, {"sleep": 1})
        assert page.locator("[data-day-rows] tr").count() == 1
        assert page.text_content("[data-status]") == "Guardado en este teléfono."


def test_taper_without_javascript_explains_and_offers_a_blank_sheet_to_print(plan_taper_phone):
    with plan_taper_phone(javascript=False) as page:
        page.goto("/taper")
        assert page.locator("[data-needs-js]").is_visible()
        assert page.locator("[data-device]").is_hidden()
        sheet = page.locator("[data-sheet] table")
        assert sheet.is_visible()
        assert sheet.locator("tbody tr").count() == 11  # dose, 8 symptoms, flags, note
        page.emulate_media(media="print")
        for hidden in (".app-header", ".app-emergency", ".app-footer", "[data-needs-js]"):
            assert page.locator(hidden).first.is_hidden(), hidden
        assert sheet.is_visible()
        assert page.pdf(format="A4").startswith(b"%PDF")


@pytest.mark.parametrize(("lang", "scheme"), [("en", "light"), ("es", "dark")])
def test_axe_finds_nothing_on_a_diary_with_steps_days_and_a_chart(plan_taper_phone, lang, scheme):
    with plan_taper_phone(scheme=scheme) as page:
        page.goto(f"/taper?lang={lang}")
        started(page, "app-taper")
        page.evaluate(WRITE_DAYS, [[3, 0], [2, 1], [1, 2]])
        add_step(page, "2026-11-01", DOSE)
        save_today(page, {"sleep": 3, "anxiety": 3})
        assert page.locator("[data-alert=rising]").is_visible()
        no_axe_violations(page)


def test_axe_finds_nothing_on_the_diary_before_any_script(plan_taper_phone):
    # axe is a script itself: the page's own scripts are refused instead.
    with plan_taper_phone() as page:
        page.route("**/static/js/**", lambda route: route.abort())
        page.goto("/taper?lang=es")
        no_axe_violations(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_taper_diary_fits_a_320px_phone(plan_taper_phone, lang):
    with plan_taper_phone(width=320) as page:
        page.goto(f"/taper?lang={lang}")
        started(page, "app-taper")
        page.evaluate(WRITE_DAYS, [[2, 1], [1, 2]])
        add_step(page, "2026-11-01", DOSE)
        save_today(page, {"sleep": 1})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
