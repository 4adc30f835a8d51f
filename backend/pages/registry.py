"""The public pages: every HTML page a person can open without signing in, read from the URL
map, so a page added later is on the list without anyone remembering to add it.

One list for everything that wants "every public page": bench/lighthouse.sh (through
`flask steady pages`), the layout-shift browser test, and the tests that keep the list honest
(tests/pages/test_registry.py: each page answers HTML, every other HTML page is signed-in or
API documentation, and the service worker keeps each one for offline use).
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

# Routes a person opens by GET without arguments that are not pages: health checks, files
# for the browser (service worker, manifest, robots.txt) and static files.
NOT_PAGES = frozenset(
    {
        "pages.healthz",
        "pages.readyz",
        "pages.manifest",
        "pages.robots",
        "pages.service_worker",
        "static",
    }
)
# The operators' console (sign-in) and the API with its developer documentation.
NOT_PUBLIC = ("/admin", "/api")


def public_pages(app: Flask) -> list[str]:
    """The path of every public page, home first, the rest in alphabetical order."""
    paths = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and rule.endpoint not in NOT_PAGES
        and not rule.rule.startswith(NOT_PUBLIC)
    }
    return sorted(paths, key=lambda path: (path != "/", path))


@click.command("pages")
@with_appcontext
def list_pages() -> None:
    """List every public page, one path a line (bench/lighthouse.sh measures each)."""
    for path in public_pages(current_app):
        click.echo(path)
