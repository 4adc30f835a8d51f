"""The words of the overdose and seizure page, in each language.

`content/overdose.<lang>.json` holds the page in each language: the same sections, steps and
sources in each (`first_aid_page()` checks that on load, and that every source it cites is in
backend/sources.json). Read once per process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from backend.sources import sources

CONTENT = Path(__file__).resolve().parent / "content"


class FirstAidContentError(RuntimeError):
    """A language's first-aid page does not match the English one, or cites a missing source."""


def _shape(page: dict) -> list:
    """What must be the same in every language: sections, their parts and their sources."""
    return [
        (
            section["id"],
            sorted(k for k in section if k not in ("heading", "intro", "alert")),
            len(section.get("steps", ())),
            len(section.get("list", ())),
            len(section.get("call_list", ())),
            section["sources"],
        )
        for section in page["sections"]
    ]


@cache
def first_aid_page(lang: str) -> dict:
    """The overdose and seizure page's words in ``lang``, checked against English."""
    page = json.loads((CONTENT / f"overdose.{lang}.json").read_text(encoding="utf-8"))
    if lang != "en" and _shape(page) != _shape(first_aid_page("en")):
        raise FirstAidContentError(f"overdose.{lang}.json does not match overdose.en.json")
    missing = {i for s in page["sections"] for i in s["sources"]} - set(sources())
    if missing:
        raise FirstAidContentError(f"unknown sources: {', '.join(sorted(missing))}")
    return page
