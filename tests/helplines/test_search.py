"""Searching the directory: every filter, the language rule, pages, and a fixed query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.database import utcnow
from backend.helplines import service
from tests.helplines.helpers import counting_queries

MADRID_EVENINGS = {
    "always_open": False,
    "timezone": "Europe/Madrid",
    "periods": [{"day": d, "opens": "18:00", "closes": "24:00"} for d in range(5)],
}


def names(page) -> list[str]:
    return [line.name["en"] for line in page.items]


def call(value="988", **fields) -> dict:
    return {"kind": "call", "value": value, **fields}


def test_country_topic_and_contact_filters(db_app, add_line):
    add_line(name={"en": "US crisis call"}, topics=["crisis"])
    add_line(
        name={"en": "US family text"},
        topics=["family_support"],
        contacts=[{"kind": "text", "value": "741741"}],
    )
    add_line(name={"en": "UK crisis"}, country="GB", contacts=[call("116 123")])
    assert names(service.search_helplines(country="US", topic="crisis")) == ["US crisis call"]
    assert names(service.search_helplines(country="us", contact="text")) == ["US family text"]
    assert names(service.search_helplines(topic="crisis", country="GB")) == ["UK crisis"]
    assert service.search_helplines(topic="poison_overdose").total == 0


def test_a_line_without_regions_serves_every_region_of_its_country(db_app, add_line):
    add_line(name={"en": "National"})
    add_line(name={"en": "California"}, regions=["US-CA"])
    add_line(name={"en": "New York"}, regions=["US-NY"])
    assert sorted(names(service.search_helplines(country="US", region="US-CA"))) == [
        "California",
        "National",
    ]


def test_language_filter_puts_known_speakers_first_and_keeps_unknown_languages(db_app, add_line):
    add_line(name={"en": "A unknown"}, contacts=[call(languages=[])])
    add_line(name={"en": "B spanish"}, contacts=[call(languages=["en", "es-MX"])])
    add_line(name={"en": "C english only"}, contacts=[call(languages=["en"])])
    add_line(name={"en": "D spanish"}, contacts=[call(languages=["es"])])
    assert names(service.search_helplines(country="US", language="es")) == [
        "B spanish",
        "D spanish",
        "A unknown",
    ]


def test_language_and_contact_filters_apply_to_the_same_contact(db_app, add_line):
    add_line(
        name={"en": "Call in Spanish, text in English"},
        contacts=[call(languages=["es"]), {"kind": "text", "value": "741741", "languages": ["en"]}],
    )
    assert service.search_helplines(contact="text", language="es").total == 0
    assert service.search_helplines(contact="call", language="es").total == 1


def test_priority_lines_come_first_in_their_order(db_app, add_line):
    add_line(name={"en": "Zed"}, priority=0)
    add_line(name={"en": "Second"}, priority=2)
    add_line(name={"en": "Alpha"}, priority=0)
    add_line(name={"en": "First"}, priority=1)
    assert names(service.search_helplines()) == ["First", "Second", "Alpha", "Zed"]


def test_free_text_search_ignores_case_and_accents_and_wildcards(db_app, add_line):
    add_line(name={"en": "Teléfono de la Esperanza"}, country="ES", contacts=[call("717 003 717")])
    add_line(name={"en": "100% Line_x"})
    assert names(service.search_helplines(q="TELEFONO")) == ["Teléfono de la Esperanza"]
    assert names(service.search_helplines(q="100%")) == ["100% Line_x"]
    assert names(service.search_helplines(q="%")) == ["100% Line_x"]  # % is a character
    assert service.search_helplines(q="1_0").total == 0  # _ is not a wildcard
    assert names(service.search_helplines(q="717003717")) == ["Teléfono de la Esperanza"]


def test_modified_after_finds_lines_changed_since(db_app, add_line):
    add_line(name={"en": "Old"})
    cut = utcnow()
    newer = add_line(name={"en": "New"})
    assert names(service.search_helplines(modified_after=cut)) == ["New"]
    service.archive_helpline(newer.id, 1, service.Actor(None, "t"))
    synced = service.search_helplines(modified_after=cut, include_inactive=True)
    assert names(synced) == ["New"] and synced.items[0].is_archived


def test_open_now_uses_each_lines_own_hours_and_zone(db_app, add_line):
    add_line(name={"en": "Always"})
    add_line(name={"en": "Evenings"}, country="ES", contacts=[call("024", hours=MADRID_EVENINGS)])
    add_line(name={"en": "Unknown hours"}, contacts=[call(hours=None)])
    monday_evening = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # 20:00 in Madrid
    monday_noon = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert sorted(names(service.search_helplines(open_now=True, now=monday_evening))) == [
        "Always",
        "Evenings",
    ]
    assert names(service.search_helplines(open_now=True, now=monday_noon)) == ["Always"]


def test_inactive_lines_are_hidden_unless_asked_for(db_app, add_line):
    add_line(name={"en": "Closed for now"}, status="temporarily_closed")
    add_line(name={"en": "Gone"}, status="inactive")
    assert names(service.search_helplines()) == ["Closed for now"]
    assert names(service.search_helplines(status="inactive")) == ["Gone"]
    assert service.search_helplines(include_inactive=True).total == 2


def test_pages_split_the_list_and_count_the_whole(db_app, add_line):
    for n in range(7):
        add_line(name={"en": f"Line {n}"})
    page = service.search_helplines(per_page=3, page=3)
    assert (names(page), page.total, page.pages) == (["Line 6"], 7, 3)
    open_page = service.search_helplines(per_page=3, page=2, open_now=True)
    assert (names(open_page), open_page.total) == (["Line 3", "Line 4", "Line 5"], 7)


def test_queries_per_search_do_not_grow_with_the_number_of_lines(db_app, add_line):
    def queries_for_a_page() -> int:
        with counting_queries() as statements:
            page = service.search_helplines(country="US", per_page=100)
            for line in page.items:  # everything a page shows is already loaded
                [(c.kind, c.value, c.hours) for c in line.contacts]
        return len(statements)

    for n in range(5):
        add_line(name={"en": f"Line {n}"}, contacts=[call(), {"kind": "text", "value": "741741"}])
    few = queries_for_a_page()
    for n in range(5, 50):
        add_line(name={"en": f"Line {n}"}, contacts=[call(), {"kind": "text", "value": "741741"}])
    many = queries_for_a_page()
    assert few == many <= 3


def test_open_now_search_costs_the_same_few_queries(db_app, add_line):
    for n in range(20):
        add_line(name={"en": f"Line {n}"})
    with counting_queries() as statements:
        service.search_helplines(open_now=True, now=utcnow() + timedelta(hours=1))
    assert len(statements) <= 2


def test_the_consoles_archived_and_stale_filters_count_and_page_in_the_database(db_app, add_line):
    from backend.helplines.models import STALE_AFTER
    from tests.helplines.helpers import EDITOR

    lines = {name: add_line(name={"en": name}) for name in ("Kept", "Checked", "Gone", "Old")}
    checked = service.mark_verified(lines["Checked"].id, 1, EDITOR)
    service.archive_helpline(lines["Gone"].id, 1, EDITOR)
    today = utcnow().date()
    old = service.mark_verified(lines["Old"].id, 1, EDITOR)
    assert checked.verified_on == today and old.verified_on == today

    def listed(**filters):
        page = service.search_helplines(include_inactive=True, per_page=1, **filters)
        every = service.search_helplines(include_inactive=True, per_page=100, **filters)
        return page.total, len(page.items), sorted(names(every))

    assert listed(archived=True) == (1, 1, ["Gone"])
    assert listed(archived=False) == (3, 1, ["Checked", "Kept", "Old"])
    assert listed(stale_on=today) == (1, 1, ["Kept"])  # never verified, not archived
    later = today + STALE_AFTER  # 180 days on, both verifications are due again
    assert listed(stale_on=later) == (3, 1, ["Checked", "Kept", "Old"])
    assert listed(stale_on=later - timedelta(days=1)) == (1, 1, ["Kept"])
    with counting_queries() as statements:
        service.search_helplines(include_inactive=True, stale_on=today, archived=False)
    assert len(statements) <= 3  # count, page and contacts: never the whole directory
