"""Pieces every command module shares: the workspace and common options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from gapcli.services.workspace import Workspace

JsonFlag = Annotated[bool, typer.Option("--json", help="Write JSON to stdout instead of a table.")]
ForceFlag = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
YesFlag = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def workspace(ctx: typer.Context) -> Workspace:
    from gapcli.services.workspace import Workspace

    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, Workspace):  # invoked without the app callback (tests of one command)
        obj = Workspace()
        root.obj = obj
    return obj
