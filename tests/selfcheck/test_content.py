"""The checklist content: every language has every text, and says what it must."""

from __future__ import annotations

import json
import re

import pytest

from backend.selfcheck import content

LANGUAGES = ("en", "es")
STIGMA = re.compile(
    r"\b(abuser|addict|junkie|druggie|clean|dirty|adicto|drogadicto|toxicómano)s?\b", re.I
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_text_the_rules_name(lang):
    data = json.loads((content.CONTENT / f"{lang}.json").read_text(encoding="utf-8"))
    assert content.missing_texts(content.rules(), data) == []
    assert content.texts(lang)["lang"] == lang


def test_a_missing_text_is_reported_by_its_key():
    data = json.loads((content.CONTENT / "en.json").read_text(encoding="utf-8"))
    del data["questions"]["self_harm"]["sign"]
    del data["steps"]["treatment"]
    assert content.missing_texts(content.rules(), data) == [
        "questions.self_harm.sign",
        "steps.treatment.title",
    ]


def test_the_checklist_covers_every_area_the_product_promises():
    ids = {q["id"] for q in content.rules()["questions"]}
    prescription = next(q for q in content.rules()["questions"] if q["id"] == "prescription")
    assert {o["id"] for o in prescription["options"]} == {
        "prescribed",
        "no_prescription",
        "someone_elses",
        "not_sure",
    }
    assert {
        "more_than_prescribed",
        "early_refills",
        "several_prescribers",
        "drowsy_slurred",
        "neglected",
        "cravings",
        "cut_down_failed",
        "cant_go_without",
        "needing_more",
        "alcohol",
        "opioids",
        "memory",
        "low_mood",
        "self_harm",
    } <= ids


def test_red_flags_cover_self_harm_mixing_and_overdose():
    flagged = {
        o["red_flag"]: q["id"]
        for q in content.rules()["questions"]
        for o in q["options"]
        if o.get("red_flag")
    }
    assert flagged == {
        "self_harm": "self_harm",
        "mixing": "opioids",
        "overdose": "overdose_signs",
    } | {"mixing": flagged["mixing"]}
    assert {q for q in ("alcohol", "opioids")} <= {
        q["id"]
        for q in content.rules()["questions"]
        if any(o.get("red_flag") == "mixing" for o in q["options"])
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_content_uses_people_first_words_and_never_gives_a_dose(lang):
    text = (content.CONTENT / f"{lang}.json").read_text(encoding="utf-8")
    assert not STIGMA.search(text)
    assert not re.search(r"\d+\s?(mg|milligram)", text, re.I)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_result_always_warns_against_stopping_suddenly(lang):
    result = content.texts(lang)["result"]
    words = (result["do_not_stop_title"] + result["do_not_stop_body"]).lower()
    assert ("suddenly" in words and "prescriber" in words) or (
        "de golpe" in words and "receta" in words
    )


def shape(checklist: dict) -> list:
    return [
        (s["id"], [(q["id"], [o["id"] for o in q["options"]]) for q in s["questions"]])
        for s in checklist["sections"]
    ]


def test_checklist_api_shape_is_the_same_in_every_language():
    english, spanish = content.checklist("en"), content.checklist("es")
    assert shape(english) == shape(spanish)
    assert (
        english["sections"][0]["questions"][0]["text"]
        != spanish["sections"][0]["questions"][0]["text"]
    )
