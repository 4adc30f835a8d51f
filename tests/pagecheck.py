"""The page checker every rendered page passes through (after GOV.UK Notify admin's).

It asserts: the <html> has a lang; exactly one <h1>; the <title> starts with the <h1>'s
text; no duplicate ids; every form has an action (and, under /admin, a CSRF token on POST
forms); every <img> has an alt; no inline script or style (the CSP forbids them); nothing
loaded from another host.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

LOADING_ATTRIBUTES = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")}


@dataclass
class PageFacts:
    lang: str | None = None
    title: str = ""
    h1: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)
    images_without_alt: int = 0
    inline_scripts: int = 0
    inline_styles: int = 0
    external_loads: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in: list[str] = []
        self._text = ""
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.facts.ids.append(a["id"])
        if "style" in a:
            self.facts.inline_styles += 1
        if tag == "html":
            self.facts.lang = a.get("lang")
        if tag in ("title", "h1"):
            self._in.append(tag)
            self._text = ""
        if tag == "form":
            self._form = {
                "action": a.get("action"),
                "method": (a.get("method") or "get").lower(),
                "inputs": [],
            }
            self.facts.forms.append(self._form)
        if tag == "input" and self._form is not None:
            self._form["inputs"].append(a.get("name"))
        if tag == "img" and "alt" not in a:
            self.facts.images_without_alt += 1
        if (
            tag == "script"
            and "src" not in a
            and a.get("type") not in ("application/json", "application/ld+json")
        ):
            self.facts.inline_scripts += 1
        if tag == "style":
            self.facts.inline_styles += 1
        for t, attribute in LOADING_ATTRIBUTES:
            external = re.match(r"^(https?:)?//", a.get(attribute) or "")
            if tag == t and external and a.get("rel") != "alternate":
                self.facts.external_loads.append(a[attribute])

    def handle_endtag(self, tag):
        if self._in and tag == self._in[-1]:
            self._in.pop()
            text = " ".join(self._text.split())
            if tag == "title":
                self.facts.title = text
            else:
                self.facts.h1.append(text)
        if tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._in:
            self._text += data


def read_page(html: str) -> PageFacts:
    reader = _Reader()
    reader.feed(html)
    return reader.facts


def check_page(html: str, path: str = "") -> PageFacts:
    """Assert the house rules on one rendered page; return what was read."""
    facts = read_page(html)
    assert facts.lang, f"{path}: <html> has no lang"
    assert len(facts.h1) == 1, f"{path}: expected one <h1>, found {facts.h1}"
    assert facts.title.startswith(facts.h1[0]), (
        f"{path}: title {facts.title!r} ≠ h1 {facts.h1[0]!r}"
    )
    duplicates = [i for i, n in Counter(facts.ids).items() if n > 1]
    assert not duplicates, f"{path}: duplicate ids {duplicates}"
    for form in facts.forms:
        assert form["action"], f"{path}: a form has no action"
        if path.startswith("/admin") and form["method"] == "post":
            assert "csrf_token" in form["inputs"], f"{path}: POST form without CSRF token"
    assert facts.images_without_alt == 0, f"{path}: images without alt"
    assert facts.inline_scripts == 0, f"{path}: inline scripts"
    assert facts.inline_styles == 0, f"{path}: inline styles"
    assert not facts.external_loads, f"{path}: loads from other hosts {facts.external_loads}"
    return facts
