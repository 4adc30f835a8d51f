"""Import (dry run, then all or nothing) and export of the whole directory.

The preview lists every row's problems by line and field. The file the person previewed
travels back with the "apply" button in a hidden field (base64, at most the importer's
size limit) with its sha256, so what is applied is exactly what was previewed, without
keeping anything on the server in between.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from flask import Response, flash, redirect, render_template, request, url_for

from backend.accounts.auth import editor_required
from backend.admin.blueprint import LARGER_FORMS, blp
from backend.admin.views_helplines import actor
from backend.helplines import service
from backend.helplines.imports import MAX_IMPORT_BYTES

FORMATS = ("csv", "json", "hsds")
EXTENSIONS = {"csv": "csv", "json": "json"}  # an HSDS file is JSON: choose it by name
# The apply form carries the file as base64 (4/3 of its size): room for that and the rest.
APPLY_FORM_BYTES = MAX_IMPORT_BYTES * 4 // 3 + 64 * 1024
LARGER_FORMS["admin.import_apply"] = APPLY_FORM_BYTES
# The upload itself may be larger than MAX_CONTENT_LENGTH too: the file and its envelope.
LARGER_FORMS["admin.import_preview"] = MAX_IMPORT_BYTES + 64 * 1024


def _format(name: str, asked: str) -> str | None:
    if asked in FORMATS:
        return asked
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EXTENSIONS.get(extension)


def _page(status=200, **context):
    body = render_template(
        "admin/import.html",
        title="Import and export",
        max_kb=MAX_IMPORT_BYTES // 1000,
        **context,
    )
    return body, status


@blp.get("/import")
@editor_required
def imports():
    """Choose a file to check, or download the directory."""
    return _page()


@blp.post("/import")
@editor_required
def import_preview():
    """Check a file without changing anything: every row's problems, by line and field."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(422, problem="Choose a CSV, JSON or HSDS file to check.")
    fmt = _format(upload.filename, request.form.get("format", ""))
    if fmt is None:
        return _page(422, problem="Choose the file's format: CSV, JSON or HSDS.")
    raw = upload.stream.read(MAX_IMPORT_BYTES + 1)
    upload.close()
    preview = service.preview_import(raw, fmt)
    carried = base64.b64encode(raw).decode("ascii") if preview.ok else None
    return _page(
        200 if preview.ok else 422,
        preview=preview,
        filename=upload.filename,
        fmt=fmt,
        carried=carried,
        digest=hashlib.sha256(raw).hexdigest(),
    )


@blp.post("/import/apply")
@editor_required
def import_apply():
    """Apply the previewed file in one transaction: all of it, or nothing."""
    fmt = request.form.get("format", "")
    try:
        raw = base64.b64decode(request.form.get("file", ""), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if (
        fmt not in FORMATS
        or not raw
        or hashlib.sha256(raw).hexdigest() != request.form.get("digest")
    ):
        return _page(422, problem="The file to apply was lost on the way. Check it again.")
    try:
        result = service.apply_import(raw, fmt, actor())
    except service.ImportRejected as rejected:
        return _page(422, preview=rejected.preview, filename=request.form.get("filename"), fmt=fmt)
    message = (
        f"Imported {result.created} new and {result.updated} changed "
        f"helpline{'' if result.created + result.updated == 1 else 's'}."
    )
    if result.proposed:
        message += (
            f" {result.proposed} change{'' if result.proposed == 1 else 's'} to priority lines "
            "wait for another operator's approval."
        )
    flash(message)
    return redirect(url_for("admin.helplines"), code=303)


@blp.get("/export.<any(csv, json, hsds):fmt>")
@editor_required
def export(fmt: str):
    """Download every helpline, archived ones too, as CSV, JSON or HSDS (the import's shapes)."""
    if fmt == "csv":
        body, content_type = service.export_csv(), "text/csv; charset=utf-8"
    elif fmt == "hsds":
        body = json.dumps(service.export_hsds(), ensure_ascii=False, indent=2)
        content_type = "application/json"
    else:
        body = json.dumps(service.export_json(), ensure_ascii=False, indent=2)
        content_type = "application/json"
    response = Response(body, content_type=content_type)  # mimetype= would add a 2nd charset
    filename = "steady-helplines-hsds.json" if fmt == "hsds" else f"steady-helplines.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
