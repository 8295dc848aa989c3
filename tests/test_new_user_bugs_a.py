"""Bugs a new user found (issue 12, section 5), each pinned by the test that caught it.

1. A reader that goes away (``gapcli plan | head -1``) is success: exit 0, quiet.
2. A day holds at most 24 h: of logged study, and of planned study.
3. gaps and plan cover one scope, the track's domains; others are shown apart.
4. A catalog other than the profile's (another id) is refused, not silently used.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_TODO, TODAY

PIPE_BYTES = 2**16  # Linux's default pipe buffer: more output than this blocks the writer
READER_BYTES = 2**13  # what the reader's readline() takes off the pipe at most


def _env(db: Path) -> dict[str, str]:
    env = {**os.environ, "GAPCLI_DB": str(db), "GAPCLI_TODAY": TODAY.isoformat()}
    env.update(NO_COLOR="1", COLUMNS="200")
    env.pop("GAPCLI_CATALOG", None)
    return env


def _gapcli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "gapcli", "--db", str(db), *args]


@pytest.fixture(scope="module")
def long_record(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo learner aiming at 100 % on every domain, with 3,000 days of sessions.

    Its plan, history and exports are each larger than a pipe (the plan holds
    every domain: at half an hour a week, sessions are whole half hours, too
    few on the demo's own track to fill a pipe and a reader's buffer).
    """
    base = tmp_path_factory.mktemp("long")
    exported = subprocess.run(
        _gapcli(demo_template, "export", "-f", "json"),
        capture_output=True,
        env=_env(demo_template),
        check=True,
    )
    doc = json.loads(exported.stdout)
    for assessment in doc["records"]["assessments"]:
        assessment["target"] = 100
    doc["profile"]["track"] = "all"
    doc["records"]["sessions"] = [
        {
            "id": i + 1,
            "date": (TODAY - timedelta(days=i)).isoformat(),
            "minutes": 45,
            "domain": "rag",
            "topic": None,
            "note": f"session {i}",
            "logged_at": f"{TODAY.isoformat()}T05:00:00Z",
        }
        for i in range(3000)
    ]
    source = base / "long.json"
    source.write_text(json.dumps(doc))
    db = base / "long.db"
    subprocess.run(_gapcli(db, "import", str(source)), env=_env(db), check=True)
    return db


def _reader_leaves(db: Path, args: tuple[str, ...], *, lines: int) -> tuple[int, bytes]:
    """Run gapcli with stdout on a pipe whose reader takes ``lines`` lines, then closes it.

    With ``lines=0`` the reader is gone before gapcli has even started, so every write
    meets a broken pipe; with one line on an output larger than the pipe, gapcli is
    blocked in a write when the reader goes, as under ``| head -1``. Returns gapcli's
    own exit code (not the reader's) and its stderr.
    """
    proc = subprocess.Popen(
        _gapcli(db, *args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(db),
    )
    assert proc.stdout is not None and proc.stderr is not None
    for _ in range(lines):
        proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    return proc.wait(timeout=120), stderr


SMALL_OUTPUTS = [
    ("gaps",),
    ("gaps", "--all"),
    ("gaps", "--json"),
    ("plan",),
    ("plan", "--weeks", "1"),
    ("plan", "--json"),
    ("history",),
    ("assess",),  # without a terminal: the gap report
    ("catalog", "list"),
    ("catalog", "show", "rag"),
    ("export",),
    ("db", "path"),
    ("--version",),
    ("--help",),
    ("plan", "--help"),
]


@pytest.mark.parametrize("args", SMALL_OUTPUTS, ids=" ".join)
def test_a_reader_gone_before_the_first_line_is_success(
    demo_template: Path, args: tuple[str, ...]
) -> None:
    """rich's broken-pipe handler exited 1 (gaps, plan, history, catalog); click's too
    (--help, --version): a ``set -o pipefail`` script failed for having read enough."""
    code, stderr = _reader_leaves(demo_template, args, lines=0)
    assert (code, stderr) == (0, b"")


LARGE_OUTPUTS = [
    ("plan", "--weekly-hours", "0.5"),
    ("plan", "--weekly-hours", "0.5", "--json"),
    ("history", "--json"),
    ("export", "-f", "json"),
    ("export", "-f", "csv"),
]


@pytest.mark.parametrize("args", LARGE_OUTPUTS, ids=" ".join)
def test_a_reader_gone_after_one_line_of_a_full_pipe_is_success(
    long_record: Path, args: tuple[str, ...]
) -> None:
    whole = subprocess.run(
        _gapcli(long_record, *args), capture_output=True, env=_env(long_record), check=True
    )
    # More than the pipe and the reader's buffer hold: gapcli is blocked in a write.
    assert len(whole.stdout) > PIPE_BYTES + READER_BYTES
    code, stderr = _reader_leaves(long_record, args, lines=1)
    assert (code, stderr) == (0, b"")


@pytest.mark.parametrize("command", ["gaps", "history", "plan"])
def test_head_under_pipefail(long_record: Path, command: str) -> None:
    """The issue's own words: ``set -o pipefail; gapcli gaps | head -1`` must succeed."""
    gapcli = " ".join(_gapcli(long_record))
    script = f"set -o pipefail; {gapcli} {command} | head -1 >/dev/null"
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, env=_env(long_record), check=False
    )
    assert (result.returncode, result.stderr) == (0, b"")


def test_a_write_command_whose_reader_left_kept_its_change(
    demo_template: Path, tmp_path: Path
) -> None:
    """Exit 0 tells the truth: the assessment was committed before anything was printed."""
    db = tmp_path / "copy.db"
    db.write_bytes(demo_template.read_bytes())
    code, stderr = _reader_leaves(db, ("assess", "rag", "--current", "85"), lines=0)
    assert (code, stderr) == (0, b"")
    shown: Any = subprocess.run(
        _gapcli(db, "gaps", "--json"), capture_output=True, env=_env(db), check=True
    )
    rows = {row["id"]: row for row in json.loads(shown.stdout)["domains"]}
    assert rows["rag"]["current"] == 85


# --- 2. a day holds at most 24 h ----------------------------------------------------


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _refused(result: Any) -> str:
    """The one error line of a refused command."""
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gapcli: error: "), result.stderr
    return str(lines[0])


def _refused_unchanged(cli: Any, db: Path, *args: str) -> str:
    before = _dump(db)
    line = _refused(cli(*args))
    assert _dump(db) == before
    return line


def _ok(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_logs_cannot_take_a_day_past_24_hours(cli: Any, demo: Path, today: Any) -> None:
    """One log was capped at 24 h but a day was not: 20 h + 18 h made a 38 h day."""
    day = today.isoformat()
    _ok(cli, "log-progress", "rag", "--hours", "20", "--note", "marathon")
    line = _refused_unchanged(cli, demo, "log-progress", "la-visual", "--hours", "18")
    assert day in line and "20 h" in line and "session 1" in line and "24 h" in line
    _ok(cli, "log-progress", "la-visual", "--hours", "4")  # exactly 24 h: a full day
    assert "session" in _refused_unchanged(cli, demo, "log-progress", "rag", "--minutes", "1")
    yesterday = (today - timedelta(days=1)).isoformat()
    _ok(cli, "log-progress", "rag", "--hours", "20", "--date", yesterday)  # another day
    by_day = json.loads(_ok(cli, "history", "--json").stdout)["sessions"]
    assert sorted((s["date"], s["hours"]) for s in by_day) == [
        (yesterday, 20),
        (day, 4),
        (day, 20),
    ]


def test_a_removed_session_frees_its_day(cli: Any, demo: Path) -> None:
    _ok(cli, "log-progress", "rag", "--hours", "20")
    _ok(cli, "history", "remove", "1", "--yes")
    _ok(cli, "log-progress", "rag", "--hours", "20")


def test_history_edit_cannot_take_a_day_past_24_hours(cli: Any, demo: Path, today: Any) -> None:
    yesterday = (today - timedelta(days=1)).isoformat()
    _ok(cli, "log-progress", "rag", "--hours", "20")
    _ok(cli, "log-progress", "rag", "--hours", "3")
    _ok(cli, "log-progress", "rag", "--hours", "5", "--date", yesterday)
    line = _refused_unchanged(cli, demo, "history", "edit", "2", "--hours", "5")
    assert today.isoformat() in line and "20 h" in line and "session 1" in line
    line = _refused_unchanged(cli, demo, "history", "edit", "3", "--date", today.isoformat())
    assert "sessions 1, 2" in line and "23 h" in line
    _ok(cli, "history", "edit", "2", "--hours", "4")  # up to the full day
    _ok(cli, "history", "edit", "2", "--note", "a note changes no hours")
    _ok(cli, "history", "edit", "3", "--hours", "24")  # alone on its day


@pytest.mark.parametrize(
    "args",
    [
        ("init", "--weekly-hours", "168", "--study-days", "mon"),
        ("init", "--weekly-hours", "49", "--study-days", "mon,wed"),
    ],
)
def test_init_refuses_more_than_24_hours_on_a_study_day(
    cli: Any, db_path: Path, args: tuple[str, ...]
) -> None:
    """``init --weekly-hours 168 --study-days mon`` planned 168 h on one Monday."""
    line = _refused(cli(*args))
    assert "more than 24 h a day" in line and f"{args[2]} h a week" in line
    assert not db_path.exists()


def test_the_limit_is_24_hours_on_every_study_day(cli: Any, db_path: Path) -> None:
    _ok(cli, "init", "--weekly-hours", "48", "--study-days", "mon,wed")
    days = json.loads(_ok(cli, "plan", "--json").stdout)
    assert days["weekly_hours"] == 48


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--weekly-hours", "73"), "73 h a week over 3 study days"),  # the demo's mon,wed,sat
        (("--study-days", "mon"), None),  # 6 h on one day: fine
        (("--weekly-hours", "25", "--study-days", "sun"), "25 h a week over 1 study day"),
        (("--weekly-hours", "72"), None),  # 24 h on each of three days
    ],
)
def test_plan_options_refuse_more_than_24_hours_a_day(
    cli: Any, demo: Path, args: tuple[str, ...], needle: str | None
) -> None:
    result = cli("plan", "--json", *args)
    if needle is None:
        assert result.exit_code == 0, result.stderr
        plan = json.loads(result.stdout)
        per_day: dict[str, float] = {}
        for item in plan["items"]:
            for block in item["sessions"]:
                per_day[block["date"]] = per_day.get(block["date"], 0) + block["hours"]
        assert max(per_day.values()) <= 24 + 1e-9
    else:
        line = _refused(result)
        assert needle in line and "more than 24 h a day" in line


@pytest.mark.parametrize("command", [("gaps",), ("plan",), ("export",), ("export", "-f", "ics")])
def test_a_stored_profile_over_24_hours_a_day_is_refused_with_a_way_out(
    cli: Any, demo: Path, command: tuple[str, ...]
) -> None:
    """A profile made before init checked this: each command says why and what to do."""
    conn = sqlite3.connect(demo)
    with conn:
        conn.execute("UPDATE profile SET weekly_hours = 168, study_days = 'mon'")
    conn.close()
    line = _refused_unchanged(cli, demo, *command)
    assert "your profile's settings: 168 h a week over 1 study day" in line
    assert "--weekly-hours" in line
    _ok(cli, "plan", "--weekly-hours", "6")  # the way out works


def test_no_forecast_at_a_pace_beyond_24_hours_on_each_study_day(
    cli: Any, demo: Path, today: Any
) -> None:
    """Re-planning at the measured pace on the study days must fit in a day, too."""
    for back in range(0, 28):
        day = (today - timedelta(days=back)).isoformat()
        _ok(cli, "log-progress", "rag", "--hours", "20", "--date", day)
    forecast = json.loads(_ok(cli, "plan", "--json").stdout)["forecast"]
    assert forecast["finish"] is None
    assert "more than 24 h a day on mon,wed,sat" in forecast["reason"]


def _demo_export(cli: Any, tmp_path: Path, change: Any) -> Path:
    doc = json.loads(_ok(cli, "export", "-f", "json").stdout)
    change(doc)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc))
    return path


def _session(i: int, day: str, minutes: int) -> dict[str, Any]:
    return {
        "id": i,
        "date": day,
        "minutes": minutes,
        "domain": "rag",
        "topic": None,
        "note": None,
        "logged_at": "2026-01-01T00:00:00Z",
    }


def test_import_refuses_a_day_over_24_hours(cli: Any, demo: Path, tmp_path: Path) -> None:
    day = (TODAY - timedelta(days=3)).isoformat()

    def overfull(doc: dict[str, Any]) -> None:
        doc["records"]["sessions"] = [_session(1, day, 20 * 60), _session(2, day, 18 * 60)]

    target = tmp_path / "new.db"
    line = _refused(cli("--db", str(target), "import", str(_demo_export(cli, tmp_path, overfull))))
    assert f"{day} holds 38 h of study, more than the 24 h of a day" in line
    assert not target.exists()

    def full(doc: dict[str, Any]) -> None:
        doc["records"]["sessions"] = [_session(1, day, 20 * 60), _session(2, day, 4 * 60)]

    _ok(cli, "--db", str(target), "import", str(_demo_export(cli, tmp_path, full)))


def test_import_refuses_settings_over_24_hours_a_day(cli: Any, demo: Path, tmp_path: Path) -> None:
    def one_day(doc: dict[str, Any]) -> None:
        doc["profile"].update(weekly_hours=168.0, study_days=["mon"])

    target = tmp_path / "new.db"
    line = _refused(cli("--db", str(target), "import", str(_demo_export(cli, tmp_path, one_day))))
    assert "168 h a week over 1 study day is more than 24 h a day" in line
    assert not target.exists()


def test_the_day_rule_itself() -> None:
    """The pure rule: up to 24 h exactly, named sessions, readable spans."""
    from gapcli.domain.calendar import check_day_total, check_week
    from gapcli.errors import InvalidValue

    check_day_total(TODAY, {1: 1000}, 440)  # 1,440 minutes: a full day
    with pytest.raises(
        InvalidValue, match=r"holds 16 h 40 min of study \(session 1\); 7 h 21 min"
    ):
        check_day_total(TODAY, {1: 1000}, 441)
    with pytest.raises(InvalidValue, match=r"\(sessions 1, 2, 3, 4, 5, \.\.\.\); session 9 at"):
        check_day_total(TODAY, dict.fromkeys(range(1, 8), 200), 45, edited=9)
    check_week(168, tuple(range(7)))
    with pytest.raises(
        InvalidValue, match="168 h a week over 1 study day is more than 24 h a day"
    ):
        check_week(168, (0,))


# --- 3. gaps and plan cover the same domains -----------------------------------------

OFF_TRACK = "linear-algebra"  # assessed, but not on the demo's track (ai-engineer-gaps)


def _gaps(cli: Any, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_ok(cli, "gaps", "--json", *args).stdout)
    return data


def _plan(cli: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_ok(cli, "plan", "--json").stdout)
    return data


def test_gaps_and_plan_agree_after_assessing_a_domain_off_the_track(cli: Any, demo: Path) -> None:
    """The total gaps shows is the one the plan works to: one set of domains."""
    before = _gaps(cli)
    result = _ok(cli, "assess", OFF_TRACK, "--current", "0", "--target", "60")
    note = result.stderr.strip()
    assert note.startswith("note: ") and OFF_TRACK in note and "off your track" in note
    assert "gapcli gaps --all" in note and f"--domain {OFF_TRACK}" in note
    after = _gaps(cli)
    assert after["domains"] == before["domains"]
    assert after["total_hours"] == before["total_hours"]
    assert after["unblock"] == before["unblock"]
    assert [d["id"] for d in after["off_track"]] == [OFF_TRACK]
    plan = _plan(cli)
    closed_by_plan = {d["id"] for d in plan["domains"] if d["reaches_target"]}
    assert closed_by_plan == {d["id"] for d in after["domains"]}
    gap_hours = sum(item["hours"] for item in plan["items"] if item["why"] == "gap")
    assert gap_hours == pytest.approx(after["total_hours"], abs=0.1)


def test_the_text_report_labels_what_is_off_the_track(cli: Any, demo: Path) -> None:
    _ok(cli, "assess", OFF_TRACK, "--current", "0", "--target", "60")
    name = "Linear Algebra"
    plain = _ok(cli, "gaps")
    assert name not in plain.stdout
    assert OFF_TRACK in plain.stderr and "gapcli gaps --all" in plain.stderr
    every = _ok(cli, "gaps", "--all")
    track_part, _, off_part = every.stdout.partition("Off your track")
    assert name not in track_part and name in off_part
    assert "not in the total" in every.stdout
    assert "Total: 64.7 h" in track_part  # the demo's track alone


def test_a_gap_off_the_track_does_not_meet_an_unexplained_empty_plan(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    """Every track target met, a gap off the track: both commands say the same thing."""
    track = [d["id"] for d in _gaps(cli)["domains"]]
    met = tmp_path / "met.yaml"
    met.write_text("".join(f"{d}: {{current: 100, target: 100}}\n" for d in track))
    _ok(cli, "assess", "--file", str(met))
    for topic in DEMO_TODO:
        _ok(cli, "log-progress", topic, "--done")  # the demo's "not done yet" marks
    _ok(cli, "assess", OFF_TRACK, "--current", "50", "--target", "70")
    gaps = _gaps(cli)
    assert gaps["domains"] == [] and gaps["total_hours"] == 0
    text = _ok(cli, "gaps")
    assert "every target is met" in text.stdout and OFF_TRACK in text.stderr
    plan = cli("plan")
    assert plan.exit_code == 0 and plan.stdout == ""
    assert "the plan is empty" in plan.stderr and f"--domain {OFF_TRACK}" in plan.stderr
    chosen = json.loads(_ok(cli, "plan", "--json", "--domain", OFF_TRACK).stdout)
    assert OFF_TRACK in {d["id"] for d in chosen["domains"] if d["reaches_target"]}


def test_assessing_on_the_track_adds_no_note(cli: Any, demo: Path) -> None:
    assert _ok(cli, "assess", "rag", "--current", "85").stderr == ""


def test_an_assessment_file_names_the_domains_off_the_track(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    path = tmp_path / "where.yaml"
    path.write_text(f"rag: {{current: 85}}\n{OFF_TRACK}: {{current: 10}}\ncalculus: 5\n")
    note = _ok(cli, "assess", "--file", str(path)).stderr
    assert f"{OFF_TRACK}, calculus are off your track" in note and "rag" not in note


def test_the_report_covers_exactly_the_track() -> None:
    """The pure rule, on the built-in catalog: rows are the track's, the rest apart."""
    from gapcli.domain.counting import gap_report
    from gapcli.domain.learner import Assessed, LearnerState
    from gapcli.services.catalogs import load_catalog

    catalog = load_catalog().catalog
    track = catalog.track("ai-engineer-gaps")
    off = [d.id for d in catalog.domains if d.id not in track.domains][:3]
    state = LearnerState({d: Assessed(0, 50) for d in off})
    report = gap_report(catalog, state, track.id, include_closed=True)
    assert {r.standing.domain_id for r in report.rows} == set(track.domains)
    assert [r.standing.domain_id for r in report.off_track] == off
    assert report.total_hours == gap_report(catalog, LearnerState(), track.id).total_hours


# --- 4. another catalog than the profile's --------------------------------------------

WEBDEV = Path(__file__).resolve().parent.parent / "docs" / "examples" / "webdev.yaml"

PROFILE_COMMANDS = [
    ("gaps",),
    ("gaps", "--json"),
    ("plan",),
    ("assess", "rag", "--current", "50"),
    ("assess", "html", "--current", "50"),
    ("log-progress", "rag", "--hours", "1"),
    ("history",),
    ("export", "-f", "json"),
]


@pytest.mark.parametrize("args", PROFILE_COMMANDS, ids=" ".join)
def test_catalog_option_with_another_id_is_refused(
    cli: Any, demo: Path, args: tuple[str, ...]
) -> None:
    """It was taken silently, and the track became "All domains" of the wrong catalog."""
    line = _refused_unchanged(cli, demo, "--catalog", str(WEBDEV), *args)
    assert "'webdev'" in line and "'ai'" in line and "--catalog" in line
    assert f"gapcli --db NEW.db --catalog {WEBDEV} init" in line  # how to switch on purpose


@pytest.mark.parametrize("args", PROFILE_COMMANDS[:3], ids=" ".join)
def test_gapcli_catalog_variable_with_another_id_is_refused(
    cli: Any, demo: Path, args: tuple[str, ...]
) -> None:
    before = _dump(demo)
    line = _refused(cli(*args, env={"GAPCLI_CATALOG": str(WEBDEV)}))
    assert _dump(demo) == before
    assert "GAPCLI_CATALOG" in line and "'webdev'" in line and "'ai'" in line


def test_the_advice_works_and_the_other_catalog_commands_still_do(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    assert "valid catalog 'webdev'" in _ok(cli, "catalog", "validate", str(WEBDEV)).stdout
    browse = _ok(cli, "--catalog", str(WEBDEV), "catalog", "list", "--json")  # only looks
    assert '"html"' in browse.stdout
    new = tmp_path / "NEW.db"
    _ok(cli, "--db", str(new), "--catalog", str(WEBDEV), "init")
    report = json.loads(_ok(cli, "--db", str(new), "gaps", "--json").stdout)
    assert report["track"] != "all"  # the webdev profile keeps its own track
    _ok(cli, "--db", str(new), "--catalog", str(WEBDEV), "plan")


def test_db_check_says_the_catalog_is_another_one(cli: Any, demo: Path) -> None:
    result = _ok(cli, "--catalog", str(WEBDEV), "db", "check")
    assert "'webdev'" in result.stdout + result.stderr
    assert "no longer in the catalog" not in result.stdout + result.stderr


def test_the_recorded_catalog_file_given_another_id_is_refused(
    cli: Any, tmp_path: Path, db_path: Path
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(WEBDEV.read_text())
    _ok(cli, "--catalog", str(mine), "init")
    mine.write_text(WEBDEV.read_text().replace("id: webdev", "id: webdev-2", 1))
    line = _refused_unchanged(cli, db_path, "gaps")
    assert "'webdev-2'" in line and "back its id 'webdev'" in line


def test_an_edited_catalog_that_kept_its_id_is_still_used(
    cli: Any, tmp_path: Path, db_path: Path
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(WEBDEV.read_text())
    _ok(cli, "--catalog", str(mine), "init")
    edited = tmp_path / "edited.yaml"
    edited.write_text(WEBDEV.read_text().replace("name: Web development", "name: Web dev", 1))
    _ok(cli, "--catalog", str(edited), "gaps")


def test_db_check_points_at_days_and_settings_stored_before_the_24_hour_rule(
    cli: Any, demo: Path, today: Any
) -> None:
    """import refuses them now: db check says so first, with the way to mend them."""
    _ok(cli, "log-progress", "rag", "--hours", "20")
    _ok(cli, "log-progress", "rag", "--hours", "18", "--date", "2026-01-05")
    conn = sqlite3.connect(demo)
    with conn:
        conn.execute("UPDATE study_session SET day = ? WHERE id = 2", (today.isoformat(),))
        conn.execute("UPDATE profile SET weekly_hours = 168, study_days = 'mon'")
    conn.close()
    result = _ok(cli, "db", "check")
    assert f"1 day holds more than 24 h of study (the first: {today}, 38 h)" in result.stderr
    assert "gapcli history edit" in result.stderr
    assert "168 h a week over 1 study day is more than 24 h a day" in result.stderr
