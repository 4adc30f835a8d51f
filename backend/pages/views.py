"""Home, privacy, the overdose card, the offline page, health checks and the PWA files."""

from __future__ import annotations

from babel import Locale
from flask import (
    Blueprint,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from backend.database import readiness
from backend.helplines.emergency import (
    emergency_number_for,
    emergency_numbers,
    general_emergency_number,
    international_directories,
)
from backend.helplines.records import fold
from backend.memory import remembered
from backend.pages import quick_exit
from backend.pages.first_aid import first_aid_page
from backend.sources import cited

blp = Blueprint("pages", __name__)


def country_name(code: str) -> str:
    """A country's name in the page's language (from CLDR, through Babel)."""
    locale = get_locale() or Locale("en")
    return locale.territories.get(code, code)


def country_choices() -> list[dict]:
    """Every country with an emergency number, by name in the page's language, with what a
    script needs to switch the page to it on the device (number, TTY, Quick exit)."""
    lang = g.get("lang", "en")
    choices = [
        {
            "code": n.country,
            "name": country_name(n.country),
            "number": n.number,
            "tty": n.tty,
            "exit": quick_exit.country_destination(lang, n.country),
        }
        for n in emergency_numbers()
    ]
    return sorted(choices, key=lambda choice: fold(choice["name"]))


@blp.app_context_processor
def _emergency_context() -> dict:
    return {
        "emergency": emergency_number_for(g.get("country")),
        "general_emergency": general_emergency_number(),
        # Other countries' lines, for a country with no confirmed line of its own.
        "international_directories": international_directories,
        "country_name": country_name,
        "country_choices": country_choices,
        # quick_exit_url(country): for the page's country; (None): the language's own site.
        "quick_exit_url": lambda country: quick_exit.destination_for(g.get("lang", "en"), country),
    }


@blp.get("/")
@remembered
def home():
    """The three choices."""
    return render_template("pages/home.html", title=_("You are not alone in this"))


@blp.get("/privacy")
@remembered
def privacy():
    """What is stored where, what is never stored, and how to delete it."""
    return render_template(f"pages/privacy.{g.lang}.html", title=_("Your privacy"))


@blp.get("/overdose")
@remembered
def overdose():
    """Overdose and seizure first aid: the signs and exactly what to do, pills not from a
    pharmacy, mixing, emergency numbers by country. Cached for offline use."""
    numbers = sorted(emergency_numbers(), key=lambda n: fold(country_name(n.country)))
    words = first_aid_page(g.lang)
    sources = cited(i for section in words["sections"] for i in section["sources"])
    return render_template(
        "pages/overdose.html", title=words["title"], words=words, numbers=numbers, sources=sources
    )


@blp.get("/delete-everything")
@remembered
def delete_everything():
    """Confirm before deleting everything Steady keeps on this device (reminders on the
    server too). The deleting is done by the page's script; without JavaScript the page says
    how to clear the site's data in the browser instead."""
    return render_template(
        "pages/delete_everything.html", title=_("Delete everything on this device")
    )


@blp.get("/offline")
@remembered
def offline():
    """Shown by the service worker when a page is not cached and the network is down."""
    return render_template("pages/offline.html", title=_("You are offline"))


@blp.get("/healthz")
def healthz():
    """Liveness: the process answers."""
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    """Readiness: the database answers and its schema is at the migrations' head."""
    ready, details = readiness()
    response = jsonify(status="ready" if ready else "not ready", **details)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope is the whole site.

    Its `__STEADY_VERSION__` placeholder becomes a hash of every static file, so a deploy
    that changes any of them installs a new worker with a new cache.
    """
    from backend.pages.offline import service_worker_source  # kept here: only this route uses it

    response = make_response(service_worker_source(current_app.static_folder))
    response.mimetype = "application/javascript"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@blp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: a neutral name and icon that say nothing about medicine, and
    three shortcuts (a long press on the icon), as discreet."""
    shortcuts = [
        {"name": _("Get help now"), "url": url_for("helplines.directory")},
        {"name": _("My plan"), "url": url_for("toolkit.plan")},
        {"name": _("Check in"), "url": url_for("reminder_pages.check_in")},
    ]
    response = make_response(render_template("manifest.webmanifest.j2", shortcuts=shortcuts))
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/robots.txt")
def robots():
    """Search engines may index the public pages, never the console or the API."""
    body = "User-agent: *\nDisallow: /admin\nDisallow: /api/\n"
    response = make_response(body)
    response.mimetype = "text/plain"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
