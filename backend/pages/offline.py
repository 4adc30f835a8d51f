"""The service worker's version: one hash of everything under the static folder.

`/sw.js` is served with `__STEADY_VERSION__` replaced by this hash. Any change to any static
file (the service worker itself included) changes the script's bytes, so browsers install the
new worker, which precaches afresh under a new cache name and deletes the old caches.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

VERSION_PLACEHOLDER = "__STEADY_VERSION__"


@cache
def static_version(static_folder: str) -> str:
    """A short hash of the names and contents of every file under `static_folder`.

    Computed once per process: a deploy starts new processes, and the files do not change
    under a running one.
    """
    root = Path(static_folder)
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for part in (path.relative_to(root).as_posix().encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))  # length-prefixed: no two trees collide
            digest.update(part)
    return digest.hexdigest()[:16]


def service_worker_source(static_folder: str) -> str:
    """The text of `sw.js` with its version placeholder filled in."""
    text = (Path(static_folder) / "sw.js").read_text(encoding="utf-8")
    return text.replace(VERSION_PLACEHOLDER, static_version(static_folder))
