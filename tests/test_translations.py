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
