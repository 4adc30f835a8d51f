"""Your country, chosen once, in a real browser: kept on the device (localStorage, never a
cookie), it sets the emergency number, Quick exit and the directory on every page, in place
and without moving anything; without JavaScript the control is a form. Offline, a country's
helpline list that is not saved says so and names the saved ones, never showing another
country's list. The language link keeps every query parameter."""

from __future__ import annotations

import re

import pytest

from tests.pages.conftest import started

pytestmark = pytest.mark.browser


def choose_country(page, name: str) -> None:
    page.locator(".app-country > summary").click()
    page.locator("#country-choice").select_option(label=name)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Use this country|Usar este país")).click()


def strip_call(page):
    return page.locator(".app-emergency [data-emergency-call]")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_country_is_chosen_once_and_sets_every_page_in_place(phone, crisis_server, scheme):
    with phone(locale="en-US", scheme=scheme) as page:
        page.goto("/")
        started(page)
        assert strip_call(page).inner_text() == "Call 911"  # from the browser's language
        choose_country(page, "Spain")
        assert "country=ES" in page.url
        assert strip_call(page).inner_text() == "Call 112"
        assert page.evaluate("() => localStorage.getItem('steady.country')") == "ES"
        assert page.context.cookies() == []  # never a cookie
        spain_strip = page.locator(".app-emergency").bounding_box()

        # Opened again without ?country= (the home screen icon): rendered for the US by the
        # server, switched to Spain on the device in the same boxes.
        page.goto("/")
        started(page)
        assert strip_call(page).inner_text() == "Call 112"
        assert strip_call(page).get_attribute("href") == "tel:112"
        assert page.locator(".app-country > summary").inner_text() == "Your country: Spain"
        assert page.locator(".app-emergency").bounding_box() == spain_strip  # nothing moved
        for href in page.locator("main a[href^='/']").evaluate_all(
            "(links) => links.map((a) => a.getAttribute('href'))"
        ):
            assert "country=ES" in href, href
        assert page.locator(".app-quick-exit").get_attribute("href") == "https://www.aemet.es/"

        page.goto("/overdose")
        started(page)
        calls = page.locator("main [data-emergency-call]")
        assert set(calls.all_inner_texts()) == {"Call 112"}
        assert page.locator("[data-emergency-tty]").is_hidden()

        page.goto("/help-someone")  # its lines were rendered for the US: not shown for Spain
        started(page)
        assert page.locator(".app-family__crisis [data-country-lines]").is_hidden()
        elsewhere = page.locator(".app-family__crisis [data-country-elsewhere] a")
        assert elsewhere.inner_text() == "Helplines for Spain"
        assert "country=ES" in elsewhere.get_attribute("href")

        page.goto("/helplines")  # the directory's default is the kept country
        started(page)
        assert page.locator("[data-country-lines='US']").is_hidden()
        assert page.locator("#filter-country").input_value() == "ES"
        page.locator("[data-country-elsewhere] a").click()
        assert page.locator("#results-heading").inner_text().startswith("Helplines in Spain")

        page.goto("/?country=AU")  # a link that names a country wins, and is not kept
        started(page)
        assert strip_call(page).inner_text() == "Call 000"
        assert page.evaluate("() => localStorage.getItem('steady.country')") == "ES"
        page.goto("/overdose?country=AU")
        assert page.locator("[data-emergency-tty]").inner_text().endswith("dial 106.")


def test_without_javascript_the_country_is_chosen_with_a_form_and_kept_in_links(phone):
    with phone(locale="en", javascript=False) as page:
        page.goto("/check")
        assert strip_call(page).inner_text() == "Call 112"  # no country: the general number
        assert "112 works from most mobile phones" in page.locator(".app-emergency").inner_text()
        choose_country(page, "United Kingdom")
        assert page.url.endswith("/check?country=GB")
        assert strip_call(page).inner_text() == "Call 999"
        assert page.get_by_role("link", name="Help someone").get_attribute("href") == (
            "/help-someone?country=GB"
        )
        assert page.context.cookies() == []


def test_the_language_link_keeps_every_query_parameter(phone):
    with phone(locale="en-US") as page:
        page.goto("/helplines?country=ES&topic=crisis")
        page.get_by_role("link", name="Español").click()
        query = page.url.split("?", 1)[1]
        assert sorted(query.split("&")) == ["country=ES", "lang=es", "topic=crisis"]
        assert page.locator("#results-heading").inner_text().startswith("Líneas de ayuda en España")


def test_offline_a_country_not_saved_names_the_saved_ones_and_its_number(phone):
    with phone(locale="en-US", service_workers="allow") as page:
        page.goto("/helplines?country=US")
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        page.reload()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.goto("/helplines?country=US")  # saved by the worker as it passes
        page.context.set_offline(True)

        page.goto("/helplines?country=GB")  # never visited
        started(page, "app-offline-page")
        assert page.locator("h1").inner_text() == "You are offline"
        assert page.locator(".app-helpline").count() == 0  # never another country's list
        message = page.locator("[data-offline-directory]")
        message.filter(has_text="Saved on this phone").wait_for()
        assert "The helplines for United Kingdom are not saved on this phone." in (
            message.inner_text()
        )
        assert "Saved on this phone: United States." in message.inner_text()
        assert strip_call(page).inner_text() == "Call 999"  # the country asked for

        page.goto("/helplines?country=US")  # the saved one still opens, with its date
        assert page.locator(".app-helpline").count() > 0
        page.locator("[data-offline-date]:not([hidden])").wait_for()
