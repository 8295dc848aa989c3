"""How a command's failure reaches the learner: one line each on stderr, and an exit code.

Typer-free, so that both routes to a command share it: the typer group
(:class:`gapcli.cli.typer_app.GapGroup`) and the quick route for common reads
(:mod:`gapcli.cli.quick`). Exit codes: 0 success, 1 refused input or a data
problem, 2 usage error (typer's own), 130 interrupted.
"""

from __future__ import annotations

import os
import sys

from gapcli.errors import CatalogError, GapError

MAX_PROBLEM_LINES = 50
INTERRUPTED = 130


def write_errors(message: str | list[str]) -> None:
    """The one place errors are printed: one line each on stderr, at most 50 of them."""
    from gapcli.domain.words import plural
    from gapcli.render.sanitize import clean

    lines = [message] if isinstance(message, str) else message
    shown = lines[:MAX_PROBLEM_LINES]
    if len(lines) > len(shown):
        shown.append(f"... and {plural(len(lines) - len(shown), 'more problem')}")
    for line in shown:
        sys.stderr.write(f"gapcli: error: {clean(line, keep_newlines=False)}\n")


def silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so nothing left to flush can fail.

    Python's documented recipe for SIGPIPE: once the reader has gone, any data still
    buffered in ``sys.stdout`` would raise again when the interpreter flushes it at
    exit (printing "Exception ignored" on stderr and exiting 120).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (in-process test runner)
        pass


def exit_code(exc: BaseException) -> int:
    """Report a command's exception as gapcli does and return the exit code.

    A closed pipe (``gapcli plan | head``) is success: the reader got what it wanted,
    as with ``git log | head``; click and rich would exit 1, which fails a script under
    ``set -o pipefail``. An exception gapcli does not know is re-raised with
    ``GAPCLI_DEBUG`` set (for its traceback), else reported in one line.
    """
    if isinstance(exc, BrokenPipeError):
        silence_stdout()
        return 0
    if isinstance(exc, CatalogError):
        write_errors([f"{exc.source}: {problem}" for problem in exc.problems])
        return 1
    if isinstance(exc, GapError):
        write_errors(str(exc))
        return 1
    if isinstance(exc, KeyboardInterrupt):
        write_errors("interrupted; nothing was saved")
        return INTERRUPTED
    if os.environ.get("GAPCLI_DEBUG") or not isinstance(exc, Exception):
        raise exc
    write_errors(
        f"unexpected {type(exc).__name__}: {exc} "
        "(run with GAPCLI_DEBUG=1 for the traceback, and please report it)"
    )
    return 1
