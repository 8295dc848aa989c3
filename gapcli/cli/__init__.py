"""The ``gapcli`` command line: parse, call a service, render. Nothing else.

The typer application is :mod:`gapcli.cli.typer_app`; this package's front door is
typer-free, so that :func:`main` can answer the reads people run most (``gaps``,
``plan``, ``history``, ``today``, and their ``--json``) through
:mod:`gapcli.cli.quick` before typer is imported: typer and its click are about
two fifths of such a read's time. Everything else, and every form of those
commands the quick route does not know for certain, goes to typer.

Exit codes: 0 success, 1 refused input or a data problem (one line on stderr),
2 usage error (typer/click), 130 interrupted. A reader that stops reading early
(``gapcli plan | head``) is not an error: the command ends at once with 0, as
``git log | head`` does (see :func:`gapcli.cli.failure.exit_code`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gapcli.cli.typer_app import app, ask, confirm, fail, reader_gone

__all__ = ["app", "ask", "confirm", "fail", "main", "reader_gone"]

_FROM_APP = frozenset({"app", "ask", "confirm", "fail", "reader_gone", "GapGroup"})


def __getattr__(name: str) -> Any:
    """``from gapcli.cli import app`` (and ``fail``, ``ask``...) load typer only then."""
    if name in _FROM_APP:
        from gapcli.cli import typer_app

        return getattr(typer_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> int:
    """Console-script entry point: the quick route when it knows the command, else typer.

    The cyclic garbage collector is off for the process, and this is the one place
    gapcli pauses it: a command lives well under a second and what it allocates
    (imported modules, one catalog, a plan) is not garbage, yet the collector would
    walk it again and again while modules load. ``bench/`` measures the gain on the
    heavy profile (the figures are in its README and the commit that kept this);
    tests/test_gc_pause.py shows the output and the files left are the same either
    way. Reference counting still frees everything else at once; the rest goes when
    the process ends.
    """
    import gc

    gc.disable()
    from gapcli.cli.quick import answer

    code = answer(sys.argv[1:])
    if code is not None:
        return code
    from gapcli.cli.typer_app import run

    return run()
