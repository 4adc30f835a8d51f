"""Where the product's facts come from: every official source once, cited by id.

`sources.json` beside this module holds each source (who, what, its address, the date it was
read); the overdose and seizure page, the family page and the self-check's content cite them
by id, and the pages list what they cite under "Where this comes from". Read once per process.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "sources.json"


@cache
def sources() -> dict[str, dict]:
    """Every source by id: by, title, url, read_on (ISO date)."""
    return json.loads(SOURCE.read_text(encoding="utf-8"))["sources"]


def cited(ids) -> list[dict]:
    """The sources for ``ids``, each once, in the order first cited (``read_on`` a date)."""
    seen: dict[str, dict] = {}
    for source_id in ids:
        source = sources()[source_id]
        read_on = date.fromisoformat(source["read_on"])
        seen.setdefault(source_id, {**source, "id": source_id, "read_on": read_on})
    return list(seen.values())
