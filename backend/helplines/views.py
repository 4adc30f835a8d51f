"""The public helpline directory page, and the crisis lines every page can show.

`/helplines` is a GET form (works without JavaScript): country (suggested from the
browser's language, changeable), topic, contact method, language and "open now". Filter
values the form never offers are ignored rather than refused. When the database cannot be
read the page still renders (503, so the service worker shows its saved copy instead).
"""

from __future__ import annotations

import logging
from datetime import datetime

from babel import Locale
from babel.dates import get_day_names
from flask import Blueprint, g, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from backend.database import utcnow
from backend.extensions import db
from backend.helplines import directory as listing
from backend.helplines.emergency import international_directories, known_countries
from backend.helplines.hours import OpeningState
from backend.helplines.schemas import language_tag
from backend.memory import remembered

log = logging.getLogger(__name__)
blp = Blueprint("helplines", __name__)

TOPIC_LABELS = {
    "crisis": _l("Crisis and suicide"),
    "substance_use": _l("Drugs and alcohol"),
    "prescription_medicines": _l("Prescription medicines"),
    "mental_health": _l("Mental health"),
    "family_support": _l("Support for families"),
    "poison_overdose": _l("Poisoning and overdose"),
    "find_treatment": _l("Finding treatment"),
}
CONTACT_LABELS = {"call": _l("Call"), "text": _l("Text message"), "chat": _l("Online chat")}
LANGUAGE_CHOICES = ("en", "es", "fr")


@blp.app_context_processor
def _crisis_lines() -> dict:
    # Callables, so pages that do not show crisis help never read the directory.
    return {
        "priority_lines": lambda: listing.priority_lines(g.get("country"), g.get("lang", "en")),
        "treatment_lines": lambda: listing.treatment_lines(g.get("country"), g.get("lang", "en")),
        "international_directories": international_directories,
    }


def _filters() -> dict:
    """The form's filters, keeping only values the form offers."""
    args = request.args
    chosen = {
        "topic": args.get("topic") if args.get("topic") in TOPIC_LABELS else None,
        "contact": args.get("contact") if args.get("contact") in CONTACT_LABELS else None,
        "language": None,
        "open_now": args.get("open_now") in ("1", "true", "on"),
    }
    try:
        chosen["language"] = language_tag(args["language"]) if args.get("language") else None
    except ValidationError:  # a hand-typed, malformed tag: no language filter
        chosen["language"] = None
    return chosen


def opening_words(state: OpeningState, day_names, now: datetime | None = None) -> str:
    """ "Open now, until Monday at 17:00" and the like, in the line's own time zone."""
    if state.open is None:
        return ""
    when = state.closes_at if state.open else state.opens_at
    if when is None:
        return _("Open now") if state.open else _("Closed now")
    today = (now or utcnow()).astimezone(when.tzinfo).date()
    day = _("today") if when.date() == today else day_names[when.weekday()]
    time = when.strftime("%H:%M")
    if state.open:
        return _("Open now, until %(day)s at %(time)s", day=day, time=time)
    return _("Closed now, opens %(day)s at %(time)s", day=day, time=time)


def _choices(lang: str) -> dict:
    locale = Locale.parse(lang)
    return {
        "topics": TOPIC_LABELS,
        "contacts": CONTACT_LABELS,
        "languages": {code: locale.languages.get(code, code) for code in LANGUAGE_CHOICES},
        "day_names": get_day_names("wide", locale=lang),
    }


@blp.get("/helplines")
@remembered
def directory():
    """Who to call, text or chat with, for the chosen country."""
    country, filters, status = g.get("country"), _filters(), 200
    choices = _choices(g.lang)
    try:
        countries = sorted(
            set(listing.countries()) | set(known_countries()), key=get_locale().territories.get
        )
        lines = listing.lines_for(country, g.lang, **filters)
        unavailable = False
    except SQLAlchemyError:
        log.warning("helpline directory unavailable")
        db.session.rollback()
        countries, lines, unavailable, status = list(known_countries()), [], True, 503
    response = make_response(
        render_template(
            "helplines/directory.html",
            title=_("Find a helpline"),
            chosen=country,
            countries=countries,
            lines=lines,
            filters=filters,
            filtered=any(filters.values()),
            unavailable=unavailable,
            opening_words=lambda state: opening_words(state, choices["day_names"]),
            **choices,
        ),
        status,
    )
    if unavailable:
        response.headers["Retry-After"] = "30"
    return response
