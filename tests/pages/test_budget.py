"""The byte budget of a first visit: everything a phone downloads to show `/` (at most 50 KB)
and `/check`, `/plan` and `/taper` (at most 60 KB each), each file gzip-compressed at level 6
as a server would send it.

Counted: the HTML; every stylesheet, script, manifest and icon its <link>s and <script>s
name; and every ES module those scripts import, statically or with `import("./x.js")`,
followed recursively (so every component app.js can start counts, used on the page or not:
an upper bound). Run with `pytest -s` to see the figures.
"""

from __future__ import annotations

import pytest

from testkit.first_load import first_load

BUDGETS = {"/": 50_000, "/check": 60_000, "/plan": 60_000, "/taper": 60_000}


def fetch_with(client):
    """A `fetch` for first_load() through Flask's test client."""

    def fetch(url: str) -> tuple[str, bytes]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data()
        response.close()
        return response.content_type or "", body

    return fetch


def report(path: str, loaded: list[tuple[str, int, int]], budget: int) -> str:
    lines = [f"\nFirst load of {path} (budget {budget / 1000:.0f} KB sent; text gzip -6)"]
    lines += [f"  {gz:>7,} B sent {raw:>8,} B raw  {url}" for url, raw, gz in loaded]
    total_raw = sum(raw for _, raw, _ in loaded)
    total_gz = sum(gz for _, _, gz in loaded)
    lines.append(f"  {total_gz:>7,} B sent {total_raw:>8,} B raw  TOTAL ({len(loaded)} files)")
    return "\n".join(lines)


@pytest.mark.parametrize("path", list(BUDGETS))
def test_first_load_fits_the_byte_budget(client, path):
    loaded = first_load(fetch_with(client), path)
    print(report(path, loaded, BUDGETS[path]))
    urls = [url for url, _, _ in loaded]
    assert any(url.startswith("/static/css/app.css") for url in urls)
    assert "/static/js/selfcheck-scoring.js" in urls  # imported modules were followed
    assert "/manifest.webmanifest" in urls
    assert sum(gz for _, _, gz in loaded) <= BUDGETS[path]
