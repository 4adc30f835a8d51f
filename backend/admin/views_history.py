"""A line's history in the console: every change, readable field by field, and "restore
this version" on each saved version.

Restoring writes the old version again as a new one, through the same rules as an edit:
it clears the verification if a contact or the status differs, and a priority line's
contacts wait for a second operator (the restore becomes a proposal).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from backend import audit
from backend.accounts.auth import editor_required
from backend.admin.blueprint import blp
from backend.admin.helpline_errors import messages
from backend.admin.views_audit import page_number
from backend.admin.views_helplines import actor, line_or_404, restore_target
from backend.helplines import history, service
from backend.helplines.models import HelplineProposal

PER_PAGE = 50


@blp.app_template_filter("change_rows")
def change_rows(changes: dict | None) -> list[history.DiffRow]:
    """An audit row's changes as readable rows, old → new."""
    return history.diff_rows(changes or {})


@blp.app_template_filter("restorable")
def restorable(entry) -> bool:
    """Whether an audit row is a saved version of a line."""
    return history.is_restorable(entry)


@blp.get("/helplines/<helpline_id>/history")
@editor_required
def helpline_history(helpline_id: str):
    """Every change to one line, newest first, each saved version restorable."""
    line = line_or_404(helpline_id)
    page = page_number()
    entries, total = audit.list_entries(
        entity_type="helpline", entity_id=str(line.id), page=page, per_page=PER_PAGE
    )
    return render_template(
        "admin/history.html",
        title=f"History of {line.name.get('en')}",
        line=line,
        entries=entries,
        total=total,
        page=page,
        per_page=PER_PAGE,
        names={str(line.id): line.name.get("en")},
        restore=restore_target(line),
    )


@blp.post("/helplines/<helpline_id>/versions/<int:entry_id>/restore")
@editor_required
def helpline_restore_version(helpline_id: str, entry_id: int):
    """Save the line again as it was right after one audit entry."""
    line = line_or_404(helpline_id)
    name, before = line.name.get("en"), line.version
    version = request.form.get("version", "")
    back = url_for("admin.helpline_edit", helpline_id=line.id)
    try:
        result = service.restore_version(
            line.id, entry_id, int(version) if version.isdigit() else -1, actor()
        )
    except service.StaleVersion:
        flash(
            f"{name} was changed by someone else since you opened the page. Nothing was "
            "restored: look at its history again.",
            "error",
        )
        return redirect(back, code=303)
    except history.VersionNotFound:
        flash("That entry is not a saved version of this line.", "error")
        return redirect(back, code=303)
    except ValidationError as error:  # the rules got stricter since (a number, a URL)
        flash(
            "That version cannot be saved again as it was: " + " ".join(messages(error.messages)),
            "error",
        )
        return redirect(back, code=303)
    if isinstance(result, HelplineProposal):
        flash(
            f"{name} is a priority line: restoring its contacts waits for another operator's "
            "approval. The public keeps the current version until then."
        )
    elif result.version == before:
        flash(f"{name} is already like that version: nothing changed.")
    else:
        flash(f"Restored an earlier version of {name} (now version {result.version}).")
    return redirect(back, code=303)
