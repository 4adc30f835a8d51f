"""One-button changes to a helpline (archive, restore, mark verified, Spanish still fits) and
the stale queue.

Each button's form carries the version the page showed; when the line changed since, the
service refuses and the person is sent to the line's page to look again.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from backend import audit
from backend.accounts.auth import editor_required
from backend.admin.blueprint import blp, safe_next
from backend.admin.views_helplines import actor, line_or_404
from backend.helplines import service

ACTIONS = {
    "archive": (service.archive_helpline, "Archived {name}: it is off the public list."),
    "restore": (service.restore_helpline, "Restored {name} to the public list."),
    "verify": (service.mark_verified, "Marked {name} as verified today by you."),
    "translated": (
        service.mark_translated,
        "Marked the Spanish texts of {name} as up to date with the English.",
    ),
}


@blp.post("/helplines/<helpline_id>/<any(archive, restore, verify, translated):action>")
@editor_required
def helpline_action(helpline_id: str, action: str):
    """Archive, restore or mark verified, if the line is still at the version shown."""
    line = line_or_404(helpline_id)
    change, message = ACTIONS[action]
    version = request.form.get("version", "")
    back = safe_next(request.form.get("back")) or url_for(
        "admin.helpline_edit", helpline_id=line.id
    )
    name = line.name.get("en")
    try:
        change(line.id, int(version) if version.isdigit() else -1, actor())
    except service.StaleVersion:
        flash(
            f"{name} was changed by someone else since you opened the page. Nothing was "
            "changed: check the line as it is now, then try again.",
            "error",
        )
        return redirect(url_for("admin.helpline_edit", helpline_id=line.id), code=303)
    flash(message.format(name=name))
    return redirect(back, code=303)


@blp.get("/helplines/stale")
@editor_required
def stale_queue():
    """Lines changed since they were verified (newest change first), never verified, not
    verified for 180 days or more, or with Spanish texts to update."""
    lines = service.stale_queue()
    return render_template(
        "admin/stale.html",
        title="Stale queue",
        lines=lines,
        today=audit.utcnow().date(),
    )
