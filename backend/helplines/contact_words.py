"""What one way to reach a line says on a page, in the page's language.

Every page that shows a contact (the crisis box, the directory's cards, the family page, the
overdose page, the check-in's crisis box) renders it through one Jinja macro,
`components/contact.html`, which shows what `describe()` returns:

- a label that starts with a verb from the contact's kind ("Call 116 123", "Text AYUDA to
  988", "Text your ZIP code to 435748", "Chat online at 988lifeline.org", "Website:
  talktofrank.com") or, for a TTY, textphone or relay number (audience "deaf"), says so
  ("Textphone (TTY): (800) 487-4889");
- the link that does it (`tel:`, `sms:` with the keyword as the message, or the web address);
- short details, each once: the languages it answers in ("In Spanish."), who it is for ("For
  families and friends."), and the operators' note.

The keywords "ZIP code" and "postcode" (as operators write them) stand for something of the
person's own, not a word to type as it is: the label says "your ZIP code" and the link
prefills nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from babel import Locale
from babel.lists import format_list
from flask_babel import gettext as _


@dataclass(frozen=True)
class ContactWords:
    """What the contact component shows for one contact."""

    label: str
    href: str
    details: tuple[str, ...]
    # A chat or web contact leaves Steady for the service's own site.
    external: bool


def _placeholder(keyword: str) -> str | None:
    placeholders = {"zip code": _("your ZIP code"), "postcode": _("your postcode")}
    return placeholders.get(keyword.strip().lower())


def _site(url: str) -> str:
    """The host a person will land on, without "www." ("988lifeline.org")."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def language_phrase(codes: Sequence[str], lang: str) -> str | None:
    """ "In English and Spanish." for ["en", "es"] (None when the languages are not known)."""
    if not codes:
        return None
    names = Locale.parse(lang).languages
    words = [names.get(code.split("-")[0], code) for code in codes]
    return _("In %(languages)s.", languages=format_list(words, locale=lang))


def audience_phrase(audience: str | None) -> str | None:
    """Who a contact is for, when it is not for everyone."""
    phrases = {
        "deaf": _("For deaf, hard-of-hearing or speech-impaired people."),
        "youth": _("For young people."),
        "family": _("For families and friends."),
        "professionals": _("For professionals."),
    }
    return phrases.get(audience or "")


def _label_and_href(kind: str, value: str, display: str, keyword: str | None, audience):
    if kind == "call":
        if audience == "deaf":
            return _("Textphone (TTY): %(number)s", number=display), f"tel:{value}"
        return _("Call %(number)s", number=display), f"tel:{value}"
    if kind == "text":
        if not keyword:
            return _("Text %(number)s", number=display), f"sms:{value}"
        own = _placeholder(keyword)
        if own:
            return _("Text %(keyword)s to %(number)s", keyword=own, number=display), f"sms:{value}"
        label = _("Text %(keyword)s to %(number)s", keyword=keyword, number=display)
        return label, f"sms:{value}?body={quote(keyword)}"
    if kind == "chat":
        return _("Chat online at %(site)s", site=_site(value)), value
    if kind == "web":
        return _("Website: %(site)s", site=_site(value)), value
    return _("Email %(address)s", address=value), f"mailto:{value}"


def _key(text: str) -> str:
    return text.strip().rstrip(".").casefold()


def describe(
    *,
    kind: str,
    value: str,
    display: str,
    keyword: str | None,
    note: str | None,
    language_codes: Sequence[str],
    audience: str | None,
    lang: str,
) -> ContactWords:
    """The label, link and details of one contact, in ``lang`` (the request's language)."""
    label, href = _label_and_href(kind, value, display, keyword, audience)
    details: list[str] = []
    seen = {_key(label)}
    for detail in (language_phrase(language_codes, lang), audience_phrase(audience), note):
        if detail and _key(detail) not in seen:
            seen.add(_key(detail))
            details.append(detail.strip())
    return ContactWords(label, href, tuple(details), external=kind in ("chat", "web"))
