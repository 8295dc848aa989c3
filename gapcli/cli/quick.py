"""The quick route: the commonest reads answered without importing typer.

``gapcli gaps --json`` in a status bar, ``gapcli today`` in a shell's start-up:
these run many times a day, and importing typer and building its command tree is
about two fifths of their time (``bench/run.py`` has the figures). So
:func:`answer` reads ``sys.argv`` against a small, strict grammar: the global ``--db``,
``--catalog`` and ``--profile``, then ``gaps [--all|-a] [--json]``, ``plan [--weeks|-w N]
[--days] [--json]``, ``history [--json]`` or ``today [--json]``, each option at most
once. It calls the same bodies (:mod:`gapcli.cli.reads`) and the same error
translation (:mod:`gapcli.cli.failure`) as the typer commands. Anything else
(help, completion, a misspelling, a value typer would refuse, any other option)
is declined, and typer answers it as always: the route never has an error
message of its own. ``tests/test_quick.py`` runs every form it accepts, and many
it must decline, both ways and compares the bytes and the exit codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.domain.numbers import parse_int

if TYPE_CHECKING:
    from gapcli.services.workspace import Workspace

COMPLETION_VARIABLE = "_GAPCLI_COMPLETE"  # click's shell completion asks through it


class Command(StrEnum):
    GAPS = "gaps"
    PLAN = "plan"
    HISTORY = "history"
    TODAY = "today"


# Each command's flags (no value) and options taking one value, as the typer
# commands spell them; "-a"/"-w" are the short forms typer declares.
FLAGS: dict[Command, dict[str, str]] = {
    Command.GAPS: {"--all": "all", "-a": "all", "--json": "json"},
    Command.PLAN: {"--days": "days", "--json": "json"},
    Command.HISTORY: {"--json": "json"},
    Command.TODAY: {"--json": "json"},
}
COMMANDS = frozenset(c.value for c in Command)
VALUED: dict[Command, dict[str, str]] = {Command.PLAN: {"--weeks": "weeks", "-w": "weeks"}}
GLOBAL_VALUED = {"--db": "db", "--catalog": "catalog", "--profile": "profile"}


class Call:
    """One accepted command line: the command, the global options and its own options."""

    def __init__(self, command: Command, paths: dict[str, str], options: dict[str, str]) -> None:
        self.command = command
        self.paths = paths
        self.options = options

    def workspace(self) -> Workspace:
        from gapcli.services.workspace import Workspace

        db, catalog = self.paths.get("db"), self.paths.get("catalog")
        return Workspace(
            db_option=db,  # as typed: a PostgreSQL URL must not become a Path
            catalog_option=Path(catalog) if catalog is not None else None,
            profile_option=self.paths.get("profile"),
        )

    def run(self) -> None:
        from gapcli.cli import reads

        ws = self.workspace()
        as_json = "json" in self.options
        if self.command is Command.GAPS:
            reads.show_gaps(ws, include_closed="all" in self.options, as_json=as_json)
        elif self.command is Command.PLAN:
            weeks = self.options.get("weeks")
            reads.show_plan(
                ws,
                reads.PlanOptions(
                    weeks=parse_int(weeks) if weeks is not None else None,
                    days="days" in self.options,
                    as_json=as_json,
                ),
            )
        elif self.command is Command.HISTORY:
            reads.show_history(ws, as_json=as_json)
        else:
            reads.show_today(ws, as_json=as_json)


def _value(args: list[str], token: str, names: dict[str, str]) -> tuple[str, str] | None:
    """``--name VALUE`` or ``--name=VALUE`` (popping VALUE from ``args``), else None."""
    name, equals, attached = token.partition("=")
    if name not in names or (equals and not name.startswith("--")):
        return None
    if equals:
        value = attached
    elif args:
        value = args.pop(0)
    else:
        return None
    if not value or value.startswith("-"):
        return None  # typer's answer (an error, or a value like "-x") is typer's to give
    return names[name], value


def parse(argv: Sequence[str]) -> Call | None:
    """The call ``argv`` asks for, if it is one of the quick forms; else None."""
    args = list(argv)
    paths: dict[str, str] = {}
    while args and args[0].startswith("-"):
        given = _value(args, args.pop(0), GLOBAL_VALUED)
        if given is None or given[0] in paths:
            return None
        paths[given[0]] = given[1]
    if not args or args[0] not in COMMANDS:
        return None
    command = Command(args.pop(0))
    options: dict[str, str] = {}
    while args:
        token = args.pop(0)
        if token in FLAGS[command]:
            key, value = FLAGS[command][token], ""
        else:
            given = _value(args, token, VALUED.get(command, {}))
            if given is None:
                return None
            key, value = given
        if key in options:
            return None
        options[key] = value
    weeks = options.get("weeks")
    if weeks is not None and not _positive(weeks):
        return None
    return Call(command, paths, options)


def _positive(text: str) -> bool:
    try:
        return parse_int(text) >= 1
    except ValueError:
        return False


def answer(argv: Sequence[str]) -> int | None:
    """Run ``argv`` by the quick route and return its exit code, or None to decline."""
    if COMPLETION_VARIABLE in os.environ:
        return None
    call = parse(argv)
    if call is None:
        return None
    from gapcli.cli.failure import exit_code, silence_stdout

    try:
        call.run()
        code = 0
    except (Exception, KeyboardInterrupt) as exc:
        code = exit_code(exc)
    try:
        sys.stdout.flush()  # what is still buffered, while a broken pipe can be handled
    except BrokenPipeError:
        silence_stdout()
    return code
