"""Emergency numbers: one data file, read by the code and by every template."""

from __future__ import annotations

import json
import re
from pathlib import Path

from backend.helplines import directory
from backend.helplines.emergency import (
    SOURCE,
    emergency_number_for,
    emergency_numbers,
    general_emergency_number,
    known_countries,
)
from backend.helplines.imports import SEED, load_seed_if_empty

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"


def test_every_country_in_the_seed_directory_has_an_emergency_number():
    seed_countries = {line["country"] for line in json.loads(SEED.read_text())}
    assert seed_countries <= set(known_countries())


def test_every_country_the_directory_lists_has_an_emergency_number(db_app):
    load_seed_if_empty()
    listed = directory.countries()
    assert listed  # the seed loaded
    missing = [country for country in listed if emergency_number_for(country) is None]
    assert missing == []


def test_the_data_file_is_read_once_and_gives_australias_tty_number():
    australia = emergency_number_for("au")
    assert (australia.number, australia.also, australia.tty) == ("000", ("112",), "106")
    assert emergency_number_for("AU") is australia  # the same object: loaded once
    assert general_emergency_number().number == "112"
    assert emergency_number_for("ZZ") is None and emergency_number_for(None) is None


def test_each_number_says_where_and_when_it_was_checked():
    data = json.loads(SOURCE.read_text())
    for entry in data["countries"]:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["checked_on"]), entry["country"]
        if entry["tty"]:  # shown to people: needs its official page
            assert entry["source"]["url"].startswith("http"), entry["country"]
    assert [n.country for n in emergency_numbers()] == [e["country"] for e in data["countries"]]


def test_no_template_writes_an_emergency_number_itself():
    numbers = {general_emergency_number().number}
    for n in emergency_numbers():
        numbers |= {n.number, *n.also, *([n.tty] if n.tty else [])}
    # As a link or after a verb that dials it ("call 911", "marca el 112"): with 61 countries
    # the numbers include 15 and 100, which templates use for other things (15 minutes).
    dialled = "|".join(sorted(numbers))
    pattern = re.compile(
        r"(?:tel:|\b(?:call|dial|phone|llama|llamar|marca|marcar)\s+(?:al\s+|el\s+)?)"
        r"(" + dialled + r")(?![\w.-])",
        re.IGNORECASE,
    )
    written = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in pattern.finditer(path.read_text())
    ]
    assert written == []


def test_the_overdose_card_gives_the_tty_number_where_there_is_one(client):
    html = client.get("/overdose?country=AU&lang=en").get_data(as_text=True)
    assert 'href="tel:000"' in html
    assert "With a TTY (textphone), dial 106." in html
    assert "with a TTY (textphone), dial 106" in html  # in the list of every country too
    html = client.get("/overdose?country=AU&lang=es").get_data(as_text=True)
    assert "Con un TTY (teléfono de texto), marque el 106." in html
    html = client.get("/overdose?country=US&lang=en").get_data(as_text=True)
    # The US entry has none: the line is there only hidden, for a country chosen on the device.
    assert "dial 106." not in html.replace("dial 106", "")  # only in Australia's list entry
    assert re.search(r"<p [^>]*data-emergency-tty[^>]* hidden>", html)


def test_pages_without_a_country_give_the_general_number_from_the_data_file(client):
    # No template writes 112 (above), so finding it proves it came from the data file.
    for lang in ("en", "es"):
        for path in ("/", "/overdose", "/offline", "/help-someone"):
            html = client.get(f"{path}?lang={lang}", headers={"Accept-Language": lang})
            assert "112" in html.get_data(as_text=True), (lang, path)
