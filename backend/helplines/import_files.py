"""Reading an import file into rows: CSV records or JSON objects, with their line numbers.

CSV: the columns of `CSV_COLUMNS`; lists (regions, topics) are separated by ";";
per-language text has a column per language (name_en, name_es); the contact methods are
one cell of JSON (a list, in the API's shape); true/false, yes/no or 1/0 for the flags.
The read-only columns our export adds are accepted and ignored; a cell our export guarded
against spreadsheet formulas gets its text back (csv_cells.py). JSON: a list of helplines
in the API's shape (or the seed's, with a `source` object); a JSON row's line is the line
on which its object starts. Problems with the file itself go in ``file_errors``.
"""

from __future__ import annotations

import csv
import io
import json

from backend.csv_cells import restore_formula
from backend.helplines.records import READ_ONLY_FIELDS
from backend.json_input import UnreadableJSON, load_json

MAX_IMPORT_ROWS = 5_000

TRANSLATED_COLUMNS = ("name", "description", "alert")
LIST_COLUMNS = ("regions", "topics")
CSV_COLUMNS = (
    "id",
    "country",
    "regions",
    "name_en",
    "name_es",
    "description_en",
    "description_es",
    "topics",
    "status",
    "free",
    "confidential",
    "priority",
    "alert_en",
    "alert_es",
    "source_url",
    "source_status",
    "checked_on",
    "contacts",
)
REQUIRED_COLUMNS = ("country", "name_en", "contacts")


def flatten_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for name, messages in flatten_errors(value, path).items():
                flat.setdefault(name, []).extend(messages)
    else:
        flat[prefix or "_row"] = [
            str(m) for m in (errors if isinstance(errors, list) else [errors])
        ]
    return flat


def csv_field(path: str) -> str:
    """A schema error path as the CSV column it came from ("name.en" → "name_en")."""
    head, _, rest = path.partition(".")
    if head in TRANSLATED_COLUMNS and rest:
        return f"{head}_{rest.split('.')[0]}"
    if head in LIST_COLUMNS:
        return head
    return path


def _csv_cell_value(column: str, text: str):
    text = text.strip()
    if column in LIST_COLUMNS:
        return [part.strip() for part in text.split(";") if part.strip()]
    if column in ("free", "confidential"):
        lowered = text.lower()
        if lowered == "":
            return None
        return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(
            lowered, text
        )
    return text or None


def csv_rows(text: str, file_errors: list[str]) -> list[tuple[int, dict, dict]]:
    """(line, data, errors) for each CSV record; header problems go in ``file_errors``."""
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="_extra")
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        file_errors.append(f"The CSV header could not be read: {error}.")
        return []
    names = [name.strip() for name in header]
    unknown = [n for n in names if n not in CSV_COLUMNS and n not in READ_ONLY_FIELDS]
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if unknown:
        file_errors.append(
            f"Unknown columns: {', '.join(unknown)}. The columns are: {', '.join(CSV_COLUMNS)}."
        )
    if missing:
        file_errors.append(f"Missing columns: {', '.join(missing)}.")
    if len(set(names)) != len(names):
        file_errors.append("A column name appears twice in the header.")
    if file_errors:
        return []
    reader.fieldnames = names
    rows, start = [], reader.line_num + 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            data, errors = {}, {}
            if record.get("_extra"):
                errors["_row"] = ["This row has more cells than the header has columns."]
            for column in names:
                text = restore_formula(record.get(column) or "")
                if column in READ_ONLY_FIELDS or column == "contacts":
                    continue
                prefix, _, lang = column.partition("_")
                if prefix in TRANSLATED_COLUMNS and lang:
                    if text.strip():
                        data.setdefault(prefix, {})[lang] = text.strip()
                    continue
                value = _csv_cell_value(column, text)
                if value is not None or column in ("free", "confidential"):
                    data[column] = value
            try:
                data["contacts"] = load_json(restore_formula(record.get("contacts") or "") or "[]")
            except json.JSONDecodeError as error:
                errors["contacts"] = [f"Not valid JSON ({error.msg}, character {error.pos + 1})."]
            except UnreadableJSON as error:
                errors["contacts"] = [str(error)]
            rows.append((line, data, errors))
            if len(rows) > MAX_IMPORT_ROWS:
                break
    except csv.Error as error:
        file_errors.append(f"The CSV could not be read at line {reader.line_num}: {error}.")
    return rows


def json_rows(text: str, file_errors: list[str]) -> list[tuple[int, dict, dict]]:
    try:
        items = load_json(text)
    except json.JSONDecodeError as error:
        file_errors.append(
            f"Not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}."
        )
        return []
    except UnreadableJSON as error:
        file_errors.append(str(error))
        return []
    if not isinstance(items, list):
        file_errors.append("The JSON file must be a list of helplines: [ {…}, {…} ].")
        return []
    if len(items) > MAX_IMPORT_ROWS:
        file_errors.append(f"The file has more than {MAX_IMPORT_ROWS:,} helplines.")
        return []
    # Where each object starts, for line numbers a person can find: one pass over the text
    # (counting from the start for every object made 300,000 `{}` take minutes: M6).
    decoder, position, starts = json.JSONDecoder(), text.index("[") + 1, []
    line, counted = 1, 0
    for _item in items:
        while text[position] in " \t\r\n,":
            position += 1
        line += text.count("\n", counted, position)
        counted = position
        starts.append(line)
        position = decoder.raw_decode(text, position)[1]
    rows = []
    for line, item in zip(starts, items, strict=True):
        if isinstance(item, dict):
            rows.append((line, item, {}))
        else:
            rows.append((line, {}, {"_row": ["Each helpline must be a JSON object {…}."]}))
    return rows
