"""A throwaway PostgreSQL server for the test suite, from the machine's own binaries.

Debian's ``postgresql`` package puts ``initdb`` and ``pg_ctl`` in
``/usr/lib/postgresql/VERSION/bin`` (not on PATH), so both places are searched. The
cluster lives in a fresh temporary folder and listens only on a Unix socket there
(``listen_addresses = ''``): no TCP port, so no clash with a server already running
on the machine or with another test run. PostgreSQL refuses to run as root, so as
root (as in CI) every server command runs as the ``postgres`` user through
``runuser``, on a folder that user owns.

Durability is switched off (``fsync``, ``synchronous_commit``, ``full_page_writes``):
the cluster is deleted at the end of the run, and without them a test run does not
wait on the disk. Tests of crash durability must not rely on this server.

The server is stopped when the run ends; a watchdog process also stops it
(``pg_ctl stop -m immediate``) and deletes the folder if the test process dies
without cleaning up (killed, crashed), so no server outlives its run.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SERVER_USER = "postgres"  # Debian's package creates it; the superuser of our cluster too
_SEARCH = (Path("/usr/lib/postgresql"), Path("/usr/local/pgsql"))
INSTALL_HINT = "apt-get install postgresql (.ci/run does it as root)"


class Unavailable(Exception):
    """No server can be started here; the message is the reason tests are skipped."""


def find_bindir() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: PATH first, then Debian's folders."""
    initdb = shutil.which("initdb")
    if initdb is not None:
        bindir = Path(initdb).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
    candidates = sorted(
        (p for root in _SEARCH for p in root.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: _version_key(p.parent.name),
        reverse=True,
    )
    candidates += [root / "bin" for root in _SEARCH if (root / "bin" / "initdb").exists()]
    for bindir in candidates:
        if (bindir / "pg_ctl").exists():
            return bindir
    raise Unavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
        f"/usr/lib/postgresql/*/bin: {INSTALL_HINT}"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _runner() -> tuple[list[str], int | None, int | None]:
    """The prefix that runs a server command, and the uid/gid that must own its files."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise Unavailable(
            f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as "
            f"(PostgreSQL refuses root): {INSTALL_HINT}"
        ) from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Unavailable("running as root and runuser is missing (util-linux)")
    return [runuser, "-u", SERVER_USER, "--"], user.pw_uid, user.pw_gid


@dataclass
class PgServer:
    """A running throwaway cluster; ``stop()`` ends it and deletes its folder."""

    bindir: Path
    root: Path  # the temporary folder: data/, the socket and the log
    prefix: list[str]
    watchdog: subprocess.Popen[bytes] | None = None
    _databases: int = field(default=0)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def conninfo(self, dbname: str = "postgres") -> str:
        """A libpq connection string for psycopg.connect()."""
        return f"host={self.socket_dir} user={SERVER_USER} dbname={dbname}"

    def url(self, dbname: str = "postgres", driver: str = "postgresql") -> str:
        """A URL as a user would give ``--db`` (the socket folder in the ``host`` query)."""
        return f"{driver}://{SERVER_USER}@/{dbname}?host={quote(str(self.socket_dir), safe='/')}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its name (each test gets its own)."""
        import psycopg

        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        """Stop the server (fast, then immediate) and delete its folder."""
        _stop(self.bindir, self.data, self.prefix)
        if self.watchdog is not None:
            with contextlib.suppress(OSError):
                assert self.watchdog.stdin is not None
                self.watchdog.stdin.close()  # the watchdog then finds nothing to stop
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.watchdog.wait(timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)


def _stop(bindir: Path, data: Path, prefix: list[str]) -> None:
    if not (data / "postmaster.pid").exists():
        return
    for mode in ("fast", "immediate"):
        done = subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                mode,
                "-w",
                "-t",
                "30",
                "stop",
            ],
            capture_output=True,
            check=False,
            cwd="/",
        )
        if done.returncode == 0 or not (data / "postmaster.pid").exists():
            return


# Run by the watchdog: waits until the test process closes its end of the pipe (it does
# when it stops the server, and the kernel does when the process dies), then makes sure
# the server is down and its folder gone.
_WATCHDOG = """
import shutil, subprocess, sys
sys.stdin.buffer.read()
bindir, data, root, *prefix = sys.argv[1:]
subprocess.run([*prefix, bindir + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
               capture_output=True, check=False, cwd="/")
shutil.rmtree(root, ignore_errors=True)
"""


def start() -> PgServer:
    """Initialise and start a cluster in a new temporary folder; Unavailable says why not."""
    bindir = find_bindir()
    prefix, uid, gid = _runner()
    # Under /tmp, not pytest's tmp folder (nor a $TMPDIR) when we switch users: those
    # may be private to root, and the server user must reach its data folder. The
    # socket's path must also stay short (at most 107 bytes).
    parent = "/tmp" if prefix and Path("/tmp").is_dir() else None
    root = Path(tempfile.mkdtemp(prefix="gapcli-pg-", dir=parent))
    if len(str(root / ".s.PGSQL.5432")) > 100:
        shutil.rmtree(root, ignore_errors=True)
        root = Path(tempfile.mkdtemp(prefix="gapcli-pg-", dir="/tmp"))
    try:
        if uid is not None and gid is not None:
            os.chown(root, uid, gid)
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        env.pop("PGDATA", None)
        # The server keeps the machine's clock: under libfaketime (the suite run with the
        # date moved, `faketime -f +370d`) its timers stop firing, so lock_timeout never
        # ends a wait. gapcli stamps its rows itself, so only the tests' clock moves.
        for name in [n for n in env if n == "LD_PRELOAD" or n.startswith("FAKETIME")]:
            env.pop(name)
        _run(
            [
                *prefix,
                str(bindir / "initdb"),
                "-D",
                str(root / "data"),
                "-U",
                SERVER_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            env,
            "initdb",
        )
        with (root / "data" / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                "\n# gapcli's test suite: a Unix socket only, no durability\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{root}'\n"
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
                "max_connections = 200\n"
                "shared_buffers = 32MB\n"
            )
        server = PgServer(bindir=bindir, root=root, prefix=prefix)
        server.watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(bindir), str(server.data), str(root), *prefix],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,  # a Ctrl-C to the test run does not kill it first
        )
        _run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(server.data),
                "-l",
                str(server.log),
                "-w",
                "-t",
                "60",
                "start",
            ],
            env,
            "pg_ctl start",
            log=server.log,
        )
    except BaseException:
        _stop(bindir, root / "data", prefix)
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def _run(args: list[str], env: dict[str, str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False, cwd="/")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        if log is not None and log.exists():
            tail += log.read_text(errors="replace").strip().splitlines()[-3:]
        raise Unavailable(f"{what} failed (exit {done.returncode}): {' | '.join(tail)}")
