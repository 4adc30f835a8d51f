"""`/api/v1/helplines/proposals`: changes to priority lines waiting for a second operator.

A PATCH that touches a priority line's contacts is answered 202 with one of these. Any
operator token may read them; another operator than the author approves (after checking
the source, which stamps the line verified) or rejects (with a reason). Each method reads
parse → service (review.py) → answer; a refusal is 403 (your own proposal), 409 (already
decided, or the line changed since) or 422 (a confirmation or reason missing).
"""

from __future__ import annotations

from flask import Response, current_app, g, jsonify, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from werkzeug.http import quote_etag

from backend.accounts.auth import token_required
from backend.extensions import limiter
from backend.helplines import review
from backend.helplines.models import PROPOSAL_STATES, HelplineProposal
from backend.helplines.schemas import HelplineSchema

blp = Blueprint(
    "helpline_proposals_api",
    __name__,
    url_prefix="/api/v1/helplines/proposals",
    description="Changes to priority (crisis) lines that wait for a second operator.",
)
operator_required = token_required("editor", "admin")
write_limit = limiter.shared_limit(
    lambda: current_app.config["HELPLINES_WRITE_RATE_LIMIT"], scope="helplines-write"
)
REFUSED_STATUS = {"own": 403, "operator": 403, "decided": 409, "outdated": 409, "input": 422}


class ProposalSchema(Schema):
    """A change to a priority line, waiting for (or decided by) a second operator."""

    id = fields.UUID(dump_only=True)
    helpline_id = fields.UUID(dump_only=True)
    state = fields.String(dump_only=True, metadata={"enum": list(PROPOSAL_STATES)})
    via = fields.String(dump_only=True)
    base_version = fields.Integer(dump_only=True)
    changes = fields.Dict(dump_only=True)
    author = fields.String(attribute="author_label", dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    decided_by = fields.String(attribute="decided_by_label", dump_only=True, allow_none=True)
    decided_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    reason = fields.String(dump_only=True, allow_none=True)


class ApproveSchema(Schema):
    """Approving: you checked the new details against the line's source."""

    checked_source = fields.Boolean(required=True)


class RejectSchema(Schema):
    """Rejecting: why, for the author."""

    reason = fields.String(required=True, validate=validate.Length(1, 400))


def proposal_answer(proposal: HelplineProposal, status: int) -> Response:
    """A proposal as JSON, with its address in Location."""
    response = jsonify(ProposalSchema().dump(proposal))
    response.status_code = status
    response.headers["Location"] = url_for(
        "helpline_proposals_api.ProposalById", proposal_id=proposal.id
    )
    return response


def _proposal_or_404(proposal_id) -> HelplineProposal:
    try:
        return review.get_proposal(proposal_id)
    except review.ProposalNotFound:
        abort(404, message="No proposal has this id.")


def _refused(refusal: review.ProposalRefused):
    abort(REFUSED_STATUS.get(refusal.why, 409), message=str(refusal))


@blp.route("")
class Proposals(MethodView):
    @operator_required
    @blp.response(200, ProposalSchema(many=True))
    def get(self):
        """Proposals waiting for a second operator, oldest first (operator token)"""
        return review.pending_proposals()


@blp.route("/<uuid:proposal_id>")
class ProposalById(MethodView):
    @operator_required
    @blp.response(200, ProposalSchema)
    @blp.alt_response(404, description="No proposal has this id.")
    def get(self, proposal_id):
        """One proposal, pending or decided (operator token)"""
        return _proposal_or_404(proposal_id)


@blp.route("/<uuid:proposal_id>/approve")
class ProposalApproval(MethodView):
    @write_limit
    @operator_required
    @blp.arguments(ApproveSchema())
    @blp.response(200, HelplineSchema)
    @blp.alt_response(403, description="You made this proposal.")
    @blp.alt_response(409, description="Already decided, or the line changed since.")
    def post(self, body, proposal_id):
        """Approve a proposal (another operator's; you checked the source)

        The change is applied and the line is stamped verified by you today.
        """
        _proposal_or_404(proposal_id)
        try:
            line = review.approve(proposal_id, g.actor, checked_source=body["checked_source"])
        except review.ProposalRefused as refusal:
            _refused(refusal)
        return line, 200, {"ETag": quote_etag(str(line.version))}


@blp.route("/<uuid:proposal_id>/reject")
class ProposalRejection(MethodView):
    @write_limit
    @operator_required
    @blp.arguments(RejectSchema())
    @blp.response(200, ProposalSchema)
    @blp.alt_response(403, description="You made this proposal.")
    @blp.alt_response(409, description="Already decided.")
    def post(self, body, proposal_id):
        """Reject a proposal (another operator's), saying why"""
        _proposal_or_404(proposal_id)
        try:
            return review.reject(proposal_id, g.actor, body["reason"])
        except review.ProposalRefused as refusal:
            _refused(refusal)
