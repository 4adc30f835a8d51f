"""The reminders page and the check-in page (server-rendered; the work happens on the device).

`/reminders` explains what the server keeps before anything else, then lets the person set
up, change, pause or delete check-in reminders; its script talks to the reminders API.
`/check-in` is the 30-second check-in a reminder opens. Its answers stay on the device
(IndexedDB), so the page has no server fallback: without JavaScript it explains why.
"""

from __future__ import annotations

from babel import Locale
from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from backend.memory import remembered

blp = Blueprint("reminder_pages", __name__)

# The message keys the API accepts, in the order they are offered; the first is the default.
# sw-push.js (the service worker's push half) holds the same texts (it shows them without
# the page): a test keeps the two equal.
MESSAGE_KEYS = ("checkin", "moment", "hello")
MAX_TIMES = 3
MAX_PAUSE_DAYS = 60


def notification_texts() -> dict[str, str]:
    """The discreet notification texts, by message key, in the page's language.

    Lock screens are public: none of them says anything about medicine.
    """
    return {
        "checkin": _("Time for your check-in"),
        "moment": _("A moment for you"),
        "hello": _("Hello from Steady"),
    }


def week_days() -> list[tuple[int, str]]:
    """(number, name) for each day, Monday = 0 as in the API, named by CLDR for the language."""
    names = (get_locale() or Locale("en")).days["format"]["wide"]
    return [(number, names[number].capitalize()) for number in range(7)]


def _scale(*labels: str) -> list[tuple[int, str]]:
    return list(enumerate(labels, start=1))


def check_in_questions() -> list[dict]:
    """The check-in's questions (four 1–5 scales, three choices) in the page's language.

    `short` names the question in the history table and the CSV file.
    """
    return [
        {
            "id": "feeling",
            "short": _("Feeling"),
            "text": _("How are you feeling today?"),
            "options": _scale(_("Very bad"), _("Bad"), _("Okay"), _("Good"), _("Very good")),
        },
        {
            "id": "sleep",
            "short": _("Sleep"),
            "text": _("How did you sleep last night?"),
            "options": _scale(_("Very badly"), _("Badly"), _("Okay"), _("Well"), _("Very well")),
        },
        {
            "id": "anxiety",
            "short": _("Anxiety"),
            "text": _("How anxious have you felt today?"),
            "options": _scale(
                _("Not at all"), _("A little"), _("Some"), _("A lot"), _("Extremely")
            ),
        },
        {
            "id": "cravings",
            "short": _("Cravings"),
            "text": _("How strong have cravings been today?"),
            "hint": _("A strong urge to take more, or to take it sooner."),
            "options": _scale(_("None"), _("Mild"), _("Medium"), _("Strong"), _("Very strong")),
        },
        {
            "id": "as_prescribed",
            "short": _("Took it as prescribed"),
            "text": _("Did you take it as prescribed today?"),
            "options": [
                ("yes", _("Yes")),
                ("no", _("No")),
                ("not_prescribed", _("It is not prescribed to me")),
            ],
        },
        {
            "id": "withdrawal",
            "short": _("Withdrawal symptoms"),
            "text": _("Any withdrawal symptoms today?"),
            "hint": _(
                "For example shaking, sweating, poor sleep, feeling on edge, a racing heart."
            ),
            "options": [("none", _("None")), ("mild", _("Mild")), ("strong", _("Strong"))],
        },
        {
            "id": "reducing",
            "short": _("Reducing with prescriber"),
            "text": _("Are you reducing your dose with your prescriber?"),
            "options": [("yes", _("Yes")), ("no", _("No"))],
        },
    ]


@blp.get("/reminders")
@remembered
def reminders():
    """Set up, change, pause or delete check-in reminders (the script does the work)."""
    return render_template(
        "reminders/reminders.html",
        title=_("Check-in reminders"),
        days=week_days(),
        messages=notification_texts(),
        max_times=MAX_TIMES,
        max_pause_days=MAX_PAUSE_DAYS,
    )


@blp.get("/check-in")
@remembered
def check_in():
    """The 30-second check-in. Answers are kept on the device and never sent."""
    return render_template(
        "reminders/check_in.html",
        title=_("Your 30-second check-in"),
        questions=check_in_questions(),
    )
