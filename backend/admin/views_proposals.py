"""Four eyes in the console: the queue of changes to priority lines waiting for a second
operator, with what each would change, and approving or rejecting them.

Approving needs the box "I checked the new details against the source" ticked: approval
counts as re-checking the line, which is stamped verified by the approver (review.py).
Nobody can decide their own proposal; a refusal comes back as a message on the queue.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from backend import audit
from backend.accounts.auth import editor_required
from backend.admin.blueprint import blp
from backend.admin.views_helplines import actor
from backend.helplines import history, review
from backend.helplines.records import snapshot


def proposal_rows(proposal) -> list[history.DiffRow]:
    """What approving the proposal would change on the line as it is now."""
    return history.snapshot_diff(snapshot(proposal.helpline), review.proposed_snapshot(proposal))


@blp.get("/proposals")
@editor_required
def proposals():
    """Every proposal waiting for a second operator, oldest first."""
    return render_template(
        "admin/proposals.html",
        title="Changes waiting for approval",
        proposals=review.pending_proposals(),
        rows_of=proposal_rows,
        me=actor(),
        today=audit.utcnow().date(),
    )


def _back():
    return redirect(url_for("admin.proposals"), code=303)


@blp.post("/proposals/<proposal_id>/approve")
@editor_required
def proposal_approve(proposal_id: str):
    """Apply another operator's proposal, after checking it against the source."""
    try:
        line = review.approve(
            proposal_id, actor(), checked_source=request.form.get("checked_source") == "yes"
        )
    except review.ProposalNotFound:
        flash("That proposal no longer exists.", "error")
        return _back()
    except review.ProposalRefused as refusal:
        flash(str(refusal), "error")
        return _back()
    flash(f"Approved: {line.name.get('en')} now shows the new details, verified by you today.")
    return _back()


@blp.post("/proposals/<proposal_id>/reject")
@editor_required
def proposal_reject(proposal_id: str):
    """Turn another operator's proposal down, saying why."""
    try:
        proposal = review.reject(proposal_id, actor(), request.form.get("reason", ""))
    except review.ProposalNotFound:
        flash("That proposal no longer exists.", "error")
        return _back()
    except review.ProposalRefused as refusal:
        flash(str(refusal), "error")
        return _back()
    flash(f"Rejected the change to {proposal.helpline.name.get('en')}; the line is unchanged.")
    return _back()
