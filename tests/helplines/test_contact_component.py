"""The one contact component (components/contact.html + helplines/contact_words.py): every
contact kind rendered through it, in English and Spanish, with its verb, grouped number,
keyword, languages, audience and note, each once and without stray punctuation."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import render_template_string

from backend.database import utcnow
from backend.helplines.directory import Contact
from backend.helplines.hours import opening_state

RENDER = """{%- from "components/contact.html" import contact -%}
{%- for c in contacts %}{{ contact(c) }}{% endfor %}"""


def make(kind, value, display, lang, *, keyword=None, note=None, languages=(), audience=None):
    return Contact(
        kind=kind,
        value=value,
        display=display,
        keyword=keyword,
        note=note,
        languages=(),
        hours=None,
        state=opening_state(None, utcnow()),
        zone_name=None,
        audience=audience,
        language_codes=tuple(languages),
        lang=lang,
    )


def every_kind(lang: str) -> list[Contact]:
    return [
        make("call", "116123", "116 123", lang, note="Free from any phone."),
        make(
            "call", "+18004874889", "(800) 487-4889", lang, languages=["en", "es"], audience="deaf"
        ),
        make("text", "988", "988", lang, languages=["en"]),
        make("text", "988", "988", lang, keyword="AYUDA", languages=["es"]),
        make("text", "435748", "435748", lang, keyword="ZIP code", languages=["en"]),
        make("chat", "https://988lifeline.org/chat", "", lang, languages=["en", "es"]),
        make("web", "https://www.talktofrank.com", "", lang, audience="youth"),
        make("email", "help@example.org", "", lang, audience="family"),
        make("call", "+18553784373", "(855) 378-4373", lang, audience="professionals"),
    ]


EXPECTED = {
    "en": [
        ("tel:116123", "Call 116 123", "Free from any phone."),
        (
            "tel:+18004874889",
            "Textphone (TTY): (800) 487-4889",
            "In English and Spanish. For deaf, hard-of-hearing or speech-impaired people.",
        ),
        ("sms:988", "Text 988", "In English."),
        ("sms:988?body=AYUDA", "Text AYUDA to 988", "In Spanish."),
        ("sms:435748", "Text your ZIP code to 435748", "In English."),
        (
            "https://988lifeline.org/chat",
            "Chat online at 988lifeline.org",
            "In English and Spanish.",
        ),
        ("https://www.talktofrank.com", "Website: talktofrank.com", "For young people."),
        ("mailto:help@example.org", "Email help@example.org", "For families and friends."),
        ("tel:+18553784373", "Call (855) 378-4373", "For professionals."),
    ],
    "es": [
        ("tel:116123", "Llame al 116 123", "Free from any phone."),
        (
            "tel:+18004874889",
            "Teléfono de texto (TTY): (800) 487-4889",
            "En inglés y español. Para personas sordas, con pérdida auditiva o con dificultades"
            " del habla.",
        ),
        ("sms:988", "Envíe un mensaje al 988", "En inglés."),
        ("sms:988?body=AYUDA", "Envíe AYUDA al 988", "En español."),
        ("sms:435748", "Envíe su código postal al 435748", "En inglés."),
        (
            "https://988lifeline.org/chat",
            "Chatee en línea en 988lifeline.org",
            "En inglés y español.",
        ),
        ("https://www.talktofrank.com", "Sitio web: talktofrank.com", "Para jóvenes."),
        ("mailto:help@example.org", "Escriba a help@example.org", "Para familiares y amistades."),
        ("tel:+18553784373", "Llame al (855) 378-4373", "Para profesionales."),
    ],
}
LINK = re.compile(
    r'<a class="app-reach__link app-reach__link--button" href="([^"]+)"(?: rel="noreferrer")?>'
    r"([^<]+)</a>(?:\s*<p class=\"app-reach__details\">([^<]+)</p>)?"
)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_contact_kind_renders_through_the_component(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        html = render_template_string(RENDER, contacts=every_kind(lang))
    found = [
        (unescape(h), unescape(label), unescape(d or "")) for h, label, d in LINK.findall(html)
    ]
    assert found == EXPECTED[lang]
    for _href, label, details in found:
        assert not re.search(r"[,;:]\s*$", label), label  # no stray punctuation
        assert label.lower() not in details.lower()  # nothing shown twice
        assert len(set(details.split(". "))) == len(details.split(". "))
    assert html.count('rel="noreferrer"') == 2  # chat and web leave Steady: no referrer


def test_a_note_that_only_repeats_the_language_or_the_label_is_shown_once(app):
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        repeat = make(
            "text", "988", "988", "en", keyword="AYUDA", languages=["es"], note="In Spanish."
        )
        same_as_label = make("call", "988", "988", "en", note="Call 988")
        html = render_template_string(RENDER, contacts=[repeat, same_as_label])
    assert html.count("In Spanish.") == 1
    assert html.count("Call 988") == 1
