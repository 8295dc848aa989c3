"""Files that are not what they seem, and files nobody else should read.

A FIFO, a device or a socket where gapcli expects a regular file must be refused
at once: opening a FIFO blocks until a writer comes, ``/dev/zero`` never ends,
and replacing ``/dev/null`` or ``/dev/stdout`` breaks every other program. What
gapcli creates (exports, the folders above a new database) is private whatever
the umask, like the database itself.

The special-file cases run gapcli in a subprocess with a timeout and a memory
limit, so that a regression fails instead of hanging the suite or filling memory.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_faults import (  # shared fault tooling; small_disk is a fixture
    assert_one_error_line,
    fill,
    give_away,
    one_error_line,
    run_commands,
    shared_folder,
    small_disk,  # noqa: F401 (a fixture: importing it makes it usable here)
)

WEBDEV = Path(__file__).parent.parent / "docs" / "examples" / "webdev.yaml"
TIMEOUT_S = 30  # generous: the refusal takes well under a second
MEMORY_LIMIT = 2 * 1024**3


def limits(umask: int | None = None) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if umask is not None:
            os.umask(umask)

    return apply


def gapcli(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    """gapcli in a child process; a hang fails the test after TIMEOUT_S."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "gapcli", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
            preexec_fn=limits(umask),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"gapcli {' '.join(args)} still running after {TIMEOUT_S} s")


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """Exit 1 and one line on stderr, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("gapcli: error: "), lines
    assert "unexpected" not in lines[0], lines
    return lines[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.db"
    os.mkfifo(path)
    return path


def is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(path.lstat().st_mode)


# -- special files are never read ---------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["gaps"], ["log-progress", "rag", "--minutes", "5"], ["db", "check"], ["init"]],
    ids=["gaps", "log-progress", "db-check", "init"],
)
def test_a_fifo_as_the_database_is_refused_at_once(fifo: Path, command: list[str]) -> None:
    line = refused(gapcli("--db", str(fifo), *command))
    assert str(fifo) in line
    assert "FIFO" in line
    assert is_fifo(fifo)


def test_db_backup_of_a_fifo_database_is_refused(fifo: Path, tmp_path: Path) -> None:
    refused(gapcli("--db", str(fifo), "db", "backup", str(tmp_path / "copy.db")))
    assert not (tmp_path / "copy.db").exists()


def test_restore_from_a_fifo_is_refused(demo: Path, fifo: Path) -> None:
    before = demo.read_bytes()
    line = refused(gapcli("--db", str(demo), "db", "restore", str(fifo), "--yes"))
    assert "FIFO" in line
    assert demo.read_bytes() == before


def test_restore_into_a_fifo_is_refused(demo: Path, fifo: Path) -> None:
    line = refused(gapcli("--db", str(fifo), "db", "restore", str(demo), "--yes"))
    assert "FIFO" in line
    assert is_fifo(fifo)
    assert [p.name for p in fifo.parent.iterdir() if p.name.startswith(fifo.name)] == [fifo.name]
    assert not fifo.with_name(f"{fifo.name}.backups").exists()


@pytest.mark.parametrize("source", ["fifo", "/dev/zero"])
def test_import_of_a_special_file_is_refused(tmp_path: Path, fifo: Path, source: str) -> None:
    """/dev/zero was read whole, until memory ran out; a FIFO blocked forever."""
    path = fifo if source == "fifo" else Path(source)
    target = tmp_path / "new.db"
    line = refused(gapcli("--db", str(target), "import", str(path)))
    assert str(path) in line
    assert "not an export file" in line
    assert not target.exists()


def test_assessment_file_that_is_a_device_is_refused(demo: Path) -> None:
    line = refused(gapcli("--db", str(demo), "assess", "--file", "/dev/zero"))
    assert "not a regular file" in line


# -- special files are never replaced -----------------------------------------------------


def test_export_never_replaces_a_fifo(demo: Path, fifo: Path) -> None:
    line = refused(gapcli("--db", str(demo), "export", "-f", "json", "-o", str(fifo), "--force"))
    assert "FIFO" in line
    assert "-o -" in line  # the way to write to standard output
    assert is_fifo(fifo)


@pytest.mark.parametrize("target", [os.devnull, "/proc/self/fd/1"], ids=["dev-null", "stdout"])
def test_export_never_replaces_a_symlink_to_a_device_or_stdout(
    demo: Path, tmp_path: Path, target: str
) -> None:
    """``/dev/stdout`` is such a symlink: as root, ``-o /dev/stdout --force`` replaced it."""
    link = tmp_path / "out.md"
    link.symlink_to(target)
    refused(gapcli("--db", str(demo), "export", "-o", str(link), "--force"))
    assert link.is_symlink()
    assert str(link.readlink()) == target
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_export_never_replaces_a_link_to_stdout_redirected_to_a_file(
    demo: Path, tmp_path: Path
) -> None:
    """``export -o /dev/stdout --force > out.md`` as root replaced ``/dev/stdout`` itself."""
    link = tmp_path / "stdout.md"
    link.symlink_to("/proc/self/fd/1")
    redirected = tmp_path / "redirected.md"
    args = ["--db", str(demo), "export", "-o", str(link), "--force"]
    with redirected.open("w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "gapcli", *args],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert "-o -" in done.stderr
    assert str(link.readlink()) == "/proc/self/fd/1"
    assert redirected.read_text() == ""


def test_db_backup_never_replaces_a_fifo_or_a_device_link(
    demo: Path, fifo: Path, tmp_path: Path
) -> None:
    link = tmp_path / "null.db"
    link.symlink_to(os.devnull)
    for destination in (fifo, link):
        line = refused(gapcli("--db", str(demo), "db", "backup", str(destination), "--force"))
        assert "not a regular file" in line
    assert is_fifo(fifo)
    assert str(link.readlink()) == os.devnull


def test_export_to_standard_output_with_a_dash(demo: Path) -> None:
    result = gapcli("--db", str(demo), "export", "-f", "csv", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("id,date,hours")


# -- what gapcli creates is private -------------------------------------------------------


@pytest.mark.parametrize("name", ["backup.json", "plan.md", "sessions.csv", "study.ics"])
def test_a_new_export_is_private_under_any_umask(demo: Path, tmp_path: Path, name: str) -> None:
    """The JSON export holds every note; it was created 0666 under umask 000."""
    out = tmp_path / name
    result = gapcli("--db", str(demo), "export", "-o", str(out), umask=0)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_replaced_export_keeps_the_mode_its_owner_gave_it(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    out.write_text("old")
    out.chmod(0o640)
    result = gapcli("--db", str(demo), "export", "-o", str(out), "--force", umask=0)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_folders_made_for_a_new_database_are_private(tmp_path: Path, umask: int) -> None:
    db = tmp_path / "a" / "b" / "c" / "gapcli.db"
    result = gapcli("--db", str(db), "init", "--demo", umask=umask)
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", db.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    shutil.rmtree(tmp_path / "a")


def test_the_backups_folder_is_private_under_any_umask(demo: Path) -> None:
    copy = demo.with_name("saved.db")
    assert gapcli("--db", str(demo), "db", "backup", str(copy)).returncode == 0
    result = gapcli("--db", str(demo), "db", "restore", str(copy), "--yes", umask=0o277)
    assert result.returncode == 0, result.stderr
    folder = demo.with_name(f"{demo.name}.backups")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()] == [0o600]


# -- messages that say what really happened -----------------------------------------------


def test_a_database_in_an_unwritable_folder_is_not_called_read_only(
    demo: Path, unprivileged: list[str]
) -> None:
    """The file is writable; SQLite cannot create its -wal beside it."""
    with shared_folder() as folder:
        db = folder / "gapcli.db"
        shutil.copyfile(demo, db)
        give_away(db, unprivileged)
        folder.chmod(0o755 if unprivileged else 0o555)
        before = db.read_bytes()
        [result] = run_commands(unprivileged, db, [["log-progress", "rag", "--minutes", "5"]])
        line = assert_one_error_line(result)
        assert "read-only" not in line
        assert f"folder {folder} is not writable" in line
        assert db.read_bytes() == before


def test_a_read_only_database_file_is_still_called_read_only(
    demo: Path, unprivileged: list[str]
) -> None:
    with shared_folder(0o777) as folder:
        db = folder / "gapcli.db"
        shutil.copyfile(demo, db)
        db.chmod(0o444)
        [result] = run_commands(unprivileged, db, [["log-progress", "rag", "--minutes", "5"]])
        assert "is read-only" in assert_one_error_line(result)


def test_a_moved_catalog_says_to_give_it_with_catalog(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "webdev.yaml"
    shutil.copyfile(WEBDEV, catalog)
    assert cli("--catalog", str(catalog), "init").exit_code == 0
    catalog.rename(tmp_path / "moved.yaml")
    result = cli("gaps")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert str(catalog) in line
    assert "--catalog FILE" in line
    assert cli("--catalog", str(tmp_path / "moved.yaml"), "gaps").exit_code == 0


def test_an_export_that_fails_on_a_full_disk_names_what_it_left(
    cli: Any,
    demo: Path,
    small_disk: Path,  # noqa: F811 (the fixture imported above)
) -> None:
    """ "It was left as it was" was said of a file that never existed."""
    fill(small_disk, 0)
    new = small_disk / "plan.md"
    line = one_error_line(cli("export", "-o", str(new)))
    assert "no file was written" in line
    assert "left as it was" not in line
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    (small_disk / "filler").unlink()
    new.write_text("old plan")
    fill(small_disk, 0)
    line = one_error_line(cli("export", "-o", str(new), "--force"))
    assert "it was left as it was" in line
    assert new.read_text() == "old plan"
