"""Finding helplines: the filters of the public page and the API, with pagination.

A page costs a fixed number of queries whatever its size: a count, the page of lines, and
one `selectin` query for all their contacts. List filters on JSON columns use the JSON
text (`'%"crisis"%'`) so the same SQL runs on SQLite and PostgreSQL; the values matched
are validated identifiers, never free text.

Language: a contact whose languages list is empty speaks languages we do not know. Such
lines are NOT excluded by a language filter: lines with a contact known to use the
language come first, then lines whose language is unknown; lines whose contacts all use
other, known languages are left out. A tag matches on its language ("es" matches "es-MX").

Open now cannot be computed in SQL (hours are wall-clock periods in each line's zone), so
with ``open_now`` the other filters run in SQL and the opening state in Python (hours.py),
over that country's lines — a few hundred at most — still in two queries.

The operators' stale queue (`stale_queue`) is here too: the lines to look at, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Text, case, cast, func, or_, select

from backend.database import utcnow
from backend.extensions import db
from backend.helplines.hours import opening_state
from backend.helplines.models import Helpline, HelplineContact
from backend.helplines.records import fold

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class HelplinePage:
    """One page of a search, and how many lines matched in all."""

    items: list[Helpline]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return (self.total + self.per_page - 1) // self.per_page


def _json_text(column):
    return cast(column, Text)


def _has_item(column, item: str):
    return _json_text(column).like(f'%"{item}"%')


def _contact(*conditions):
    return (
        select(HelplineContact.id)
        .where(HelplineContact.helpline_id == Helpline.id, *conditions)
        .exists()
    )


def _speaks(language: str):
    primary = language.split("-")[0].lower()
    languages = _json_text(HelplineContact.languages)
    return or_(languages.like(f'%"{primary}"%'), languages.like(f'%"{primary}-%'))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def line_is_open(line: Helpline, now: datetime, kind: str | None = None) -> bool | None:
    """True when any of the line's contact methods (of ``kind``, if given) is open at
    ``now``; None when none is open and some hours are unknown; False otherwise."""
    states = [opening_state(c.hours, now).open for c in line.contacts if kind in (None, c.kind)]
    if any(states):
        return True
    return None if None in states else False


def list_fingerprint() -> tuple:
    """A cheap summary that changes whenever any helpline changes: one aggregate query.

    Lines are archived, never deleted, and every change bumps `version` and
    `modified_at`, so (count, newest change, sum of versions) moves on every write.
    """
    row = db.session.execute(
        select(func.count(), func.max(Helpline.modified_at), func.sum(Helpline.version))
    ).one()
    return tuple(str(value) for value in row)


def _line_filters(
    *,
    include_inactive: bool,
    status: str | None,
    country: str | None,
    region: str | None,
    topic: str | None,
    q: str | None,
    modified_after: datetime | None,
    archived: bool | None,
    stale_on: date | None,
) -> list:
    """The WHERE clauses on a line's own columns (see search_helplines)."""
    filters = []
    if not include_inactive:
        filters.append(Helpline.archived_at.is_(None))
        if status is None:
            filters.append(Helpline.status != "inactive")
    if status:
        filters.append(Helpline.status == status)
    if country:
        filters.append(Helpline.country == country.upper())
    if region:  # a line without regions serves the whole country
        filters.append(
            or_(_json_text(Helpline.regions) == "[]", _has_item(Helpline.regions, region.upper()))
        )
    if topic:
        filters.append(_has_item(Helpline.topics, topic))
    if q:
        words = _escape_like(fold(q.strip()))
        filters.append(Helpline.search_text.like(f"%{words}%", escape="\\"))
    if modified_after is not None:
        filters.append(Helpline.modified_at > modified_after)
    if archived is not None:
        filters.append(
            Helpline.archived_at.is_not(None) if archived else Helpline.archived_at.is_(None)
        )
    if stale_on is not None:
        filters.append(Helpline.archived_at.is_(None))
        filters.append(Helpline.stale_on(stale_on))
    return filters


def _contact_filters(contact: str | None, language: str | None) -> tuple[list, object]:
    """The WHERE clauses on a line's contact methods, and the ORDER BY rank that puts lines
    known to speak ``language`` before those whose languages are unknown (or None)."""
    kind = [HelplineContact.kind == contact] if contact else []
    filters = [_contact(*kind)] if contact else []
    if not language:
        return filters, None
    speaks = _contact(*kind, _speaks(language))
    unknown = _contact(*kind, _json_text(HelplineContact.languages) == "[]")
    filters.append(or_(speaks, unknown))
    return filters, case((speaks, 0), else_=1)


def search_helplines(
    *,
    country: str | None = None,
    region: str | None = None,
    topic: str | None = None,
    contact: str | None = None,
    language: str | None = None,
    open_now: bool | None = None,
    q: str | None = None,
    modified_after: datetime | None = None,
    status: str | None = None,
    include_inactive: bool = False,
    archived: bool | None = None,
    stale_on: date | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
    lang: str = "en",
) -> HelplinePage:
    """Helplines matching every filter given, priority lines first, then by name in
    ``lang``; one page of them and the total. ``open_now=True`` keeps only lines with a
    contact method (of ``contact``'s kind, if given) open at ``now``. For the console (with
    ``include_inactive``): ``archived`` keeps only archived (True) or unarchived (False)
    lines; ``stale_on`` only unarchived lines never verified or not verified for
    STALE_AFTER by that day."""
    page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
    filters = _line_filters(
        include_inactive=include_inactive,
        status=status,
        country=country,
        region=region,
        topic=topic,
        q=q,
        modified_after=modified_after,
        archived=archived,
        stale_on=stale_on,
    )
    contact_filters, language_rank = _contact_filters(contact, language)
    filters += contact_filters

    name = func.lower(
        func.coalesce(Helpline.name[lang].as_string(), Helpline.name["en"].as_string())
    )
    order = [] if language_rank is None else [language_rank]
    order += [case((Helpline.priority > 0, 0), else_=1), Helpline.priority, name, Helpline.id]
    query = select(Helpline).where(*filters).order_by(*order)

    if open_now:
        now = now or utcnow()
        lines = [
            line
            for line in db.session.scalars(query).all()
            if line_is_open(line, now, contact) is True
        ]
        start = (page - 1) * per_page
        return HelplinePage(lines[start : start + per_page], len(lines), page, per_page)

    total = db.session.scalar(select(func.count(Helpline.id)).where(*filters)) or 0
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return HelplinePage(list(items), total, page, per_page)


def stale_queue(today: date | None = None) -> list[Helpline]:
    """Lines on the public list to look at: never verified, not verified for 180 days or
    more, or with Spanish texts waiting for translation. Lines changed since their last
    verification come first (the latest change on top), then never-verified lines, then the
    oldest verification."""
    today = today or utcnow().date()
    lines = db.session.scalars(
        select(Helpline).where(
            Helpline.archived_at.is_(None),
            Helpline.status != "inactive",
        )
    ).all()
    waiting = [line for line in lines if line.stale_on(today) or line.needs_translation]
    waiting.sort(
        key=lambda line: (
            line.changed_on is None,
            -(line.changed_on.toordinal() if line.changed_on else 0),
            line.verified_on is not None,
            line.verified_on or date.min,
            line.country,
        )
    )
    return waiting
