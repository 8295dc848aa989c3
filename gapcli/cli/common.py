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


def parse_with_hint(parse: Any, ctx: Any, args: list[str]) -> list[str]:
    """Parse as typer does; a usage error about a global option says where it goes.

    ``gapcli export --db x`` is a natural slip, and click alone answers "No such
    option". Only the message changes: every option is still processed and validated
    by typer itself.
    """
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
