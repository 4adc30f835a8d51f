"""The one helpline schema: what it accepts, how it stores it, and a clear message per field."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from backend.helplines.numbers import NumberProblem, display_number, normalize_number
from backend.helplines.schemas import HelplineSchema
from tests.helplines.helpers import line_data, seed_records


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        HelplineSchema().load(line_data(**changes))
    return caught.value.messages


def contact(**fields) -> list[dict]:
    return [{"kind": "call", "value": "988", **fields}]


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("US", "1-800-662-4357", "+18006624357"),
        ("US", "(800) 662-4357", "+18006624357"),
        ("US", "+1 800 662 4357", "+18006624357"),
        ("US", "988", "988"),
        ("GB", "116 123", "116123"),
        ("GB", "18001 111", "18001111"),  # Relay UK prefix + NHS 111
        ("IE", "1800 459 459", "+3531800459459"),
        ("AU", "13 11 14", "131114"),  # national-only: kept as dialled
        ("AU", "1300 368 186", "1300368186"),
        ("AU", "+61 1800 250 015", "+611800250015"),  # given in E.164: stays E.164
        ("AU", "0477 13 11 14", "+61477131114"),
        ("NZ", "0800 787 797", "+64800787797"),
        ("ES", "024", "024"),
        ("MX", "800 911 2000", "+528009112000"),
    ],
)
def test_numbers_are_stored_in_e164_or_as_dialled_when_only_local(country, typed, stored):
    assert normalize_number(typed, country) == stored


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("US", "12345", "not a known short number in US"),
        ("US", "555-1234", "not a valid phone number in United States: numbers there have 10"),
        ("US", "call me", "Use only digits"),
        ("US", "+44 20 7946 0958", "not a US number"),
        ("GB", "988", "not a known short number in GB"),
        ("US", "", "Enter a phone number"),
    ],
)
def test_numbers_that_are_not_real_for_the_country_are_refused(country, typed, message):
    with pytest.raises(NumberProblem, match=message):
        normalize_number(typed, country)


def test_every_seed_line_loads_unchanged():
    schema = HelplineSchema()
    for record in seed_records():
        loaded = schema.load(record)
        assert loaded["contacts"] == record["contacts"], record["name"]["en"]
        assert loaded["source_status"] == record["source"]["status"]


def test_numbers_are_shown_as_people_dial_them():
    assert display_number("+18006624357", "US") == "(800) 662-4357"
    assert display_number("131114", "AU") == "13 11 14"
    assert display_number("18001111", "GB") == "18001 111"
    assert display_number("988", "US") == "988"


def test_a_national_number_is_stored_in_e164_through_the_schema():
    loaded = HelplineSchema().load(line_data(contacts=contact(value="1-800-662-4357")))
    assert loaded["contacts"][0]["value"] == "+18006624357"


def test_phone_errors_name_the_contact_and_field():
    assert errors_for(contacts=contact(value="12345")) == {
        "contacts": {0: {"value": ["12345 is not a known short number in US."]}}
    }


def test_text_contact_takes_a_keyword_but_other_kinds_do_not():
    loaded = HelplineSchema().load(
        line_data(contacts=[{"kind": "text", "value": "741741", "keyword": "AYUDA"}])
    )
    assert loaded["contacts"][0]["keyword"] == "AYUDA"
    assert errors_for(contacts=contact(keyword="HELLO"))["contacts"][0] == {
        "keyword": ["Only a text contact has a keyword."]
    }


@pytest.mark.parametrize("url", ["http://example.org/chat", "javascript:alert(1)", "example.org"])
def test_chat_and_web_need_https_addresses(url):
    problems = errors_for(contacts=[{"kind": "chat", "value": url}])
    assert "https://" in problems["contacts"][0]["value"][0]


def test_email_must_be_an_address():
    problems = errors_for(contacts=[{"kind": "email", "value": "not-an-address"}])
    assert problems["contacts"][0]["value"] == ["Give a valid e-mail address."]


def hours(*periods, zone="Europe/Madrid") -> list[dict]:
    return contact(
        hours={
            "always_open": False,
            "timezone": zone,
            "periods": [{"day": d, "opens": o, "closes": c} for d, o, c in periods],
        }
    )


def test_unknown_time_zone_is_refused():
    problems = errors_for(contacts=hours((0, "09:00", "17:00"), zone="Mars/Olympus_Mons"))
    assert problems["contacts"][0]["hours"] == {
        "timezone": ['"Mars/Olympus_Mons" is not an IANA time zone.']
    }


def test_overlapping_periods_are_refused_naming_both():
    problems = errors_for(contacts=hours((0, "09:00", "17:00"), (0, "16:00", "18:00")))
    assert problems["contacts"][0]["hours"] == {
        "periods": {1: ["Overlaps period 1 (Monday 09:00–17:00)."]}
    }


def test_a_period_crossing_midnight_into_the_next_days_period_overlaps_it():
    problems = errors_for(contacts=hours((6, "22:00", "09:30"), (0, "09:00", "17:00")))
    assert "Overlaps period 1" in problems["contacts"][0]["hours"]["periods"][1][0]


def test_a_period_that_closes_when_it_opens_is_refused():
    problems = errors_for(contacts=hours((0, "09:00", "09:00")))
    message = problems["contacts"][0]["hours"]["periods"][0]["closes"][0]
    assert "cannot close at the time it opens" in message


def test_closing_earlier_than_opening_is_a_period_across_midnight():
    loaded = HelplineSchema().load(line_data(contacts=hours((4, "22:00", "02:00"))))
    assert loaded["contacts"][0]["hours"]["periods"] == [
        {"day": 4, "opens": "22:00", "closes": "02:00"}
    ]


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        ({"day": 7, "opens": "09:00", "closes": "17:00"}, "day", "Use 0 (Monday) to 6 (Sunday)."),
        (
            {"day": 0, "opens": "9:00", "closes": "17:00"},
            "opens",
            "Use HH:MM, from 00:00 to 23:59.",
        ),
        (
            {"day": 0, "opens": "24:00", "closes": "02:00"},
            "opens",
            "Use HH:MM, from 00:00 to 23:59.",
        ),
        (
            {"day": 0, "opens": "09:00", "closes": "24:30"},
            "closes",
            "Use HH:MM, from 00:00 to 24:00.",
        ),
    ],
)
def test_malformed_periods_name_the_field(period, field, message):
    problems = errors_for(
        contacts=contact(hours={"always_open": False, "timezone": "UTC", "periods": [period]})
    )
    assert problems["contacts"][0]["hours"]["periods"][0][field] == [message]


def test_unknown_topics_and_languages_are_refused():
    problems = errors_for(
        topics=["crisis", "gambling"],
        contacts=contact(languages=["en", "klingon", "xx"]),
    )
    assert problems["topics"] == {
        1: [
            "Unknown topic. Use one of: crisis, substance_use, "
            "prescription_medicines, mental_health, family_support, "
            "poison_overdose, find_treatment"
        ]
    }
    assert set(problems["contacts"][0]["languages"]) == {1, 2}


def test_language_tags_are_canonicalised():
    loaded = HelplineSchema().load(
        line_data(contacts=contact(languages=["ES-mx", "zh-hant", "iu"]))
    )
    assert loaded["contacts"][0]["languages"] == ["es-MX", "zh-Hant", "iu"]


def test_oversized_text_is_refused_per_language():
    problems = errors_for(name={"en": "x" * 201, "es": "ok"}, description={"es": "y" * 2001})
    assert problems == {
        "name": {"en": ["Longer than 200 characters."]},
        "description": {"es": ["Longer than 2000 characters."]},
    }


def test_name_needs_english_and_only_known_languages():
    assert errors_for(name={"es": "Solo español", "fr": "Non"})["name"] == {
        "fr": ["Unknown language: use en, es."],
        "en": ["The English text is required."],
    }


def test_country_must_be_an_iso_code_and_regions_must_be_in_it():
    assert errors_for(country="UK")["country"] == ['Use "GB" for the United Kingdom (ISO 3166-1).']
    assert errors_for(country="XX")["country"] == [
        '"XX" is not an ISO 3166-1 country code like "US".'
    ]
    assert errors_for(regions=["CA-ON"])["regions"] == ["Not a region of US: CA-ON."]


def test_every_problem_in_a_line_is_reported_at_once():
    problems = errors_for(
        topics=["nope"], source_url="ftp://example.org", contacts=contact(value="12345")
    )
    assert set(problems) == {"topics", "source_url", "contacts"}


def test_seed_shaped_source_is_accepted():
    data = line_data()
    for key in ("source_url", "source_status", "checked_on"):
        data.pop(key)
    data["source"] = {
        "url": "https://example.org",
        "status": "secondary",
        "checked_on": "2026-11-01",
    }
    loaded = HelplineSchema().load(data)
    assert (loaded["source_url"], loaded["source_status"], str(loaded["checked_on"])) == (
        "https://example.org",
        "secondary",
        "2026-11-01",
    )


def test_read_only_fields_are_not_taken_from_input():
    assert "verified_on" in errors_for(verified_on="2026-01-01")
    assert "version" in errors_for(version=9)


def test_contact_audience_says_who_a_contact_is_for():
    loaded = HelplineSchema().load(
        line_data(contacts=[{"kind": "call", "value": "+18004874889", "audience": "deaf"}])
    )
    assert loaded["contacts"][0]["audience"] == "deaf"
    assert HelplineSchema().load(line_data())["contacts"][0]["audience"] is None
    with pytest.raises(ValidationError) as problem:
        HelplineSchema().load(
            line_data(contacts=[{"kind": "call", "value": "+18004874889", "audience": "aliens"}])
        )
    assert "Use one of: deaf" in str(problem.value.messages)
