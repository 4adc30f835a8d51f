"""`flask steady …`: set-up commands that `make run` uses."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade


@click.group()
def steady() -> None:
    """Set up and look after a Steady installation."""


@steady.command("prepare")
@with_appcontext
def prepare() -> None:
    """Bring a fresh checkout to life: migrate, load demo data if empty, make dev keys."""
    upgrade(revision="heads")
    click.echo("Database is at the latest migration.")
    for name, step in current_app.extensions.get("steady.prepare", {}).items():
        click.echo(f"{name}: {step()}")
