"""Four eyes on crisis lines: changes to a priority line's contacts wait for a second operator.

A change that touches the contacts (or their hours) of a line shown first in crisis help,
or that makes a line a priority line (a new line included), is saved as a
HelplineProposal, whichever way it arrives (console, API, import or a restored version).
The public keeps the line as it is. Another operator, never the author, approves it (the
change is applied then) or rejects it with a reason; both are audited, and so is the
proposal itself.

Approving counts as re-checking the line: the approver must say they checked the details
against the source, and the line is stamped verified by them on that day (so it can come
back into the crisis box, which shows only lines our team confirmed within a year).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from backend import audit
from backend.audit import Actor, plain
from backend.database import utcnow
from backend.extensions import db
from backend.helplines.models import Helpline, HelplineProposal
from backend.helplines.records import (
    apply_data,
    contact_dict,
    snapshot,
    stamp_verified,
    would_be,
)

ENTITY = "helpline"
DATE_FIELDS = ("checked_on",)


class ProposalNotFound(LookupError):
    """No proposal has that id."""


class ProposalRefused(ValueError):
    """The proposal cannot be decided this way; the message says why, for the operator.

    ``why`` is "own" (its author cannot decide it), "decided" (no longer pending),
    "outdated" (the line changed since), "input" (a confirmation or reason is missing) or
    "operator" (only a signed-in operator may decide)."""

    def __init__(self, message: str, why: str) -> None:
        super().__init__(message)
        self.why = why


def needs_approval(line: Helpline, data: dict) -> bool:
    """Whether applying ``data`` to ``line`` needs a second operator: the line is (or would
    become) a priority line, and the change touches its contacts or makes it one."""
    priority_after = data.get("priority", line.priority) or 0
    if priority_after <= 0:
        return False
    if (line.priority or 0) <= 0:
        return True
    if "contacts" not in data:
        return False
    return would_be(snapshot(line), data)["contacts"] != plain(
        [contact_dict(c) for c in line.contacts]
    )


def held_priority(data: dict, actor: Actor) -> int:
    """The priority a new line from an operator asks for, when a second operator must grant
    it (0: nothing to hold). Lines loaded by the system (the seed, the command line) are
    not held: whoever runs those has the server itself."""
    priority = data.get("priority") or 0
    return priority if priority > 0 and actor.id is not None else 0


def propose(line: Helpline, data: dict, actor: Actor, via: str) -> HelplineProposal:
    """Keep ``data`` as a pending proposal for ``line`` and audit it (no commit: the caller's
    unit of work commits it)."""
    proposal = HelplineProposal(
        id=uuid.uuid4(),
        helpline_id=line.id,
        base_version=line.version,
        changes=plain(data),
        via=via,
        state="pending",
        author_id=actor.id,
        author_label=actor.label[:200],
        created_at=utcnow(),
    )
    db.session.add(proposal)
    audit.record(
        actor,
        "helpline.propose",
        ENTITY,
        line.id,
        snapshot(line),
        would_be(snapshot(line), data),
        note=f"Proposal {proposal.id} ({via}): waits for a second operator.",
    )
    return proposal


def changes_as_data(proposal: HelplineProposal) -> dict:
    """The proposal's changes in the shape apply_data takes (dates as dates again)."""
    data = dict(proposal.changes)
    for name in DATE_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = date.fromisoformat(data[name])
    return data


def get_proposal(proposal_id) -> HelplineProposal:
    """The proposal with this id (raises ProposalNotFound)."""
    try:
        key = proposal_id if isinstance(proposal_id, uuid.UUID) else uuid.UUID(str(proposal_id))
    except ValueError:
        raise ProposalNotFound(proposal_id) from None
    proposal = db.session.get(HelplineProposal, key)
    if proposal is None:
        raise ProposalNotFound(proposal_id)
    return proposal


def pending_proposals(helpline_id=None) -> list[HelplineProposal]:
    """Proposals waiting for a decision, oldest first (for one line, when given)."""
    query = select(HelplineProposal).where(HelplineProposal.state == "pending")
    if helpline_id is not None:
        query = query.where(HelplineProposal.helpline_id == helpline_id)
    return list(db.session.scalars(query.order_by(HelplineProposal.created_at)).all())


def proposed_snapshot(proposal: HelplineProposal) -> dict:
    """The line as it would be if the proposal were approved now."""
    return would_be(snapshot(proposal.helpline), changes_as_data(proposal))


def _decidable(proposal_id, actor: Actor) -> HelplineProposal:
    proposal = get_proposal(proposal_id)
    if not proposal.is_pending:
        raise ProposalRefused(f"This proposal was already {proposal.state}.", "decided")
    if actor.id is None:
        raise ProposalRefused("Only a signed-in operator can decide on a proposal.", "operator")
    if proposal.author_id == actor.id:
        raise ProposalRefused(
            "You made this proposal: another operator has to approve or reject it.", "own"
        )
    return proposal


def _decided(proposal: HelplineProposal, actor: Actor, state: str) -> None:
    proposal.state = state
    proposal.decided_by_id = actor.id
    proposal.decided_by_label = actor.label[:200]
    proposal.decided_at = utcnow()


def approve(proposal_id, actor: Actor, *, checked_source: bool) -> Helpline:
    """Apply a pending proposal, if ``actor`` is not its author, checked the details against
    the source, and the line has not changed since it was proposed. The line is stamped
    verified by ``actor`` today; one audit row ("helpline.approve") holds the change."""
    proposal = _decidable(proposal_id, actor)
    if not checked_source:
        raise ProposalRefused(
            "Check the new details against the line's source first, then confirm you did.",
            "input",
        )
    line = proposal.helpline
    if line.version != proposal.base_version:
        raise ProposalRefused(
            "The line changed after this was proposed. Reject it, and propose the change "
            "again on the line as it is now.",
            "outdated",
        )
    before = snapshot(line)
    apply_data(line, changes_as_data(proposal))
    stamp_verified(line, utcnow().date(), actor.label)
    _decided(proposal, actor, "approved")
    audit.record(
        actor,
        "helpline.approve",
        ENTITY,
        line.id,
        before,
        snapshot(line),
        note=(
            f"Proposal {proposal.id} by {proposal.author_label}, approved; "
            "the approver checked it against the source."
        ),
    )
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ProposalRefused(
            "The line changed while this was approved. Try again.", "outdated"
        ) from None
    except Exception:
        db.session.rollback()
        raise
    return line


def reject(proposal_id, actor: Actor, reason: str) -> HelplineProposal:
    """Turn a pending proposal down, saying why; the line stays as it is."""
    proposal = _decidable(proposal_id, actor)
    reason = " ".join((reason or "").split())[:400]
    if not reason:
        raise ProposalRefused("Say why it is rejected, so its author knows what to fix.", "input")
    proposal.reason = reason
    _decided(proposal, actor, "rejected")
    line = proposal.helpline
    audit.record(
        actor,
        "helpline.reject",
        ENTITY,
        line.id,
        snapshot(line),
        proposed_snapshot(proposal),
        note=f"Proposal {proposal.id} by {proposal.author_label}, rejected: {reason}",
    )
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return proposal
