"""The crisis path in a real browser, at 360×740 and 320×640, in English and Spanish, light
and dark: the first way to reach help is a full-width filled button at least 48 px tall and
every other contact at least 44×44 (sizes from bounding boxes); the contact component's
words; a country with no confirmed line; results that tell the truth (with and without
JavaScript); seizure first aid linked from where it is needed; check-ins and reminders
findable; deleting everything asks first; the directory's lines first."""

from __future__ import annotations

import pytest

from tests.pages.conftest import RED_FLAGS, score_on_device

pytestmark = pytest.mark.browser

SIZES = [(360, 740), (320, 640)]
LOCALES = {"en": "en-US", "es": "es-US"}

# Every contact link (and the strip's own controls) counts as a way to reach help.
CONTACTS = (
    "a[href^='tel:'], a[href^='sms:'], a.app-reach__link, a.app-crisis__elsewhere,"
    " a.app-crisis__more, a.app-emergency__more, .app-country > summary"
)
# For each element matching `area`: its first primary button's box with the width its
# container offers, and every other contact link's text and box.
TARGETS = """([area, contacts]) => [...document.querySelectorAll(area)]
  .filter((box) => box.getClientRects().length)
  .map((box) => {
    const primary = box.querySelector(".app-reach__link--primary");
    const holder = primary && primary.parentElement;
    const style = holder && getComputedStyle(holder);
    const room = holder && holder.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    const others = [...box.querySelectorAll(contacts)]
      .filter((link) => link !== primary && link.getClientRects().length)
      .map((link) => {
        const r = link.getBoundingClientRect();
        return [link.textContent.trim().replace(/\\s+/g, " "), r.width, r.height];
      });
    const first = primary && primary.getBoundingClientRect();
    return {first: first && [primary.textContent.trim(), first.width, first.height, room],
            others};
  })"""


def assert_targets(page, area: str, where: str) -> list[str]:
    boxes = page.evaluate(TARGETS, [area, CONTACTS])
    assert boxes, f"{where}: no {area}"
    texts = []
    for box in boxes:
        if box["first"]:
            text, width, height, room = box["first"]
            assert height >= 48, f"{where}: {text!r} is {height} px tall"
            assert width >= room - 1, f"{where}: {text!r} is {width} px wide of {room}"
        else:
            assert area == "main", f"{where}: no primary button"
        for text, width, height in box["others"]:
            assert height >= 44 and width >= 44, f"{where}: {text!r} is {width}×{height}"
            texts.append(text)
    return texts


EVERY_RED_FLAG = {
    "prescription": "prescribed",
    "self_harm": "often",
    "overdose_signs": "often",
    "alcohol": "often",
    "opioids": "often",
}


def assert_call_on_first_screen(page, height: int, where: str) -> None:
    """With every red flag explained in the crisis box, its emergency call is still whole on
    the screen once the box's heading is at the top (below the sticky header, if any)."""
    page.goto(page.url.split("#")[0])
    score_on_device(page, EVERY_RED_FLAG)
    crisis = page.locator("[data-crisis]")
    call = crisis.locator(".app-reach__link--primary").first
    top = crisis.locator("h2").bounding_box()["y"]
    box = call.bounding_box()
    assert box["y"] + box["height"] - top <= height - 80, f"{where}: the call is below the fold"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_first_way_to_help_is_a_full_width_48px_button_and_every_other_contact_44px(
    phone, width, height, lang, scheme
):
    with phone(width, height, locale=LOCALES[lang], scheme=scheme) as page:
        page.goto(f"/?lang={lang}")
        strip = assert_targets(page, ".app-emergency", "the emergency strip")
        assert any(text.startswith(("What to do", "Qué hacer")) for text in strip)

        page.goto(f"/check?lang={lang}")
        score_on_device(page, RED_FLAGS)
        crisis = assert_targets(page, "[data-crisis]", "the crisis box")
        expected = {
            "en": [
                "Call 988",
                "Text 988",
                "Chat online at 988lifeline.org",
                "Text AYUDA to 988",
                "Call (800) 662-4357",
                "Textphone (TTY): (800) 487-4889",
                "Text your ZIP code to 435748",
            ],
            "es": [
                "Llame al 988",
                "Envíe AYUDA al 988",
                "Chatee en línea en 988lifeline.org",
                "Envíe un mensaje al 988",
                "Llame al (800) 662-4357",
                "Teléfono de texto (TTY): (800) 487-4889",
                "Envíe su código postal al 435748",
            ],
        }[lang]
        assert [text for text in crisis if text in expected] == expected
        assert_call_on_first_screen(page, height, f"{lang} {width}×{height}")

        page.goto(f"/overdose?lang={lang}")
        assert_targets(page, ".app-overdose__urgent", "the overdose page's first call")
        assert_targets(page, "main", "every call on the overdose page")

        page.goto(f"/help-someone?lang={lang}")
        family = assert_targets(page, ".app-family__crisis", "the family page's crisis section")
        assert family[0] in ("Call 988", "Llame al 988")  # the crisis lines as call buttons


def test_a_country_without_a_confirmed_line_gets_its_number_and_other_countries_lines(phone):
    with phone(locale="en-CA") as page:
        page.goto("/check")
        score_on_device(page, {"self_harm": "often"})
        crisis = page.locator("[data-crisis]")
        assert crisis.locator("[data-emergency-call]").inner_text() == "Call 911"
        assert "9-8-8" not in crisis.inner_text()  # not yet confirmed: never in the crisis box
        other = crisis.get_by_role("link", name="Find A Helpline")
        assert other.get_attribute("href") == "https://findahelpline.com"
        assert other.bounding_box()["height"] >= 44


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_results_tell_the_truth(phone, javascript):
    with phone(javascript=javascript) as page:

        def submit(answers):
            page.goto("/check")
            if javascript:
                score_on_device(page, answers)
                return
            for question, option in answers.items():
                page.check(f'input[name="{question}"][value="{option}"]')
            with page.expect_navigation():
                page.click("form.app-selfcheck button[type=submit]")

        submit({})  # nothing answered
        result = page.locator("#selfcheck-result")
        assert result.get_by_role("heading", name="You did not answer any questions").is_visible()
        assert page.locator("[data-band]:visible").count() == 0
        assert "warning signs" not in result.inner_text().lower()
        assert page.locator("text=Save this result on this phone").count() in (0, 1)
        assert not page.locator("text=Save this result on this phone").is_visible()

        # Taking it as prescribed, often unable to get through the day without it.
        submit({"prescription": "prescribed", "cant_go_without": "often"})
        band = page.locator("[data-band]:visible")
        assert band.locator(".app-result__band").inner_text() == (
            "Your answers show signs that your body has got used to it"
        )
        text = result.inner_text()
        assert "That is good to see" not in text
        assert "Talk to your prescriber about dependence" in text
        heading = page.locator("#result-heading").bounding_box()
        band_line = band.locator(".app-result__band")
        assert band_line.bounding_box()["y"] > heading["y"]
        assert float(band_line.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")) < (
            float(
                page.locator("#result-heading").evaluate(
                    "(e) => parseFloat(getComputedStyle(e).fontSize)"
                )
            )
        )
        save = page.get_by_role("button", name="Save this result on this phone")
        if javascript:
            assert save.is_visible()
        else:  # without JavaScript nothing is ever offered to save
            assert save.count() == 0
            assert "save" not in text.lower().replace("nothing was saved", "")


def test_seizure_first_aid_is_linked_from_results_the_family_page_and_the_check_in(phone):
    with phone(320, 640) as page:
        page.goto("/check")
        score_on_device(page, {"memory": "sometimes"})
        links = [
            page.locator("#selfcheck-result").get_by_role(
                "link", name="What to do if someone has a seizure"
            )
        ]
        links[0].click()
        page.wait_for_url("**/overdose#seizure")
        heading = page.locator("#seizure")
        header = page.locator(".app-header").bounding_box()
        assert heading.bounding_box()["y"] >= header["y"] + header["height"]  # not under it
        for path, name in (
            ("/help-someone", "Seizure first aid: what to do if they have a seizure"),
            ("/check-in", "What to do if someone has a seizure"),
        ):
            page.goto(path)
            link = page.get_by_role("link", name=name)
            assert link.get_attribute("href").endswith("/overdose#seizure")


def test_check_ins_and_reminders_are_linked_from_home_footer_result_and_privacy(phone):
    with phone() as page:
        for path in ("/", "/privacy"):
            page.goto(path)
            main = page.locator("main")
            assert main.locator('a[href^="/check-in"]').count() >= 1, path
            assert main.locator('a[href^="/reminders"]').count() >= 1, path
            footer = page.locator("footer")
            assert footer.get_by_role("link", name="Daily check-in").count() == 1
            assert footer.get_by_role("link", name="Reminders").count() == 1
        page.goto("/check")
        score_on_device(page, {"memory": "often"})
        result = page.locator("#selfcheck-result")
        assert result.get_by_role(
            "link", name="Check in again: the 30-second check-in"
        ).is_visible()
        assert result.get_by_role("link", name="Set a reminder to check in").is_visible()


def test_deleting_everything_asks_first_and_says_reminders_go_too(phone):
    with phone() as page:
        page.goto("/check")
        score_on_device(page, {"memory": "often"})
        page.get_by_role("button", name="Save this result on this phone").click()
        page.locator("[data-history-rows] tr").wait_for()
        ask = page.locator("#selfcheck-result [data-action=ask-delete-everything]")
        ask.click()
        box = page.locator("#selfcheck-result [data-confirm]")
        assert box.is_visible() and ask.get_attribute("aria-expanded") == "true"
        assert "deleted from our server too" in box.inner_text()
        box.get_by_role("button", name="Keep it").click()
        assert box.is_hidden()
        assert page.evaluate("() => localStorage.getItem('steady.selfcheck.results')")
        ask.click()
        box.get_by_role("button", name="Yes, delete everything").click()
        status = page.locator("#selfcheck-result [data-delete-status]")
        status.filter(has_text="Everything Steady kept on this device is deleted.").wait_for()
        assert page.evaluate("() => localStorage.getItem('steady.selfcheck.results')") is None

    with phone(javascript=False) as page:  # without JavaScript: the confirmation page
        page.goto("/delete-everything")
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Delete everything on this device"
        )
        assert page.get_by_text("Deleting needs JavaScript.").is_visible()
        assert "clear this site’s data in your browser’s settings" in page.inner_text("main")
        assert page.get_by_role("button", name="Yes, delete everything").is_hidden()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_directory_shows_the_countrys_lines_first_with_filters_folded(phone, lang):
    with phone(locale=LOCALES[lang]) as page:
        page.goto(f"/helplines?lang={lang}")
        cards = page.locator(".app-helpline")
        assert cards.first.bounding_box()["y"] < 740  # the first line on the first screen
        assert page.locator("#filter-country").is_hidden()  # folded under "Filter"
        summary = page.locator(".app-directory__filter-summary")
        assert summary.bounding_box()["height"] >= 44
        summary.click()
        assert page.locator("#filter-country").input_value() == "US"
        lifeline = cards.filter(has_text="988 Suicide")
        always = "Open 24 hours, every day." if lang == "en" else "Abierto las 24 horas"
        assert lifeline.get_by_text(always).count() == 1  # shared hours: once per line
