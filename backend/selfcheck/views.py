"""The self-check page.

With JavaScript on, answers are scored on the device and never sent. Without it, the form
posts here: the answers are scored in memory, rendered once with `Cache-Control: no-store`
(security.py), and dropped. Nothing about them is stored or logged.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from backend.memory import remembered
from backend.selfcheck import content
from backend.selfcheck.scoring import InvalidAnswer, score_answers

blp = Blueprint("selfcheck", __name__)


def _render(answers: dict, result=None, errors=None, status: int = 200):
    words = content.texts(g.lang)
    # A result page (a POST) is private to this moment: security.py sends it `no-store`.
    page = render_template(
        "selfcheck/check.html",
        title=words["title"],
        words=words,
        checklist=content.checklist(g.lang),
        answers=answers,
        result=result,
        errors=errors or {},
    )
    return page, status


@blp.get("/check")
@remembered
def check():
    """The self-check form; the page's script scores it on the device."""
    return _render(answers={})


@blp.post("/check")
def check_result():
    """Score posted answers in memory (the no-JavaScript path). Nothing is kept."""
    rules = content.rules()
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in rules["questions"]:
        value = request.form.get(question["id"], "").strip()
        if not value:
            continue
        if value not in {option["id"] for option in question["options"]}:
            errors[question["id"]] = "invalid"
            continue
        answers[question["id"]] = value
    if errors:
        # Keep every valid answer; point at the ones we could not read.
        return _render(answers=answers, errors=errors, status=400)
    try:
        result = score_answers(rules, answers)
    except InvalidAnswer as error:  # unreachable after the check above; kept for safety
        return _render(answers=answers, errors={error.question: "invalid"}, status=400)
    return _render(answers=answers, result=result)
