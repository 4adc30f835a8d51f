"""Language and country for each request, without cookies or IP look-ups.

The language comes from `?lang=` in the URL (an explicit choice, carried on every link),
else from the browser's Accept-Language. The country (for emergency numbers and
helplines) comes from `?country=`, else from the region in Accept-Language (es-MX → MX),
else from nothing: then the page offers the general advice and a country picker.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, g, request, url_for

# Regions a language tag may name that are not ISO 3166-1 codes we use.
_REGION_ALIASES = {"UK": "GB"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return g.get("lang") or _resolve_language()


def _resolve_language() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang", "")
    if asked in languages:
        return asked
    return request.accept_languages.best_match(languages) or languages[0]


def _resolve_country() -> str | None:
    asked = request.args.get("country", "").strip().upper()
    if _COUNTRY.match(asked):
        return _REGION_ALIASES.get(asked, asked)
    for tag, _quality in request.accept_languages:
        parts = re.split(r"[-_]", tag)
        for part in parts[1:]:
            if len(part) == 2 and part.isalpha():
                region = part.upper()
                return _REGION_ALIASES.get(region, region)
    return None


def link(endpoint: str, **values) -> str:
    """`url_for` that keeps an explicit language (and country) choice on the link."""
    if g.get("lang_explicit") and "lang" not in values:
        values["lang"] = g.lang
    if g.get("country_explicit") and "country" not in values:
        values["country"] = g.country
    return url_for(endpoint, **values)


def in_language(code: str, **options) -> str:
    """This page in another language, keeping every query parameter (country, filters)."""
    values = {key: value for key, value in request.args.items() if key != "lang"}
    values.update(request.view_args or {}, lang=code, **options)
    return url_for(request.endpoint or "pages.home", **values)


def init_app(app: Flask) -> None:
    """Resolve language and country before every request; expose them to templates."""

    @app.before_request
    def _choose_language_and_country() -> None:
        g.lang = _resolve_language()
        g.lang_explicit = request.args.get("lang") in app.config["LANGUAGES"]
        g.country = _resolve_country()
        g.country_explicit = bool(_COUNTRY.match(request.args.get("country", "").upper()))

    @app.after_request
    def _vary_on_language(response):
        if not request.path.startswith(("/static/", "/api/openapi")):
            response.vary.add("Accept-Language")
        return response

    app.jinja_env.globals["link"] = link
    app.jinja_env.globals["in_language"] = in_language

    @app.context_processor
    def _template_helpers() -> dict:
        return {"lang": g.get("lang", "en"), "country": g.get("country")}
