"""The public helpline directory page."""

from __future__ import annotations

from flask import Blueprint, g, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from backend.helplines import directory as listing

blp = Blueprint("helplines", __name__)


@blp.app_context_processor
def _crisis_lines() -> dict:
    # A callable, so pages that do not show crisis help never read the directory.
    return {"priority_lines": lambda: listing.priority_lines(g.get("country"), g.get("lang", "en"))}


@blp.get("/helplines")
def directory():
    """Who to call, text or chat with, for the chosen country."""
    country = g.get("country")
    response = make_response(
        render_template(
            "helplines/directory.html",
            title=_("Find a helpline"),
            chosen=country,
            countries=sorted(listing.countries(), key=get_locale().territories.get),
            lines=listing.lines_for(country, g.lang),
            asked=request.args.get("country", ""),
        )
    )
    response.headers["Cache-Control"] = "no-cache"
    return response
