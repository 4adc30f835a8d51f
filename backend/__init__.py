"""Steady: the app factory. Nothing happens at import time."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


def create_app(config: dict | str | None = None) -> Flask:
    """Build the app: config → extensions → memory → blueprints → errors → cli.

    `config` is an environment name ("testing"), or a dict of settings laid over the
    settings of STEADY_ENV (or over "testing" when it holds TESTING=True).
    """
    from backend import config as config_module

    app = Flask(
        __name__,
        static_folder=str(FRONTEND / "static"),
        static_url_path="/static",
        template_folder=str(FRONTEND / "templates"),
    )
    if isinstance(config, dict):
        base = "testing" if config.get("TESTING") else None
        app.config.update(config_module.settings(base))
        app.config.update(config)
    else:
        app.config.update(config_module.settings(config))

    if app.config.get("TRUSTED_PROXY_HOPS"):
        # Trust exactly the configured number of proxies for client address and scheme, and
        # only in requests that come from one of them (proxies.py).
        from backend.proxies import TrustedProxies

        app.wsgi_app = TrustedProxies(
            app.wsgi_app,
            app.config["TRUSTED_PROXY_HOPS"],
            app.config.get("TRUSTED_PROXY_ADDRESSES", ("127.0.0.1", "::1")),
        )

    register_extensions(app)
    register_memory(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the request-wide policies (language, headers, proxies)."""
    from backend import assets, compression, database, i18n, requestlog, security
    from backend.accounts import auth as accounts_auth
    from backend.extensions import api, babel, db, limiter, migrate

    compression.init_app(app)  # first registered, so its after_request hook runs last
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(FRONTEND.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    api.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    requestlog.init_app(app)
    accounts_auth.init_app(app)


def register_memory(app: Flask) -> None:
    """What makes the pages and lists a process keeps in memory stale: the directory."""
    from backend.helplines.list_cache import watch_directory

    watch_directory(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area; the API resources hang off flask-smorest."""
    from backend.admin.views import blp as admin_views
    from backend.extensions import api
    from backend.guide.views import blp as guide_views
    from backend.helplines.api import blp as helplines_api
    from backend.helplines.api_proposals import blp as helpline_proposals_api
    from backend.helplines.views import blp as helplines_views
    from backend.pages.apidocs import blp as apidocs
    from backend.pages.views import blp as pages
    from backend.reminders.api import register as register_reminders_api
    from backend.reminders.views import blp as reminder_pages
    from backend.selfcheck.api import blp as selfcheck_api
    from backend.selfcheck.views import blp as selfcheck_views
    from backend.toolkit import register as register_toolkit

    app.register_blueprint(pages)
    app.register_blueprint(apidocs)
    app.register_blueprint(selfcheck_views)
    app.register_blueprint(guide_views)
    app.register_blueprint(helplines_views)
    app.register_blueprint(admin_views)
    app.register_blueprint(reminder_pages)
    register_toolkit(app)
    api.register_blueprint(selfcheck_api)
    api.register_blueprint(helplines_api)
    api.register_blueprint(helpline_proposals_api)
    register_reminders_api(api)


def register_errorhandlers(app: Flask) -> None:
    """One error policy: JSON under /api, pages elsewhere."""
    from backend import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """The `flask steady …` commands."""
    from backend import cli
    from backend.accounts.cli import operators
    from backend.helplines.cli import helplines as helplines_cli
    from backend.helplines.service import load_seed_if_empty
    from backend.pages.registry import list_pages
    from backend.reminders import cli as reminders_cli

    cli.steady.add_command(list_pages)
    app.cli.add_command(cli.steady)
    app.cli.add_command(helplines_cli)
    app.extensions.setdefault("steady.prepare", {})["helplines"] = load_seed_if_empty
    reminders_cli.init_app(app)
    app.cli.add_command(operators)
