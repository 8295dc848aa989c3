"""``gapcli db``: where the database is, whether it is sound, backups and restores."""

from pathlib import Path
from typing import Annotated

import typer

from gapcli.cli.common import ForceFlag, HintCommand, HintGroup, JsonFlag, export_json, workspace

app = typer.Typer(
    cls=HintGroup,
    help="Look after the database: path, check, backup, restore.",
    epilog="\b\nExamples:\n  gapcli db path\n  gapcli db check\n"
    "  gapcli db backup ~/gapcli-backup.db",
    no_args_is_help=True,
)


def _line(text: str) -> None:
    """One plain line on stdout: paths are never wrapped at the terminal width."""
    from gapcli.render.sanitize import clean

    typer.echo(clean(text, keep_newlines=False))


@app.command("path", cls=HintCommand)
def path(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Print the database file gapcli uses (whether or not it exists yet).

    \b
    Examples:
      gapcli db path
      GAPCLI_DB=./me.db gapcli db path --json
    """
    ws = workspace(ctx)
    if json_:
        from gapcli.render.json_data import emit_json

        if ws.on_server:  # the URL, its password masked; whether it exists means a query
            emit_json({"path": ws.db_label, "exists": None})
        else:
            emit_json({"path": str(ws.db_path), "exists": ws.db_path.exists()})
    else:
        _line(ws.db_label)


@app.command("check", cls=HintCommand)
def check(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Run SQLite's integrity check and gapcli's own consistency checks.

    Exit status 1 when a problem is found. Read-only.

    \b
    Examples:
      gapcli db check
      gapcli db check --json
    """
    from gapcli.domain.words import plural
    from gapcli.render.json_data import emit_json
    from gapcli.render.terminal import notice
    from gapcli.services.dbadmin import check_database, report_json

    report = check_database(workspace(ctx))
    if json_:
        emit_json(report_json(report))
    else:
        status = "ok" if report.ok else "PROBLEMS FOUND"
        _line(f"{report.path}: {status}")
        for line in report.integrity + report.problems:
            _line(f"  problem: {line}")
        counts = ", ".join(
            plural(n, f"{t.replace('_', ' ')} row") for t, n in report.counts.items()
        )
        if counts:
            _line(f"  {counts}")
    for warning in report.warnings:
        notice(f"warning: {warning}")
    if not report.ok:
        raise typer.Exit(1)


@app.command("backup", cls=HintCommand)
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the backup.")],
    force: ForceFlag = False,
) -> None:
    """Copy the database with SQLite's online backup (safe while gapcli writes).

    \b
    Examples:
      gapcli db backup ~/gapcli-2026-11-23.db
    """
    from gapcli.services.dbadmin import backup_database

    written = backup_database(workspace(ctx), file, force, export_json)
    _line(f"Backed up {workspace(ctx).db_label} to {written}")


@app.command("restore", cls=HintCommand)
def restore(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A backup written by 'gapcli db backup' or "
            "taken automatically before a migration."
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Replace the database with a backup; the current one is backed up first.

    \b
    Examples:
      gapcli db restore ~/gapcli-2026-11-23.db --yes
    """
    import sys

    from gapcli.services.dbadmin import restore_database

    ws = workspace(ctx)
    if not yes:
        if not sys.stdin.isatty():
            from gapcli.errors import InvalidValue

            raise InvalidValue("restore replaces your data; add --yes to confirm")
        from gapcli.cli import confirm

        confirm(f"Replace {ws.db_label} with {file}?")
    restored = restore_database(ws, file, export_json)
    _line(f"Restored {ws.db_label} from {file}")
    if restored.kept is None:
        return
    if restored.damaged:
        _line(f"  the damaged file, as it was, is kept in {restored.kept}")
    else:
        _line(f"  the previous content is kept in {restored.kept}")
