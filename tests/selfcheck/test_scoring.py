"""The Python scorer against the shared vectors, plus properties that must always hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.selfcheck import content
from backend.selfcheck.scoring import InvalidAnswer, score_answers

VECTORS = json.loads((Path(__file__).parent / "vectors.json").read_text())["cases"]
RULES = content.rules()


@pytest.mark.parametrize("case", VECTORS, ids=[c["name"] for c in VECTORS])
def test_python_scorer_matches_shared_vectors(case):
    if "error" in case:
        with pytest.raises(InvalidAnswer) as raised:
            score_answers(RULES, case["answers"])
        assert raised.value.question == case["error"]
    else:
        assert score_answers(RULES, case["answers"]).as_dict() == case["expect"]


answers_strategy = st.fixed_dictionaries(
    {},
    optional={
        q["id"]: st.sampled_from([o["id"] for o in q["options"]]) for q in RULES["questions"]
    },
)


@given(answers_strategy)
def test_any_red_flag_answer_brings_crisis_help(answers):
    result = score_answers(RULES, answers)
    flagged = {
        o.get("red_flag")
        for q in RULES["questions"]
        for o in q["options"]
        if answers.get(q["id"]) == o["id"] and o.get("red_flag")
    }
    assert set(result.red_flags) == flagged
    assert result.crisis == bool(flagged)


def _shows_dependence(answers) -> bool:
    dependence = RULES["dependence"]
    noticed = any(answers.get(q) in ("sometimes", "often") for q in dependence["questions"])
    return answers.get("prescription") == "prescribed" and noticed


@given(answers_strategy)
def test_score_is_within_bounds_and_band_matches_thresholds(answers):
    result = score_answers(RULES, answers)
    assert 0 <= result.score <= result.max_score
    reached = [b["id"] for b in RULES["bands"] if result.score >= b["min_score"]]
    dependence = RULES["dependence"]
    if _shows_dependence(answers) and reached[-1] in dependence["replaces"]:
        assert result.band == "dependence"
    else:
        assert result.band == reached[-1]
    assert result.answered == len(answers)


@given(answers_strategy)
def test_prescribed_dependence_never_reads_as_few_or_no_warning_signs(answers):
    result = score_answers(RULES, answers)
    if _shows_dependence(answers):
        assert result.band not in ("none", "few")
        assert "tolerance_talk" in result.steps


@given(answers_strategy, st.sampled_from([q["id"] for q in RULES["questions"]]))
def test_answering_more_never_lowers_the_score_except_through_the_prescription(answers, extra):
    if extra in answers or extra == "prescription":
        return
    question = next(q for q in RULES["questions"] if q["id"] == extra)
    worst = max(question["options"], key=lambda o: o["points"])["id"]
    assert (
        score_answers(RULES, {**answers, extra: worst}).score >= score_answers(RULES, answers).score
    )
