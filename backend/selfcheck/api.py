"""The checklist API: the definition a device needs to show and score the self-check."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from backend.selfcheck import content
from backend.selfcheck.schemas import ChecklistQuery, ChecklistSchema

blp = Blueprint(
    "checklist",
    __name__,
    url_prefix="/api/v1/checklist",
    description="The self-check definition. Answers are never sent to the server.",
)


@blp.route("")
class Checklist(MethodView):
    @blp.arguments(ChecklistQuery(), location="query")
    @blp.response(200, ChecklistSchema)
    def get(self, query):
        """The checklist for a language

        The same rules score the self-check on the device and, without JavaScript, in
        memory on the server (never stored).
        """
        return content.checklist(query["lang"])
