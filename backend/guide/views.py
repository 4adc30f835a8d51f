"""The family and friends guide: one page per language."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_babel import gettext as _

from backend.memory import remembered

blp = Blueprint("guide", __name__)


@blp.get("/help-someone")
@remembered
def help_someone():
    """Signs, how to talk, what to avoid, overdose, self-care and support for families."""
    return render_template(
        f"guide/help_someone.{g.lang}.html", title=_("Helping someone you care about")
    )
