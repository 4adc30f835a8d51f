"""The safety plan (/plan) and the taper diary (/taper).

The server renders the frame and the words; what a person writes is typed, kept and shown on
the device only (js/plan.js and js/taper.js, through js/toolkit-store.js), so neither page
has a server fallback that receives content. Without JavaScript /plan is a printable blank
plan and /taper offers a printable blank diary sheet.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from backend.memory import remembered
from backend.sources import cited
from backend.toolkit import blp

# What each page says, and where it comes from (backend/sources.json).
PLAN_SOURCES = ("S6", "C6", "C7")
TAPER_SOURCES = ("T3", "T2", "S6", "S1")


def plan_sections() -> list[dict]:
    """The safety plan's parts, in the order they are used in a hard moment.

    `kind` "list" holds lines of text; "people" holds names with phone numbers. The ids are
    the keys of the plan record on the device (js/toolkit-store.js).
    """
    return [
        {
            "id": "warning_signs",
            "kind": "list",
            "title": _("Signs that a hard time is starting"),
            "hint": _(
                "Thoughts, feelings or situations that tell you things are getting harder. "
                "For example: not sleeping, wanting to take more, keeping away from people."
            ),
        },
        {
            "id": "coping",
            "kind": "list",
            "title": _("Things I can do on my own"),
            "hint": _(
                "Small things that help you ride out a bad moment: a walk, a shower, music, "
                "slow breathing, writing down how you feel."
            ),
        },
        {
            "id": "distractions",
            "kind": "list",
            "title": _("People and places that take my mind off it"),
            "hint": _(
                "A friend to have a coffee with, a café, a library, a park. You do not have to "
                "talk about how you feel."
            ),
        },
        {
            "id": "helpers",
            "kind": "people",
            "title": _("People I can ask for help"),
            "hint": _(
                "People you trust and can tell how you feel. Ask them first if they are happy "
                "to be on your plan."
            ),
        },
        {
            "id": "professionals",
            "kind": "people",
            "title": _("Professionals and crisis lines"),
            "hint": _(
                "Your prescriber, doctor, pharmacist or counsellor. The crisis lines for your "
                "country are already here."
            ),
        },
        {
            "id": "safer_home",
            "kind": "list",
            "title": _("Making my home safer"),
            "hint": _(
                "Ideas: someone I trust keeps my medicine and hands me each dose as prescribed; "
                "a lockbox for medicines; naloxone at home if opioids are around; less alcohol "
                "in the house."
            ),
        },
        {
            "id": "reasons",
            "kind": "list",
            "title": _("My reasons to keep going"),
            "hint": _("People, pets, plans, hopes: whatever matters to you, big or small."),
        },
    ]


def taper_symptoms() -> list[dict]:
    """The diary's symptoms in plain words (`short` heads the table); ids as kept on the device."""
    return [
        {"id": "sleep", "text": _("Trouble sleeping"), "short": _("Sleep")},
        {"id": "anxiety", "text": _("Anxiety, or feeling on edge"), "short": _("Anxiety")},
        {"id": "tremor", "text": _("Shaking or trembling"), "short": _("Shaking")},
        {"id": "sweating", "text": _("Sweating"), "short": _("Sweating")},
        {"id": "senses", "text": _("Sensitive to light or sound"), "short": _("Light, sound")},
        {"id": "aches", "text": _("Muscle aches or stiffness"), "short": _("Aches")},
        {"id": "unreal", "text": _("Feeling unreal or far away"), "short": _("Unreal")},
        {"id": "mood", "text": _("Low mood"), "short": _("Low mood")},
    ]


def taper_levels() -> list[tuple[int, str]]:
    """The 0–3 scale of each symptom."""
    return [(0, _("Not at all")), (1, _("A little")), (2, _("Quite a lot")), (3, _("Severe"))]


def taper_taken() -> list[tuple[str, str]]:
    """Whether the day's dose was taken as planned."""
    return [
        ("yes", _("Yes, as planned")),
        ("no", _("No")),
        ("changed", _("My prescriber changed it")),
    ]


def taper_red_flags() -> list[tuple[str, str]]:
    """What brings advice at once (crisis help first for thoughts of self-harm)."""
    return [
        ("seizure", _("A seizure (a fit)")),
        ("confusion", _("Confusion, or seeing or hearing things that are not there")),
        ("self_harm", _("Thoughts of harming myself")),
    ]


@blp.get("/plan")
@remembered
def plan():
    """The personal safety plan: printable; kept on the device."""
    return render_template(
        "toolkit/plan.html",
        title=_("My safety plan"),
        sections=plan_sections(),
        sources=cited(PLAN_SOURCES),
    )


@blp.get("/taper")
@remembered
def taper():
    """The taper diary: the prescriber's steps and daily symptoms, kept on the device."""
    return render_template(
        "toolkit/taper.html",
        title=_("My taper diary"),
        symptoms=taper_symptoms(),
        levels=taper_levels(),
        taken=taper_taken(),
        red_flags=taper_red_flags(),
        sources=cited(TAPER_SOURCES),
    )
