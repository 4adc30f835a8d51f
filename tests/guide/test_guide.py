"""The family and friends guide (`/help-someone`): what it must say, in each language."""

from __future__ import annotations

import re

import pytest

from tests.pagecheck import check_page


def test_guide_covers_what_families_need(client):
    html = client.get("/help-someone?lang=en").get_data(as_text=True).lower()
    for words in (
        "slurred",
        "prescriptions early",
        "conversation",
        "suddenly",
        "seizure",
        "overdose",
        "support",
    ):
        assert words in html


@pytest.mark.parametrize(
    ("lang", "stopping"),
    [("en", "Why stopping suddenly is dangerous"), ("es", "Por qué es peligroso dejarlo de golpe")],
)
def test_guide_warns_against_stopping_suddenly_and_points_to_the_prescriber(client, lang, stopping):
    response = client.get(f"/help-someone?lang={lang}")
    html = response.get_data(as_text=True)
    assert check_page(html, "/help-someone").lang == lang
    assert f'<h2 id="stopping">{stopping}</h2>' in html
    section = html[html.index('id="stopping"') :]
    assert ("prescriber" if lang == "en" else "quien se lo receta") in section
    # Safety: the guide never gives an amount or a schedule for cutting down.
    assert not re.search(r"\d+\s*(mg|milligram|%)", section, re.I)


def test_guide_without_a_country_gives_the_general_emergency_advice(client):
    html = client.get("/help-someone?lang=en", headers={"Accept-Language": "en"})
    text = html.get_data(as_text=True)
    assert "Call 112" in text  # the general number, as the emergency button
    assert "112 works from most mobile phones in many countries" in text
    us = client.get("/help-someone?lang=en&country=US").get_data(as_text=True)
    assert 'href="tel:911"' in us  # the country's own number, on the emergency strip
