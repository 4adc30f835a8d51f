"""`flask reminders send-due|run` (the worker) and `flask push keys` (a VAPID key pair)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from backend import config
from backend.extensions import db
from backend.reminders import service
from backend.reminders.dispatch import Dispatcher
from backend.reminders.push import PushSender
from backend.reminders.vapid import (
    PushNotConfigured,
    application_server_key,
    load_vapid,
    new_vapid_pem,
)

log = logging.getLogger(__name__)
PRUNE_EVERY = 3600.0  # seconds between clean-ups of old occurrences


@click.group()
def reminders() -> None:
    """Send check-in reminders."""


@click.group()
def push() -> None:
    """Web Push set-up."""


def _sender() -> PushSender:
    """The sender, or a clear refusal when there is no VAPID key."""
    try:
        return PushSender.from_app(current_app)
    except PushNotConfigured as error:
        raise click.ClickException(str(error)) from None


def _summary(counts) -> str:
    names = (
        "sent", "deleted", "rejected", "retrying", "waiting", "postponed", "failed", "skipped",
        "superseded",
    )  # fmt: skip
    return ", ".join(f"{name} {counts.get(name, 0)}" for name in names)


@reminders.command("send-due")
@with_appcontext
def send_due() -> None:
    """Send every reminder that is due now, print the counts and exit."""
    with _sender() as sender:
        counts = Dispatcher.from_app(current_app, sender).send_due()
    click.echo(_summary(counts))


@reminders.command("forget-refused")
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=1))
@click.option("--dry-run", is_flag=True, help="Count them; delete nothing.")
@with_appcontext
def forget_refused(days: int, dry_run: bool) -> None:
    """Delete subscriptions refused 401/403 with nothing delivered for --days (after a
    VAPID key rotation: people who never came back to subscribe again)."""
    count = service.forget_refused(days, apply=not dry_run)
    done = "would be deleted (dry run)" if dry_run else "deleted"
    click.echo(
        f"{count} subscription{'s' * (count != 1)} refused by their push service (401/403) "
        f"with nothing delivered for {days} days: {done}"
    )


@reminders.command("run")
@with_appcontext
def run() -> None:
    """Send reminders as they fall due until SIGTERM or SIGINT (the Procfile's worker).

    On a signal it claims nothing more, records the sends in flight, and exits.
    """
    if not logging.getLogger().handlers:  # warnings and refusals reach the process log
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    poll = float(current_app.config["REMINDERS_POLL_SECONDS"])
    pruned_at = 0.0
    with _sender() as sender:
        dispatcher = Dispatcher.from_app(current_app, sender)
        click.echo("Reminder worker started.")
        while not stop.is_set():
            try:
                if time.monotonic() - pruned_at > PRUNE_EVERY:
                    dispatcher.prune()
                    pruned_at = time.monotonic()
                counts = dispatcher.send_due(stop)
            except OperationalError:  # the database went away for a moment: wait and go on
                db.session.rollback()
                log.warning("database unavailable; the reminder worker will try again")
                counts = None
            if counts:
                click.echo(_summary(counts))
            stop.wait(0 if counts else poll)
    click.echo("Reminder worker stopped.")


def write_private_key(path: Path) -> str:
    """Write a new VAPID private key (PEM, mode 0600) to `path`; return the public key."""
    pem, public_key = new_vapid_pem()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return public_key


@push.command("keys")
@click.option("--if-missing", is_flag=True, help="Keep an existing key file; print its key.")
@click.option(
    "--path",
    "--out",
    "path_option",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the private key (default: VAPID_PRIVATE_KEY_FILE).",
)
def keys(if_missing: bool, path_option: Path | None) -> None:
    """Generate a VAPID key pair: a PEM private key file, and the public key printed.

    It needs no app (production will not start without a key: this makes the first one).
    Installed as a Flask plugin command (pyproject.toml), so `flask push keys` finds it
    without building the app.
    """
    path = path_option or Path(config.vapid_key_file())
    if path.exists():
        if not if_missing:
            raise click.ClickException(f"{path} exists; remove it first or pass --if-missing")
        public_key = application_server_key(load_vapid({"VAPID_PRIVATE_KEY_FILE": str(path)}))
        click.echo(f"Kept the VAPID key in {path}.")
    else:
        public_key = write_private_key(path)
        click.echo(f"Wrote a new VAPID private key to {path} (mode 0600).")
    click.echo(f"Application server key: {public_key}")


def _prepare_push_keys(app: Flask) -> str:
    """`flask steady prepare`: a development VAPID key under instance/ when there is none."""
    if app.config.get("VAPID_PRIVATE_KEY"):
        return "VAPID key from VAPID_PRIVATE_KEY"
    path = Path(app.config["VAPID_PRIVATE_KEY_FILE"])
    if path.exists():
        return f"VAPID key in {path}"
    if app.config.get("ENV_NAME") != "development":
        return f"no VAPID key at {path}: run `flask push keys`"
    write_private_key(path)
    return f"new development VAPID key in {path}"


def init_app(app: Flask) -> None:
    """Add the command groups and the `flask steady prepare` step."""
    app.cli.add_command(reminders)
    app.cli.add_command(push)
    app.extensions.setdefault("steady.prepare", {})["push keys"] = lambda: _prepare_push_keys(app)
