"""Scoring a self-check: one pure function over the rules in content/rules.json.

The same rules are implemented once more in frontend/static/js/selfcheck-scoring.js so
that, with JavaScript on, answers are scored on the device and never leave it. Both
implementations run the vectors in tests/selfcheck/vectors.json.

Rules, in plain words:
- each answered question adds its option's points, unless the question is "not counted"
  for the answer given to another question (tolerance and withdrawal are expected with
  prescribed use, so they do not count as warning signs then);
- a question that adds points is a sign the person noticed;
- an option may raise a red flag (self-harm, overdose, mixing), counted or not;
- an option may suggest next steps, counted or not; so may the band;
- the band is the last band whose `min_score` the total reaches;
- dependence: a person taking it as prescribed who notices any of the dependence questions
  (often cannot go without it, unwell when a dose is late, needing more) gets the
  "dependence" band instead of a low one (never "that is good to see") and its steps;
- red flags and steps come out in the order the rules list them.
Nothing answered scores as nothing (answered 0): the page then shows no result at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class InvalidAnswer(ValueError):
    """An answer names a question or an option that the rules do not have."""

    def __init__(self, question: str, reason: str) -> None:
        super().__init__(f"{question}: {reason}")
        self.question = question
        self.reason = reason


@dataclass(frozen=True)
class SelfCheckResult:
    """What a set of answers shows: never stored, never logged."""

    score: int
    max_score: int
    band: str
    red_flags: tuple[str, ...]
    signs: tuple[str, ...]
    steps: tuple[str, ...]
    answered: int

    @property
    def crisis(self) -> bool:
        """Crisis help goes first when any red flag is raised."""
        return bool(self.red_flags)

    def as_dict(self) -> dict:
        """The same shape the JavaScript scorer returns."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "band": self.band,
            "red_flags": list(self.red_flags),
            "signs": list(self.signs),
            "steps": list(self.steps),
            "answered": self.answered,
            "crisis": self.crisis,
        }


def max_score(rules: Mapping) -> int:
    """The highest total the rules allow."""
    return sum(max(option["points"] for option in q["options"]) for q in rules["questions"])


def _is_counted(question: Mapping, answers: Mapping[str, str]) -> bool:
    condition = question.get("not_counted_if")
    if not condition:
        return True
    return answers.get(condition["question"]) not in condition["answers"]


def _shows_dependence(dependence: Mapping, rules: Mapping, answers: Mapping[str, str]) -> bool:
    condition = dependence["if"]
    if answers.get(condition["question"]) not in condition["answers"]:
        return False
    points = {(q["id"], o["id"]): o["points"] for q in rules["questions"] for o in q["options"]}
    return any(points.get((q, answers.get(q)), 0) > 0 for q in dependence["questions"])


def score_answers(rules: Mapping, answers: Mapping[str, str]) -> SelfCheckResult:
    """Score `answers` ({question id: option id}; missing questions were skipped)."""
    known = {q["id"] for q in rules["questions"]}
    for question_id in answers:
        if question_id not in known:
            raise InvalidAnswer(question_id, "unknown question")

    total = 0
    answered = 0
    red_flags: set[str] = set()
    steps: set[str] = set()
    signs: list[str] = []
    for question in rules["questions"]:
        chosen = answers.get(question["id"])
        if chosen is None:
            continue
        option = next((o for o in question["options"] if o["id"] == chosen), None)
        if option is None:
            raise InvalidAnswer(question["id"], f"unknown option {chosen!r}")
        answered += 1
        if _is_counted(question, answers) and option["points"] > 0:
            total += option["points"]
            signs.append(question["id"])
        if option.get("red_flag"):
            red_flags.add(option["red_flag"])
        steps.update(option.get("steps", ()))

    band = rules["bands"][0]
    for candidate in rules["bands"]:
        if total >= candidate["min_score"]:
            band = candidate
    dependence = rules.get("dependence")
    if dependence and _shows_dependence(dependence, rules, answers):
        steps.update(dependence["steps"])
        if band["id"] in dependence["replaces"]:
            band = dependence["band"]
    steps.update(band.get("steps", ()))

    return SelfCheckResult(
        score=total,
        max_score=max_score(rules),
        band=band["id"],
        red_flags=tuple(flag for flag in rules["red_flags"] if flag in red_flags),
        signs=tuple(signs),
        steps=tuple(step for step in rules["steps"] if step in steps),
        answered=answered,
    )
