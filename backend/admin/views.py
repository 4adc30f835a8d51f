"""The console's start page, and the one place that gathers the console's routes.

Routes live in one module per topic (sign-in, account, operators, audit, helplines,
imports); importing them here attaches them to the blueprint.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from backend import audit
from backend.admin import (  # noqa: F401 - importing attaches the routes
    views_account,
    views_audit,
    views_auth,
    views_helpline_actions,
    views_helplines,
    views_history,
    views_imports,
    views_operators,
    views_proposals,
)
from backend.admin.blueprint import blp
from backend.helplines import history, review
from backend.helplines import service as helplines

__all__ = ["blp"]


@blp.get("/")
@login_required
def dashboard():
    """What needs doing, and what changed lately."""
    recent, _total = audit.list_entries(changes_only=True, page=1, per_page=10)
    names = history.line_names(e.entity_id for e in recent if e.entity_type == "helpline")
    return render_template(
        "admin/dashboard.html",
        title="Operators' console",
        recent=recent,
        names=names,
        me=current_user,
        stale_count=len(helplines.stale_queue()),
        pending_count=len(review.pending_proposals()),
    )
