"""`flask helplines …`: import and export the directory from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from backend.audit import Actor
from backend.helplines import service
from backend.helplines.imports import SEED, SEED_VERIFIER

ACTIONS = ("create", "update", "unchanged")


@click.group("helplines")
def helplines() -> None:
    """Look after the helpline directory."""


def _format(path: Path, fmt: str | None) -> str:
    return fmt or ("csv" if path.suffix.lower() == ".csv" else "json")


def _report(preview: service.ImportPreview) -> None:
    for problem in preview.file_errors:
        click.echo(f"file: {problem}", err=True)
    for row in preview.rows:
        for field, messages in row.errors.items():
            for message in messages:
                click.echo(f"line {row.line}, {field}: {message}", err=True)


@helplines.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "hsds"]), help="Default: by suffix."
)
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
@with_appcontext
def import_command(path: Path, fmt: str | None, dry_run: bool) -> None:
    """Import helplines from a CSV, JSON or HSDS file: all of them, or none if any row is wrong.

    Importing the seed file (backend/helplines/seed/helplines.json) stamps its "official"
    lines as verified on the date they were checked; other files verify nothing. Changes to
    a priority line's contacts wait for an operator's approval in the console.
    """
    fmt, raw = _format(path, fmt), path.read_bytes()
    if dry_run:
        preview = service.preview_import(raw, fmt)
        _report(preview)
        counts = {a: sum(1 for r in preview.rows if r.action == a) for a in ACTIONS}
        for row in preview.rows:
            for change in row.changes:
                click.echo(f"line {row.line}, {change.label}: {change.before} → {change.after}")
        click.echo(
            f"{len(preview.rows)} rows: {counts['create']} to create, {counts['update']} to "
            f"update, {counts['unchanged']} unchanged; "
            f"{'no problems' if preview.ok else f'{preview.error_count} with problems'}."
        )
        raise SystemExit(0 if preview.ok else 1)
    verified_by = SEED_VERIFIER if path.resolve() == SEED.resolve() else None
    try:
        result = service.apply_import(
            raw, fmt, Actor(None, f"import ({path.name})"), verified_by=verified_by
        )
    except service.ImportRejected as rejected:
        _report(rejected.preview)
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1) from None
    click.echo(
        f"Imported: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged."
        + (f" {result.proposed} waiting for approval." if result.proposed else "")
    )


@helplines.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "hsds"]), default="json")
@with_appcontext
def export_command(fmt: str) -> None:
    """Write every helpline (archived ones too) to standard output."""
    if fmt == "csv":
        click.echo(service.export_csv(), nl=False)
    elif fmt == "hsds":
        click.echo(json.dumps(service.export_hsds(), ensure_ascii=False, indent=2))
    else:
        click.echo(json.dumps(service.export_json(), ensure_ascii=False, indent=2))
