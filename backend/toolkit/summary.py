"""The prescriber summary (/summary): a one-page, printable view that the person builds on the
device from what it keeps (saved self-check results, check-ins, the taper diary) and from the
other sedatives they note here. The server renders the form and the words; js/summary.js
builds the summary in the browser and nothing of it is ever sent.
"""

from __future__ import annotations

from flask import g, render_template
from flask_babel import gettext as _

from backend.memory import remembered
from backend.selfcheck.content import texts as checklist_texts
from backend.toolkit import blp


def sections() -> list[tuple[str, str, str]]:
    """(id, heading, what it holds) for each section the person may include."""
    return [
        ("selfcheck", _("Self-check signs"), _("Warning signs noted in saved self-checks")),
        ("journal", _("Check-in trends"), _("Averages from the daily check-ins")),
        ("taper", _("Taper steps and symptoms"), _("The steps as written, and a symptom chart")),
        ("sedatives", _("Other sedatives"), _("Alcohol, opioids, sleeping pills, gabapentinoids")),
    ]


def sedatives() -> list[tuple[str, str]]:
    """(id, name) of the other sedatives asked about: they add to a benzodiazepine's effect."""
    return [
        ("alcohol", _("Alcohol")),
        ("opioids", _("Opioids (for example strong painkillers, heroin or fentanyl)")),
        ("sleeping_pills", _("Sleeping pills (for example zolpidem or zopiclone)")),
        ("gabapentinoids", _("Gabapentin or pregabalin")),
    ]


def how_often() -> list[tuple[str, str]]:
    """(id, words) for how often another sedative was taken in the period."""
    return [("none", _("Not in this period")), ("sometimes", _("Sometimes")), ("often", _("Often"))]


def script_texts() -> dict:
    """The words js/summary.js needs to build the summary, in the page's language."""
    checklist = checklist_texts(g.get("lang", "en"))
    return {
        "title": _("Summary for my prescriber"),
        "period": _("From %(start)s to %(end)s"),
        "made": _("Made on %(date)s"),
        "footer": _(
            "Made with Steady from what this person keeps on their phone. "
            "It is their own record, not a diagnosis."
        ),
        "headings": {section: heading for section, heading, _hint in sections()},
        "signs": {qid: q["sign"] for qid, q in checklist["questions"].items()},
        "bands": {band: words["title"] for band, words in checklist["bands"].items()},
        "no_results": _("No self-check was saved in this period."),
        "results_count": _("Self-checks saved in this period: %(count)s"),
        "signs_noted": _("Warning signs noted:"),
        "result_head": [_("Date"), _("Result"), _("Score")],
        "no_check_ins": _("No check-ins in this period."),
        "check_ins_count": _("Check-ins in this period: %(count)s"),
        "scales_note": _(
            "Scales run from 1 to 5. For feeling and sleep 5 is best; "
            "for anxiety and cravings 5 is strongest."
        ),
        "trend_head": [_("Measure"), _("Average"), _("Lowest"), _("Highest")],
        "scales": {
            "feeling": _("Feeling"),
            "sleep": _("Sleep"),
            "anxiety": _("Anxiety"),
            "cravings": _("Cravings"),
        },
        "withdrawal_days": _("Withdrawal symptoms: mild on %(mild)s days, strong on %(strong)s"),
        "not_as_prescribed": _("Days not taken as prescribed: %(count)s"),
        "no_steps": _("No taper steps are written in the diary."),
        "steps_head": [_("From"), _("Dose, as written by the prescriber"), _("Note")],
        "no_days": _("No diary days in this period."),
        "chart_label": _("Total symptom score by day (0 to 24), with the taper steps marked"),
        "days_head": [_("Date"), _("Symptom total"), _("Symptoms"), _("Dose"), _("Warning")],
        "symptoms": {
            "sleep": _("Sleep problems"),
            "anxiety": _("Anxiety"),
            "tremor": _("Tremor"),
            "sweating": _("Sweating"),
            "senses": _("Sensitive to light or sound"),
            "aches": _("Muscle aches"),
            "unreal": _("Feeling unreal"),
            "mood": _("Low mood"),
        },
        "taken": {
            "yes": _("Taken as planned"),
            "no": _("Not as planned"),
            "changed": _("Changed by prescriber"),
        },
        "red_flags": {
            "seizure": _("Seizure"),
            "confusion": _("Confusion"),
            "self_harm": _("Thoughts of self-harm"),
        },
        "sedatives": dict(sedatives()),
        "how_often": dict(how_often()),
        "no_sedatives": _("No other sedatives noted."),
        "sedatives_note": _("In their own words:"),
    }


@blp.get("/summary")
@remembered
def summary():
    """Build a printable summary for the prescriber, on the device."""
    return render_template(
        "toolkit/summary.html",
        title=_("A summary for your prescriber"),
        sections=sections(),
        sedatives=sedatives(),
        how_often=how_often(),
        texts=script_texts(),
    )
