"""The typer application: every command and option, parsed and validated by typer.

This module imports typer and the standard library only; each command imports
what it needs inside its function, so ``gapcli --help`` stays cheap. The
command modules do without ``from __future__ import annotations``: typer would
evaluate every annotation string on each run to build the command tree, ``--help``
included; annotations naming a type imported only for type checking are quoted
instead. Commands and groups are declared with ``gapcli.cli.common``'s
``HintCommand`` and ``HintGroup`` so that a global option given after the command
gets a hint; option processing and validation are typer's own.

Exit codes: 0 success, 1 refused input or a data problem (one line on stderr),
2 usage error (typer/click), 130 interrupted. A reader that stops reading early
(``gapcli plan | head``) is not an error: the command ends at once with 0, as
``git log | head`` does (see :func:`reader_gone`).
"""

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.exceptions import TyperException

from gapcli import __version__
from gapcli.cli.common import HintCommand, HintGroup
from gapcli.cli.failure import INTERRUPTED, exit_code, silence_stdout, write_errors


def fail(message: str | list[str], code: int = 1) -> NoReturn:
    """Print one line per problem on stderr (:func:`gapcli.cli.failure.write_errors`), exit."""
    write_errors(message)
    raise typer.Exit(code)


def ask(question: str, default: str = "") -> str:
    """One answer from stdin; the question goes to stderr and nothing to stdout.

    Not ``typer.prompt``/``typer.confirm``: even with ``err=True`` they call
    ``input(" ")``, which writes a space to stdout (data, maybe piped to a file)
    for every question. Ctrl-C or end of input raise ``typer.Abort``, as click's
    prompts do; ``GapGroup`` reports it as an interruption (exit 130).
    """
    shown = f"{question} [{default}]: " if default else f"{question}: "
    sys.stderr.write(shown)
    sys.stderr.flush()
    try:
        line = sys.stdin.readline()
    except KeyboardInterrupt:
        raise typer.Abort() from None
    if not line:
        raise typer.Abort()
    return line.strip() or default


def confirm(question: str) -> None:
    """Ask a yes/no question on stderr; anything but yes stops the command.

    "No" is a refusal (exit 1, one line), not click's "Aborted!", which it also
    prints for Ctrl-C.
    """
    while True:
        answer = ask(f"{question} [y/N]").lower()
        if answer in ("y", "yes"):
            return
        if answer in ("", "n", "no"):
            fail("you answered no; nothing was changed")
        sys.stderr.write("Please answer y or n.\n")


def reader_gone() -> NoReturn:
    """stdout's reader closed the pipe (``gapcli plan | head -1``): stop, exit 0.

    The reader got what it wanted, so this is success and says nothing on stderr.
    click and rich would exit 1 here, which under ``set -o pipefail`` fails a script
    that only wanted the first line. Every output path ends here: a plain write, a
    rich console (see ``gapcli.render.terminal``), click's help and ``--version``.
    A write command prints only after its transaction committed, so 0 stays true.
    """
    silence_stdout()
    raise typer.Exit(0)


class GapGroup(HintGroup):
    """Translates every gapcli error, once, for all commands and sub-commands."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        # --help and --version print while the group parses its arguments, before
        # invoke: their broken pipe would reach click, which exits 1.
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            reader_gone()

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.Abort:
            # click's prompts turn Ctrl-C and end of input into Abort (click alone
            # would print "Aborted!" and exit 1). The cursor is still on the prompt.
            sys.stderr.write("\n")
            fail("interrupted; nothing was saved", INTERRUPTED)
        except (typer.Exit, TyperException):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            raise typer.Exit(exit_code(exc)) from None


app = typer.Typer(
    cls=GapGroup,
    name="gapcli",
    epilog="Start with: gapcli init   (to look around first: gapcli init --demo, "
    "which goes to its own file)",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _profile_names(ctx: typer.Context, incomplete: str) -> list[str]:
    from gapcli.cli.completion import profile_names

    return profile_names(ctx, incomplete)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"gapcli {__version__}\n")
        raise typer.Exit()


def _db_value(value: str | None) -> str | None:
    """``--db`` is taken as the string given (a Path folds ``postgresql://``); a file
    that is there must be readable, as typer checks a Path option."""
    if value is None or "://" in value:
        return value
    import os

    path = Path(value).expanduser()
    if path.exists() and not os.access(path, os.R_OK):
        raise typer.BadParameter(f"File '{value}' is not readable.")
    return value


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=(
                "Database file, or postgresql://user@host:port/dbname "
                "(default: $GAPCLI_DB, else your user data dir)."
            ),
            show_default=False,
            callback=_db_value,
        ),
    ] = None,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            help="Catalog YAML to use instead of the built-in AI catalog (also $GAPCLI_CATALOG).",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="Which learner of the database (default: $GAPCLI_PROFILE, else the only one).",
            show_default=False,
            autocompletion=_profile_names,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Track the gaps between what you know and what you want to know.

    \b
    Examples:
      gapcli init --track ai-engineer   create your profile
      gapcli catalog list               what there is to learn
      gapcli init --demo                the example learner, in its own file (demo.db)
    """
    # The options alone: a sub-command's --help ends before any command needs the
    # workspace, so it is built on first use (gapcli.cli.common.workspace).
    ctx.obj = (db, catalog, profile)


def _register() -> None:
    from gapcli.cli import (
        assess_cmd,
        away_cmd,
        catalog_cmd,
        config_cmd,
        db_cmd,
        export_cmd,
        init_cmd,
        notes_cmd,
        plan_cmd,
        profiles_cmd,
        progress_cmd,
        reset_cmd,
        review_cmd,
        roadmap_cmd,
        team_cmd,
        today_cmd,
    )

    app.command("init", cls=HintCommand)(init_cmd.init)
    app.command("assess", cls=HintCommand)(assess_cmd.assess)
    app.command("gaps", cls=HintCommand)(assess_cmd.gaps)
    app.command("plan", cls=HintCommand)(plan_cmd.plan)
    app.command("today", cls=HintCommand)(today_cmd.today)
    app.command("roadmap", cls=HintCommand)(roadmap_cmd.roadmap)
    app.command("log-progress", cls=HintCommand)(progress_cmd.log_progress)
    app.add_typer(progress_cmd.history_app, name="history")
    app.command("undo", cls=HintCommand)(progress_cmd.undo)
    app.add_typer(away_cmd.app, name="away")
    app.command("note", cls=HintCommand)(notes_cmd.note)
    app.command("notes", cls=HintCommand)(notes_cmd.notes)
    app.command("review", cls=HintCommand)(review_cmd.review)
    app.command("reviews", cls=HintCommand)(review_cmd.reviews)
    app.command("read", cls=HintCommand, context_settings={"ignore_unknown_options": True})(
        notes_cmd.read
    )
    app.command("export", cls=HintCommand)(export_cmd.export)
    app.command("import", cls=HintCommand)(export_cmd.import_)
    app.add_typer(config_cmd.app, name="config")
    app.add_typer(catalog_cmd.app, name="catalog")
    app.add_typer(db_cmd.app, name="db")
    app.command("reset", cls=HintCommand)(reset_cmd.reset)
    app.command("profiles", cls=HintCommand)(profiles_cmd.profiles)
    app.add_typer(profiles_cmd.app, name="profile")
    app.add_typer(team_cmd.app, name="team")


_register()


def run() -> int:
    """Run the whole typer application on ``sys.argv``; return the exit code."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:
        code = 0
    try:
        sys.stdout.flush()  # what is still buffered, while a broken pipe can be handled
    except BrokenPipeError:
        silence_stdout()
    return code
