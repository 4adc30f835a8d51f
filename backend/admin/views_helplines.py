"""Helplines in the console: the list with filters, and the create and edit forms.

Both forms go through HelplineSchema (the API's and the import's schema). The edit form
carries the version the person started from; if someone saved the line in between, the
service refuses (StaleVersion) and the page shows their changes beside the person's own
input, which is kept, so nothing is overwritten without being seen. A change to a priority
line's contacts is saved as a proposal for a second operator (the page says so).
"""

from __future__ import annotations

from zoneinfo import available_timezones

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from backend import audit
from backend.accounts import service as accounts
from backend.accounts.auth import editor_required
from backend.admin.blueprint import blp
from backend.admin.helpline_errors import field_problems, in_form_order
from backend.admin.helpline_form import (
    HelplineForm,
    country_choices,
    form_to_data,
    label_of,
    line_to_form_data,
)
from backend.admin.views_audit import page_number
from backend.helplines import history, review, service
from backend.helplines.models import STATUSES, TOPICS, Helpline, HelplineProposal
from backend.helplines.schemas import HelplineSchema

PER_PAGE = 25
ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def actor():
    """The signed-in operator, as the audit log names them."""
    return accounts.actor_for(current_user._get_current_object())


def line_or_404(helpline_id: str):
    """The helpline with this id, archived or not, or a 404 page."""
    try:
        return service.get_helpline(helpline_id)
    except service.HelplineNotFound:
        abort(404)


def is_stale(line, today) -> bool:
    return line.stale_on(today)


@blp.get("/helplines")
@editor_required
def helplines():
    """Every line, archived ones too, with search and filters."""
    args = {k: request.args.get(k, "").strip() for k in ("q", "country", "status", "topic")}
    stale_only = request.args.get("stale") == "1"
    filters = {"include_inactive": True, "lang": "en"}
    if args["q"]:
        filters["q"] = args["q"][:100]
    if len(args["country"]) == 2 and args["country"].isalpha():
        filters["country"] = args["country"].upper()
    if args["topic"] in TOPICS:
        filters["topic"] = args["topic"]
    if args["status"] in STATUSES:
        filters["status"] = args["status"]
    page = page_number()
    today = audit.utcnow().date()
    if args["status"] == "archived":  # not one of a line's statuses: where it is
        filters["archived"] = True
    if stale_only:
        filters["stale_on"] = today
    found = service.search_helplines(page=page, per_page=PER_PAGE, **filters)
    total, items = found.total, found.items
    kept = {k: v for k, v in args.items() if v}
    if stale_only:
        kept["stale"] = "1"
    return render_template(
        "admin/helplines.html",
        title="Helplines",
        lines=items,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=kept,
        asked=args,
        stale_only=stale_only,
        today=today,
        is_stale=is_stale,
        countries=country_choices()[1:],
        statuses=[(s, label_of(s)) for s in STATUSES],
        topics=[(t, label_of(t)) for t in TOPICS],
    )


def _validate(form: HelplineForm):
    """(loaded data, None) or (None, problems by field id)."""
    data, problems, rows, parsed = form_to_data(form)
    try:
        loaded = HelplineSchema().load(data)
    except ValidationError as error:
        found = field_problems(form, error.messages, rows, parsed)
        for field_id, messages in found.items():
            problems.setdefault(field_id, messages)
        return None, problems
    return (loaded, None) if not problems else (None, problems)


def restore_target(line) -> dict:
    """What the history table needs to offer "restore this version" for ``line``."""
    entries, _total = audit.list_entries(
        entity_type="helpline", entity_id=str(line.id), per_page=20
    )
    current = next((e.id for e in entries if history.is_restorable(e)), None)
    return {"id": line.id, "version": line.version, "current": current}


def _render(form, problems, status=200, line=None, conflict=None):
    page = render_template(
        "admin/helpline_form.html",
        title=f"Edit {line.name.get('en')}" if line else "Add a helpline",
        form=form,
        problems=problems or {},
        summary=in_form_order(form, problems or {}),
        line=line,
        conflict=conflict,
        zones=ZONES,
        history=_history(line) if line else [],
        names={str(line.id): line.name.get("en")} if line else {},
        restore=restore_target(line) if line else None,
        proposals=review.pending_proposals(line.id) if line else [],
        translation_label=translation_label,
        today=audit.utcnow().date(),
        is_stale=is_stale,
    )
    return page, status


TRANSLATION_LABELS = {
    "name": "Name",
    "description": "Description",
    "alert": "Short alert",
}


def translation_label(key: str) -> str:
    """ "contacts.1.note" → "Contact 2, note"."""
    if key.startswith("contacts."):
        return f"Contact {int(key.split('.')[1]) + 1}, note"
    return TRANSLATION_LABELS.get(key, key)


def _history(line) -> list:
    entries, _total = audit.list_entries(entity_type="helpline", entity_id=str(line.id), per_page=5)
    return entries


@blp.route("/helplines/new", methods=["GET", "POST"])
@editor_required
def helpline_new():
    """Add a helpline."""
    form = HelplineForm()
    if request.method == "GET":
        return _render(form, {})
    loaded, problems = _validate(form)
    if problems:
        return _render(form, problems, 422)
    added = service.create_helpline(loaded, actor())
    line = added if isinstance(added, Helpline) else added.helpline
    flash(f"Added {line.name.get('en')}. It is not verified yet: it waits in the stale queue.")
    if not isinstance(added, Helpline):
        flash(
            "It is not a priority line yet: another operator must approve that "
            "(it waits in Approvals) before it can be shown first in crisis help."
        )
    return redirect(url_for("admin.helpline_edit", helpline_id=line.id), code=303)


def _conflict(form: HelplineForm, line) -> dict:
    """What the other person saved, beside what this person typed, field by field."""
    theirs, mine = line_to_form_data(line), form.data
    rows = []
    for name, field in form._fields.items():
        if name in ("csrf_token", "version", "contacts"):
            continue
        a, b = theirs.get(name), mine.get(name)
        if _shown(a) != _shown(b):
            rows.append((field.label.text, _shown(a), _shown(b)))
    their_contacts, my_contacts = theirs["contacts"], mine["contacts"]
    for index in range(max(len(their_contacts), len(my_contacts))):
        a = their_contacts[index] if index < len(their_contacts) else {}
        b = my_contacts[index] if index < len(my_contacts) else {}
        for key, field in form.contacts.entries[0].form._fields.items():
            if _shown(a.get(key)) != _shown(b.get(key)) and (a.get("kind") or b.get("kind")):
                rows.append(
                    (
                        f"Contact {index + 1}: {field.label.text}",
                        _shown(a.get(key)),
                        _shown(b.get(key)),
                    )
                )
    latest = _history(line)[:1]
    return {"rows": rows, "by": latest[0] if latest else None, "version": line.version}


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return " ".join(str(value or "").split()) if "\n" not in str(value or "") else str(value)


@blp.route("/helplines/<helpline_id>/edit", methods=["GET", "POST"])
@editor_required
def helpline_edit(helpline_id: str):
    """Change a helpline (refused, with both versions shown, if someone saved it meanwhile)."""
    line = line_or_404(helpline_id)
    if request.method == "GET":
        return _render(HelplineForm(data=line_to_form_data(line)), {}, line=line)
    form = HelplineForm()
    loaded, problems = _validate(form)
    if problems:
        return _render(form, problems, 422, line=line)
    if set(loaded.get("topics", [])) == set(line.topics or []):
        loaded["topics"] = list(line.topics or [])  # the checkboxes' order is not a change
    version = form.version.data or ""
    try:
        result = service.update_helpline(
            line.id, loaded, int(version) if version.isdigit() else -1, actor()
        )
    except service.StaleVersion:
        line = service.get_helpline(line.id)
        conflict = _conflict(form, line)
        form.version.data = str(line.version)  # saving again now is a deliberate choice
        return _render(form, {}, 409, line=line, conflict=conflict)
    if isinstance(result, HelplineProposal):
        flash(
            f"{line.name.get('en')} is a priority line: your change to its contacts waits for "
            "another operator's approval. The public keeps the current version until then."
        )
    else:
        flash(f"Saved {line.name.get('en')} (version {line.version}).")
    return redirect(url_for("admin.helpline_edit", helpline_id=line.id), code=303)
