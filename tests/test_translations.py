"""Every string on every page has a Spanish translation with the same placeholders."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from backend.translations.update_catalog import PO, extract

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def spanish():
    with PO.open("rb") as handle:
        return read_po(handle, locale="es")


def test_every_gettext_string_has_a_spanish_translation():
    catalog = spanish()
    missing = [
        message.id
        for message in extract()
        if message.id and not (catalog.get(message.id) and catalog.get(message.id).string)
    ]
    assert missing == [], "run backend/translations/update_catalog.py with the Spanish texts"


def test_spanish_translations_keep_their_placeholders():
    catalog = spanish()
    for message in catalog:
        if message.id and message.string:
            assert set(PLACEHOLDER.findall(message.id)) == set(
                PLACEHOLDER.findall(message.string)
            ), message.id


def test_another_branchs_catalogue_can_fill_the_translations(tmp_path):
    """A merge conflict in messages.po is resolved by keeping one side and passing the other
    side's file to update_catalog.py: its translated entries are read as a dictionary."""
    from backend.translations.update_catalog import read_dictionary

    other = tmp_path / "other.po"
    other.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "My plan"\nmsgstr "Mi plan"\n\nmsgid "Untranslated"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert read_dictionary(str(other)) == {"My plan": "Mi plan"}
