"""Reading an import file into rows: CSV records, JSON objects or HSDS services, with their
line numbers.

CSV: the flat columns of flat.py (a column per language, ";" between list items, and
`contact1_kind` … `contact1_timezone` per contact: never JSON in a cell). The read-only
columns our export adds are accepted and ignored; a cell our export guarded against
spreadsheet formulas gets its text back (csv_cells.py). JSON: a list of helplines in the
API's shape (or the seed's, with a `source` object); a JSON row's line is the line on which
its object starts. HSDS: a page of services as our HSDS export writes it (hsds.py). Problems
with the file itself go in ``file_errors``.
"""

from __future__ import annotations

import csv
import io
import json

from backend.csv_cells import restore_formula
from backend.helplines import flat
from backend.helplines.hsds import service_as_item
from backend.json_input import UnreadableJSON, load_json

MAX_IMPORT_ROWS = 5_000
REQUIRED_COLUMNS = ("country", "name_en", "contact1_kind", "contact1_value")


def flatten_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    flat_errors: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for name, messages in flatten_errors(value, path).items():
                flat_errors.setdefault(name, []).extend(messages)
    else:
        flat_errors[prefix or "_row"] = [
            str(m) for m in (errors if isinstance(errors, list) else [errors])
        ]
    return flat_errors


def csv_field(path: str) -> str:
    """A schema error path as the CSV column it came from ("name.en" → "name_en")."""
    return flat.column_of(path)


def _header_problems(names: list[str]) -> list[str]:
    problems = []
    if "contacts" in names:
        problems.append(
            "The contacts column (JSON in one cell) is no longer read: give each contact its "
            "own columns, contact1_kind, contact1_value and so on. Download an export to see "
            "them."
        )
    known = set(flat.LINE_COLUMNS) | set(flat.READ_ONLY_COLUMNS)
    unknown = [n for n in names if n not in known and not flat.contact_column(n)]
    unknown = [n for n in unknown if n != "contacts"]
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if unknown:
        problems.append(
            f"Unknown columns: {', '.join(unknown)}. The columns are: "
            f"{', '.join(flat.LINE_COLUMNS)}, then for each contact "
            f"{', '.join('contact1_' + c for c in flat.CONTACT_COLUMNS)} (contact2_… and so on)."
        )
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}.")
    if len(set(names)) != len(names):
        problems.append("A column name appears twice in the header.")
    return problems


def csv_rows(text: str, file_errors: list[str]) -> list[tuple[int, dict, dict]]:
    """(line, data, errors) for each CSV record; header problems go in ``file_errors``."""
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="_extra")
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        file_errors.append(f"The CSV header could not be read: {error}.")
        return []
    names = [name.strip() for name in header]
    file_errors.extend(_header_problems(names))
    if file_errors:
        return []
    reader.fieldnames = names
    rows, start = [], reader.line_num + 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            errors: dict[str, list[str]] = {}
            if record.get("_extra"):
                errors["_row"] = ["This row has more cells than the header has columns."]
            cells = {column: restore_formula(record.get(column) or "") for column in names}
            data, problems = flat.item_from_row(cells)
            errors.update(problems)
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


def hsds_rows(text: str, file_errors: list[str]) -> list[tuple[int, dict, dict]]:
    """(service number, data, errors) for each service of an HSDS page (or list of services);
    a service's "line" is its place in the page, from 1."""
    try:
        page = load_json(text)
    except json.JSONDecodeError as error:
        file_errors.append(
            f"Not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}."
        )
        return []
    except UnreadableJSON as error:
        file_errors.append(str(error))
        return []
    services = page.get("contents") if isinstance(page, dict) else page
    if not isinstance(services, list):
        file_errors.append('An HSDS file is a page {"contents": [services]} or a list of services.')
        return []
    if len(services) > MAX_IMPORT_ROWS:
        file_errors.append(f"The file has more than {MAX_IMPORT_ROWS:,} helplines.")
        return []
    rows = []
    for number, service in enumerate(services, start=1):
        if not isinstance(service, dict):
            rows.append((number, {}, {"_row": ["Each service must be a JSON object {…}."]}))
            continue
        data, errors = service_as_item(service)
        rows.append((number, data, errors))
    return rows
