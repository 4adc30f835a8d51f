"""What a phone downloads on its first visit to a page, counted the way a server sends it.

Shared by tests/pages/test_budget.py (the byte budget, through Flask's test client) and
bench/pages.py (over HTTP): the HTML; every stylesheet, script, manifest and icon its <link>s
and <script>s name; and every ES module those scripts import, statically or with
`import("./x.js")`, followed recursively. Text is gzip-compressed at level 6.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

LINK_RELS = {"stylesheet", "manifest", "icon", "apple-touch-icon", "modulepreload", "preload"}
# `import x from "./a.js"`, `import "./a.js"`, `export … from "./a.js"`, `import("./a.js")`.
MODULE_IMPORT = re.compile(
    r"""(?:\bimport\s*\(\s*|\bimport\s+(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+[\w*{}\s,$]+\s+from\s+)
        ["'](\.{1,2}/[^"']+)["']""",
    re.VERBOSE,
)


class _PageFiles(HTMLParser):
    """The files a page's markup asks for on load."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rels = set((a.get("rel") or "").lower().split())
        if tag == "link" and rels & LINK_RELS and a.get("href"):
            self.files.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.files.append(a["src"])


def sent_size(body: bytes, content_type: str) -> int:
    """Bytes on the wire: text gzip-compressed at level 6; images (already compressed) as is."""
    if content_type.startswith("text/") or re.search(r"javascript|json|svg|xml", content_type):
        return len(gzip.compress(body, compresslevel=6, mtime=0))
    return len(body)


def first_load(fetch, path: str) -> list[tuple[str, int, int]]:
    """(url, raw bytes, bytes sent) for the page and every file its first load fetches.

    `fetch(url)` returns (content type, body); bench/pages.py passes one that uses HTTP.
    """
    content_type, html = fetch(path)
    parser = _PageFiles()
    parser.feed(html.decode())
    loaded = [(path, len(html), sent_size(html, content_type))]
    pending = [urljoin(path, href) for href in parser.files]
    seen: set[str] = set()
    while pending:
        url = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        assert not urlsplit(url).netloc, f"{path} loads {url} from another host"
        content_type, body = fetch(url)
        loaded.append((url, len(body), sent_size(body, content_type)))
        if url.split("?")[0].endswith(".js"):
            pending += [urljoin(url, module) for module in MODULE_IMPORT.findall(body.decode())]
    return loaded
