"""Reading the helpline list for the public pages, in one language, from the database.

`priority_lines()` gives the one or two lines to show first in crisis help (the self-check
result, the family guide): only lines our team has confirmed (verified, and not more than a
year ago), since a person in crisis has no time for a caveat. `lines_for()` gives the filtered
list for the directory page, and `topic_lines()` a country's lines on one topic (family support,
finding treatment) for the family page and the self-check's next steps.
Numbers come only from the data; nothing is ever made up. A text whose Spanish is missing
or older than its English (needs_translation) is shown in English, and the line says which
ones so the page can mark them `lang="en"`. Crisis help must never break a page: when the
database cannot be read, `priority_lines()` logs a warning (without the details) and
returns no lines, and the page still shows the emergency number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from babel import Locale
from babel.dates import get_timezone_location
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from backend.database import utcnow
from backend.extensions import db
from backend.helplines.contact_words import ContactWords, describe
from backend.helplines.hours import OpeningState, opening_state
from backend.helplines.models import Helpline
from backend.helplines.numbers import display_number
from backend.helplines.search import search_helplines

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Contact:
    """One way to reach a line, ready for a `tel:`, `sms:` or web link."""

    kind: str
    value: str
    display: str
    keyword: str | None
    note: str | None
    languages: tuple[str, ...]
    hours: dict | None
    state: OpeningState
    zone_name: str | None
    audience: str | None = None
    language_codes: tuple[str, ...] = ()
    lang: str = "en"
    # The note is in English on a page in another language (mark it lang="en").
    note_in_english: bool = False

    @cached_property
    def words(self) -> ContactWords:
        """What the contact component shows (label, link, details), in the page's language
        (worked out when a page shows it: the words need the request's translations)."""
        return describe(
            kind=self.kind,
            value=self.value,
            display=self.display,
            keyword=self.keyword,
            note=self.note,
            language_codes=self.language_codes,
            audience=self.audience,
            lang=self.lang,
        )


@dataclass(frozen=True)
class Line:
    """A helpline as a page shows it, in one language."""

    id: str
    country: str
    name: str
    description: str
    topics: tuple[str, ...]
    priority: int
    contacts: tuple[Contact, ...]
    free: bool | None
    confidential: bool | None
    status: str
    alert: str | None
    checked_on: date | None
    verified: bool
    may_be_out_of_date: bool
    # A contact or the status changed on this day, after the last verification.
    changed_on: date | None = None
    # Texts shown in English on a page in another language: "name", "description", "alert",
    # and "notes" when a contact's note is.
    english: frozenset[str] = frozenset()

    @property
    def open_now(self) -> bool | None:
        states = [c.state.open for c in self.contacts]
        return True if any(states) else (None if None in states else False)

    @property
    def shared_hours(self) -> Contact | None:
        """A contact standing for all, when every contact has the same hours (so the card
        shows them once); None when they differ."""
        hours = [c.hours for c in self.contacts]
        return self.contacts[0] if self.contacts and hours.count(hours[0]) == len(hours) else None

    @property
    def reachable_contacts(self) -> tuple[Contact, ...]:
        """The contacts crisis help offers: a call or a text, then chat."""
        return tuple(c for c in self.contacts if c.kind in ("call", "text", "chat"))


def _language_names(codes, lang: str) -> tuple[str, ...]:
    names = Locale.parse(lang).languages
    return tuple(names.get(code.split("-")[0], code) for code in codes)


def _zone_name(hours: dict | None, lang: str) -> str | None:
    if not hours or hours.get("always_open"):
        return None
    return get_timezone_location(hours["timezone"], locale=lang)


def _note(contact, index: int, line: Helpline, lang: str) -> tuple[str | None, bool]:
    """A contact's note in the page's language, or in English (and so marked) when the
    Spanish is missing or older than the English."""
    note = contact.note or {}
    stale = f"contacts.{index}.note" in (line.needs_translation or ())
    if lang != "en" and note.get(lang) and not stale:
        return note[lang], False
    return note.get("en"), lang != "en" and bool(note.get("en"))


def _contact(c, index: int, line: Helpline, lang: str, now: datetime) -> Contact:
    display = display_number(c.value, line.country) if c.kind in ("call", "text") else c.value
    note, note_in_english = _note(c, index, line, lang)
    return Contact(
        kind=c.kind,
        value=c.value,
        display=display,
        keyword=c.keyword,
        note=note,
        languages=_language_names(c.languages or (), lang),
        hours=c.hours,
        state=opening_state(c.hours, now),
        zone_name=_zone_name(c.hours, lang),
        audience=c.audience,
        language_codes=tuple(c.languages or ()),
        lang=lang,
        note_in_english=note_in_english,
    )


def _speaks_first(contact, lang: str) -> int:
    """Contacts in the page's language first, then those whose languages we do not know,
    then those in other languages only (the operators' order otherwise stands)."""
    codes = [code.split("-")[0] for code in contact.languages or ()]
    return 0 if lang in codes else (1 if not codes else 2)


def _line(line: Helpline, lang: str, now: datetime) -> Line:
    ordered = sorted(enumerate(line.contacts), key=lambda pair: _speaks_first(pair[1], lang))
    contacts = tuple(_contact(c, index, line, lang, now) for index, c in ordered)
    texts = {f: line.words_with_language(f, lang) for f in ("name", "description", "alert")}
    english = {f for f, (text, shown) in texts.items() if text and shown != lang}
    if any(c.note_in_english for c in contacts):
        english.add("notes")
    return Line(
        id=str(line.id),
        country=line.country,
        name=texts["name"][0] or "",
        description=texts["description"][0] or "",
        topics=tuple(line.topics or ()),
        priority=line.priority,
        contacts=tuple(contacts),
        free=line.free,
        confidential=line.confidential,
        status=line.status,
        alert=texts["alert"][0],
        checked_on=line.verified_on,
        verified=line.is_verified,
        may_be_out_of_date=line.may_be_out_of_date_on(now.date()),
        changed_on=line.changed_on if not line.is_verified else None,
        english=frozenset(english),
    )


def lines_for(
    country: str | None,
    lang: str,
    *,
    topic: str | None = None,
    contact: str | None = None,
    language: str | None = None,
    open_now: bool = False,
    now: datetime | None = None,
) -> list[Line]:
    """Every public line for a country matching the filters, priority lines first."""
    if not country:
        return []
    now = now or utcnow()
    page = search_helplines(
        country=country,
        topic=topic,
        contact=contact,
        language=language,
        open_now=open_now or None,
        now=now,
        per_page=500,
        lang=lang,
    )
    return [_line(line, lang, now) for line in page.items]


def priority_lines(country: str | None, lang: str, limit: int = 2) -> list[Line]:
    """The one or two confirmed lines to show first in crisis help, for a country ([] when
    none is confirmed, or the database cannot be read: the page still shows the emergency
    number and a link to other countries' lines).

    Only the country's priority lines are read (not its whole directory): this runs on
    every self-check and guide page. A line is confirmed when our team verified it within
    the last year; a line with a caveat ("not yet confirmed", "may be out of date") is never
    offered here.
    """
    if not country:
        return []
    query = select(Helpline).where(
        Helpline.country == country.upper(),
        Helpline.priority > 0,
        Helpline.archived_at.is_(None),
        Helpline.status != "inactive",
    )
    try:
        helplines = db.session.scalars(query).all()
    except SQLAlchemyError:
        log.warning("helpline directory unavailable for crisis help")
        db.session.rollback()
        return []
    now = utcnow()
    reachable = [
        h
        for h in helplines
        if h.is_verified
        and not h.may_be_out_of_date_on(now.date())
        and any(c.kind in ("call", "text") for c in h.contacts)
    ]
    reachable.sort(key=lambda h: (h.priority, h.words("name", lang) or ""))
    return [_line(h, lang, now) for h in reachable[:limit]]


def topic_lines(country: str | None, lang: str, topic: str) -> list[Line]:
    """A country's public lines on one topic (family support, finding treatment): confirmed
    ones first, then by priority; [] when there are none or the database cannot be read
    (the page then says nothing rather than inventing a line)."""
    try:
        lines = lines_for(country, lang, topic=topic)
    except SQLAlchemyError:
        log.warning("helpline directory unavailable for %s lines", topic)
        db.session.rollback()
        return []
    return sorted(lines, key=lambda line: not line.verified)


def countries() -> list[str]:
    """Countries the directory has public lines for."""
    query = (
        select(Helpline.country)
        .distinct()
        .where(Helpline.archived_at.is_(None), Helpline.status != "inactive")
    )
    return sorted(db.session.scalars(query).all())
