"""The family and friends guide: one page per language.

The page reads the directory for the person's country (crisis lines, family-support lines,
treatment finders) through the template helpers, and cites the sources of its facts.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_babel import gettext as _

from backend.memory import remembered
from backend.sources import cited

blp = Blueprint("guide", __name__)

# What the page says, and where it comes from (backend/sources.json).
SOURCES = ("F1", "F2", "F3", "F4", "S6", "T2", "T3", "C7", "S1", "C5", "C6", "C1", "C2", "C4")


@blp.get("/help-someone")
@remembered
def help_someone():
    """Crisis lines, overdose and seizures, signs, how to talk, what a family can do, and
    support for families."""
    return render_template(
        f"guide/help_someone.{g.lang}.html",
        title=_("Helping someone you care about"),
        sources=cited(SOURCES),
    )
