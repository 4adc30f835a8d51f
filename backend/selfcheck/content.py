"""Loading the self-check content: the rules and one text file per language.

Files are read once per process and checked on load: every language must have text for
every section, question, option, band, red flag and step the rules name.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"


class ContentError(RuntimeError):
    """A content file is missing text the rules need."""


@cache
def rules() -> dict:
    """The language-independent rules (questions, options, points, bands, flags, steps)."""
    return json.loads((CONTENT / "rules.json").read_text(encoding="utf-8"))


@cache
def texts(lang: str) -> dict:
    """The words for one language, checked against the rules."""
    path = CONTENT / f"{lang}.json"
    if not path.is_file():
        raise ContentError(f"no self-check content for language {lang!r}")
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = missing_texts(rules(), data)
    if missing:
        raise ContentError(f"{path.name} lacks: {', '.join(missing)}")
    return data


def option_label(lang: str, question_id: str, option_id: str) -> str:
    """The words for one answer: a question's own option, else the frequency scale."""
    data = texts(lang)
    own = data["questions"][question_id].get("options", {})
    return own.get(option_id) or data["scale"][option_id]


def missing_texts(rule_set: dict, data: dict) -> list[str]:
    """Every text key the rules need and `data` does not have."""
    missing: list[str] = []
    for section in rule_set["sections"]:
        if not data.get("sections", {}).get(section["id"], {}).get("title"):
            missing.append(f"sections.{section['id']}.title")
    for question in rule_set["questions"]:
        words = data.get("questions", {}).get(question["id"], {})
        for key in ("text", "sign"):
            if not words.get(key):
                missing.append(f"questions.{question['id']}.{key}")
        for option in question["options"]:
            if not (
                words.get("options", {}).get(option["id"])
                or data.get("scale", {}).get(option["id"])
            ):
                missing.append(f"questions.{question['id']}.options.{option['id']}")
    bands = [b["id"] for b in rule_set["bands"]]
    if rule_set.get("dependence"):
        bands.append(rule_set["dependence"]["band"]["id"])
    for group, key_list in (
        ("bands", bands),
        ("steps", rule_set["steps"]),
    ):
        for key in key_list:
            if not data.get(group, {}).get(key, {}).get("title"):
                missing.append(f"{group}.{key}.title")
    for flag in rule_set["red_flags"]:
        if not data.get("red_flags", {}).get(flag):
            missing.append(f"red_flags.{flag}")
    for key in (
        "heading",
        "not_diagnosis",
        "do_not_stop_title",
        "do_not_stop_body",
        "empty_title",
        "empty_body",
        "answered",
    ):
        if not data.get("result", {}).get(key):
            missing.append(f"result.{key}")
    return missing


def checklist(lang: str) -> dict:
    """The whole checklist for a language, as the API and the page's script see it."""
    words = texts(lang)
    rule_set = rules()
    questions = {q["id"]: q for q in rule_set["questions"]}
    return {
        "lang": lang,
        "version": rule_set["version"],
        "title": words["title"],
        "intro": words["intro"],
        "sections": [
            {
                "id": section["id"],
                "title": words["sections"][section["id"]]["title"],
                "note": words["sections"][section["id"]].get("note"),
                "questions": [
                    {
                        "id": qid,
                        "text": words["questions"][qid]["text"],
                        "hint": words["questions"][qid].get("hint"),
                        "sign": words["questions"][qid]["sign"],
                        "options": [
                            {"id": o["id"], "label": option_label(lang, qid, o["id"])}
                            for o in questions[qid]["options"]
                        ],
                    }
                    for qid in section["questions"]
                ],
            }
            for section in rule_set["sections"]
        ],
        "rules": rule_set,
    }
