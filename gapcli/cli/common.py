"""Pieces every command module shares: the workspace and common options."""

from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from gapcli.domain.echo import quoted
from gapcli.domain.numbers import parse_float, parse_int

if TYPE_CHECKING:
    from gapcli.services.workspace import Workspace
    from gapcli.views.export import Export

JsonFlag = Annotated[bool, typer.Option("--json", help="Write JSON to stdout instead of a table.")]
ForceFlag = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
YesFlag = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
NewProfile = Annotated[
    str | None,
    typer.Option(
        "--profile",
        help="Name of the new learner in this database (1-40 letters, digits, - _ .; "
        "default: the global --profile, else your user name).",
        show_default=False,
    ),
]


def plain_float(text: str) -> float:
    """A number as typed on a keyboard: typer would read ``1_0`` as 10, and ``١٠`` too."""
    try:
        return parse_float(text)
    except ValueError:
        raise typer.BadParameter(f"{quoted(text)} is not a number like 1.5 (digits 0-9)") from None


def plain_int(text: str) -> int:
    """A whole number as typed on a keyboard (no ``1_0``, no non-ASCII digits)."""
    try:
        return parse_int(text)
    except ValueError:
        raise typer.BadParameter(f"{quoted(text)} is not a whole number (digits 0-9)") from None


def positive_int(text: str) -> int:
    """A whole number of at least 1 (typer's ``min=`` does not apply with a parser)."""
    value = plain_int(text)
    if value < 1:
        raise typer.BadParameter(f"{value} is not at least 1")
    return value


def workspace(ctx: typer.Context) -> "Workspace":
    from gapcli.services.workspace import Workspace

    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, Workspace):
        # The app callback left (--db, --catalog, --profile); a command invoked without
        # it (tests of one command) left nothing.
        db, catalog, profile = obj if isinstance(obj, tuple) else (None, None, None)
        obj = Workspace(db_option=db, catalog_option=catalog, profile_option=profile)
        root.obj = obj
    return obj


def export_json(data: "Export") -> dict[str, Any]:
    """One profile's JSON export: a server store's backups are made of them (the
    services that take such backups get this from the cli: they do not import render)."""
    from gapcli.render.json_export import export_document

    return export_document(data)


GLOBAL_OPTIONS = ("--db", "--catalog", "--profile", "--version")


def given_twice(command: Any, args: list[str]) -> str | None:
    """The first option of ``command`` given twice in ``args`` (click keeps the last one).

    ``log-progress x --hours 1 --hours 2`` stored 2 h without a word; an option that
    may repeat (``multiple``, a count) is left alone. A group's own options are read
    up to its sub-command's name, a command's up to ``--``.
    """
    names: dict[str, str] = {}  # option spelling -> parameter
    takes_value: set[str] = set()
    for param in command.params:
        spellings = (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ()))
        if param.param_type_name != "option" or param.multiple or getattr(param, "count", False):
            continue
        for spelling in spellings:
            names[spelling] = param.name
            if not getattr(param, "is_flag", False):
                takes_value.add(spelling)
    seen: set[str] = set()
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            break
        name, equals, _ = arg.partition("=")
        if name not in names:
            if not arg.startswith("-") and hasattr(command, "commands"):
                break  # a group's sub-command: its options are its own
            continue
        if names[name] in seen:
            return name
        seen.add(names[name])
        if name in takes_value and not equals:
            next(rest, None)  # its value, whatever it looks like
    return None


def parse_with_hint(parse: Any, ctx: Any, args: list[str]) -> list[str]:
    """Parse as typer does; a usage error about a global option says where it goes.

    ``gapcli export --db x`` is a natural slip, and click alone answers "No such
    option". Only the message changes: every option is still processed and validated
    by typer itself.
    """
    twice = given_twice(ctx.command, args)
    if twice is not None:
        raise typer.BadParameter("given more than once; give it once", ctx, param_hint=twice)
    try:
        result: list[str] = parse(ctx, args)
    except Exception as exc:
        name = getattr(exc, "option_name", None)
        if name in GLOBAL_OPTIONS and hasattr(exc, "message"):
            exc.message = (
                f"{exc.message} (global options go before the command: gapcli {name} ...)"
            )
        raise
    return result


class HintCommand(TyperCommand):
    """A typer command whose usage errors say where a misplaced global option goes."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return parse_with_hint(super().parse_args, ctx, args)


class HintGroup(TyperGroup):
    """The same for a group (``gapcli history --db x`` is the same slip)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return parse_with_hint(super().parse_args, ctx, args)
