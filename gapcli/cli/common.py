"""Pieces every command module shares: the workspace and common options."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from gapcli.services.workspace import Workspace

JsonFlag = Annotated[bool, typer.Option("--json", help="Write JSON to stdout instead of a table.")]
ForceFlag = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
YesFlag = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def workspace(ctx: typer.Context) -> "Workspace":
    from gapcli.services.workspace import Workspace

    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, Workspace):  # invoked without the app callback (tests of one command)
        obj = Workspace()
        root.obj = obj
    return obj


# -- keeping pydantic out of --help ----------------------------------------------------------
#
# typer 0.29 coerces every non-bool parameter value through a pydantic TypeAdapter,
# and builds that adapter (importing pydantic: about 100 ms and 15 MiB) the first
# time it processes the parameter, even when the value is None: a left-out option,
# a group's options before a sub-command, and each command's own --help flag when
# it is not given. The hooks below use click's public ``Parameter.process_value(ctx,
# value)``: a value that is None is handled here exactly as typer would handle it,
# and anything else still goes through typer.


def skip_absent(param: Any) -> None:
    """Process a left-out (None) value as typer does, without building its coercion."""
    if getattr(param, "_gapcli_light", False):
        return
    process = param.process_value

    def process_value(ctx: Any, value: Any) -> Any:
        if value is not None or param.required:
            return process(ctx, value)
        value = () if param.multiple or param.nargs == -1 else None
        if param.callback is not None:
            value = param.callback(ctx, param, value)
        return value

    param.process_value = process_value
    param._gapcli_light = True


def _shown(value: object) -> str:
    """A file name as typer's messages show it: undecodable bytes as U+FFFD."""
    text = os.fsdecode(value) if isinstance(value, str | bytes | os.PathLike) else str(value)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def plain_path(param: Any) -> None:
    """A ``Path | None`` option with typer's defaults, coerced without pydantic.

    What typer does for it: ``Path(value)``; an existing path must be readable.
    """
    if getattr(param, "_gapcli_light", False):
        return

    def process_value(ctx: Any, value: Any) -> Any:
        path = value if value is None or isinstance(value, Path) else Path(value)
        if path is not None:
            try:
                path.stat()
            except (OSError, ValueError):
                pass  # need not exist: init creates the database
            else:
                if not os.access(path, os.R_OK):
                    raise typer.BadParameter(
                        f"path {_shown(value)!r} is not readable.", ctx=ctx, param=param
                    )
        if param.callback is not None:
            path = param.callback(ctx, param, path)
        return path

    param.process_value = process_value
    param._gapcli_light = True


GLOBAL_OPTIONS = ("--db", "--catalog", "--version")


def _hint_global(exc: Exception) -> None:
    """``gapcli export --db x`` is a natural slip: say where global options go."""
    name = getattr(exc, "option_name", None)
    if name in GLOBAL_OPTIONS and hasattr(exc, "message"):
        exc.message = f"{exc.message} (global options go before the command: gapcli {name} ...)"


def light_parse_args(command: Any, parse: Any, ctx: Any, args: list[str]) -> list[str]:
    """Parse ``args`` with every left-out option kept off pydantic, and hint misplaced ones."""
    for param in command.get_params(ctx):
        skip_absent(param)
    try:
        result: list[str] = parse(ctx, args)
    except Exception as exc:
        _hint_global(exc)
        raise
    return result


class LightCommand(TyperCommand):
    """A command whose left-out options (and unused --help) never import pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return light_parse_args(self, super().parse_args, ctx, args)


class LightGroup(TyperGroup):
    """The same for a group, whose options are processed before a sub-command's --help."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return light_parse_args(self, super().parse_args, ctx, args)
