"""Where Quick exit goes: a neutral site that fits the person's country, else their language.

The destinations are data (`quick_exit.json` beside this module, with where each was
checked), read once per process. `QUICK_EXIT_URL`, when configured, sends everyone to one
site instead (a deployment's own choice; the tests use it for a fake site).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import current_app

SOURCE = Path(__file__).resolve().parent / "quick_exit.json"


@cache
def _destinations() -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    by_country = {code: entry["url"] for code, entry in data["countries"].items()}
    by_language = {code: entry["url"] for code, entry in data["languages"].items()}
    return by_country, by_language


def destination_for(lang: str, country: str | None) -> str:
    """The neutral site for a page in ``lang`` shown for ``country``."""
    configured = current_app.config.get("QUICK_EXIT_URL")
    if configured:
        return configured
    by_country, by_language = _destinations()
    return by_country.get(country or "") or by_language.get(lang) or by_language["en"]


def country_destination(lang: str, country: str) -> str | None:
    """The site for ``country`` when it differs from the language's own (the country
    control carries it, so a country chosen on the device moves Quick exit too)."""
    if current_app.config.get("QUICK_EXIT_URL"):
        return None
    by_country, by_language = _destinations()
    own = by_country.get(country)
    return own if own and own != by_language.get(lang) else None
