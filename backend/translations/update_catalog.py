"""Refresh the Spanish catalogue: extract every gettext string, merge it into
backend/translations/es/LC_MESSAGES/messages.po, fill translations from any dictionary
files given, and compile.

    .venv/bin/python backend/translations/update_catalog.py [ES_DICT.py ...]

Each ES_DICT.py defines `ES = {"English text": "Texto en español", ...}`. A dictionary may
also be a .po file, such as another branch's catalogue: a merge conflict in messages.po is
resolved by keeping one side and passing the other side's file
(`git show OTHER:backend/translations/es/LC_MESSAGES/messages.po > /tmp/other.po`). The .po
file is the source of truth that is committed; tests/test_translations.py fails on any string
without a Spanish translation.
"""

from __future__ import annotations

import io
import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "backend" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
METHODS = [("backend/**.py", "python"), ("frontend/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def extract() -> Catalog:
    """Every translatable string in the code and templates."""
    template = Catalog(project="Steady")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"**.html": {}}
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read_dictionary(path: str) -> dict[str, str]:
    """English → Spanish from an ES_DICT.py file, or from the translated entries of a .po file."""
    if not path.endswith(".po"):
        return runpy.run_path(path)["ES"]
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="es")
    return {
        message.id if isinstance(message.id, str) else message.id[0]: message.string
        for message in catalog
        if message.id and message.string and isinstance(message.string, str)
    }


def update(dictionaries: list[str]) -> list[str]:
    """Merge, fill and compile; return the strings still without a translation."""
    translations: dict[str, str] = {}
    for path in dictionaries:
        translations.update(read_dictionary(path))
    PO.parent.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(locale="es")
    if PO.exists():
        with PO.open("rb") as handle:
            catalog = read_po(handle, locale="es")
    catalog.update(extract(), no_fuzzy_matching=True)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations:
            message.string = translations[key]
        message.flags.discard("fuzzy")
        if not message.string:
            missing.append(key)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, no_location=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    PO.with_suffix(".mo").write_bytes(buffer.getvalue())
    return missing


if __name__ == "__main__":
    still_missing = update(sys.argv[1:])
    for text in still_missing:
        print(f"no Spanish yet: {text!r}")
    sys.exit(1 if still_missing else 0)
