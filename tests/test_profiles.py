"""Several learners in one store (revision 0008): each command sees and changes only
the chosen profile's rows; choosing, listing, adding, renaming and removing profiles.

Through the CLI on real files, as a learner would: ``ana`` is the demo learner,
``ben`` a second learner added to the same file.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import dump, rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_migrations import _database_at

from gapcli.domain.profiles import check_profile_name, name_from_user
from gapcli.errors import InvalidValue
from gapcli.store.os_user import default_profile_name

# What the demo learner's commands show: each must read the same before and after
# another learner in the file logs, notes, sets and undoes.
READS = [
    ("gaps", "--json"),
    ("plan", "--json"),
    ("history", "--json", "--since", "2020-01-01"),
    ("today", "--json"),
    ("export", "-f", "json"),
    ("notes", "--json"),
    ("away", "list", "--json"),
    ("reviews", "--json"),
    ("config", "--json"),
    ("roadmap", "--json"),
]


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def one_error_line(result: Any) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gapcli: error: "), lines
    return lines[0]


@pytest.fixture
def two(cli: Any, demo: Path) -> Path:
    """The demo learner renamed ana, and ben, a new learner, in one file."""
    ok(cli("profile", "rename", default_profile_name(), "ana"))
    ok(cli("init", "--profile", "ben", "--track", "ai-engineer"))
    return demo


def reads(cli: Any, profile: str) -> dict[str, str]:
    return {" ".join(args): ok(cli("--profile", profile, *args)) for args in READS}


def test_every_command_sees_and_changes_only_its_own_profile(cli: Any, two: Path) -> None:
    ana = reads(cli, "ana")
    ben = reads(cli, "ben")
    assert ana != ben
    assert json.loads(ben["history --json --since 2020-01-01"])["sessions"] == []

    def as_ben(*args: str) -> str:
        return ok(cli("--profile", "ben", *args))

    as_ben("log-progress", "la-visual", "--hours", "2", "--done", "--date", "2026-11-20")
    as_ben("log-progress", "rag", "--minutes", "45", "--note", "ben's")
    as_ben("assess", "rag", "--current", "30", "--target", "80")
    as_ben("note", "la-visual", "ben's note")
    as_ben("away", "add", "2026-12-24", "2026-12-26")
    as_ben("config", "set", "weekly-hours", "9")
    as_ben("review", "la-visual", "--rating", "good", "--minutes", "10")
    as_ben("history", "edit", _newest_session(cli, "ben"), "--minutes", "50")
    assert reads(cli, "ana") == ana  # nothing of ben's shows in ana's commands
    mine = json.loads(as_ben("history", "--json", "--since", "2020-01-01"))["sessions"]
    assert sorted(s["hours"] for s in mine) == [0.75, 0.83, 2]

    # Undo takes back ben's newest change only, even after ana changed something since.
    ok(cli("--profile", "ana", "log-progress", "rag", "--minutes", "20"))
    ana_after = reads(cli, "ana")
    assert "edit" in as_ben("undo", "--yes")
    mine = json.loads(as_ben("history", "--json", "--since", "2020-01-01"))["sessions"]
    assert sorted(s["hours"] for s in mine) == [0.17, 0.75, 2]
    assert reads(cli, "ana") == ana_after
    ok(cli("--profile", "ana", "undo", "--yes"))
    assert reads(cli, "ana") == ana

    # Reset empties ben alone.
    ok(cli("--profile", "ben", "reset", "--yes"))
    assert reads(cli, "ana") == ana
    names = [p["name"] for p in json.loads(ok(cli("profiles", "--json")))]
    assert names == ["ana"]
    assert rows(two, "SELECT count(*) FROM study_session WHERE profile_id != 1") == [(0,)]


def _newest_session(cli: Any, profile: str) -> str:
    sessions = json.loads(ok(cli("--profile", profile, "history", "--json")))["sessions"]
    return str(max(s["id"] for s in sessions))


def test_another_profile_s_ids_are_not_found(cli: Any, two: Path) -> None:
    """An id names a row in the whole file; another learner's is 'no such id' to you."""
    ok(cli("--profile", "ana", "log-progress", "rag", "--minutes", "30"))
    ana_session = _newest_session(cli, "ana")
    ok(cli("--profile", "ana", "away", "add", "2026-12-01"))
    before = dump(two)
    for args in (
        ("history", "edit", ana_session, "--minutes", "5"),
        ("history", "remove", ana_session, "--yes"),
        ("away", "remove", "1"),
    ):
        result = cli("--profile", "ben", *args)
        assert result.exit_code != 0, args
        one_error_line(result)
    undone = cli("--profile", "ben", "undo", "--yes")
    assert undone.exit_code == 0 and "nothing to undo" in undone.stdout + undone.stderr
    assert dump(two) == before


def test_choosing_a_profile(cli: Any, two: Path) -> None:
    line = one_error_line(cli("gaps"))
    assert "2 profiles (ana, ben)" in line and "--profile" in line
    assert "no profile 'carl'" in one_error_line(cli("--profile", "carl", "gaps"))
    assert "not a profile name" in one_error_line(cli("--profile", "a b", "gaps"))
    assert "not a profile name" in one_error_line(cli("--profile", "x" * 41, "gaps"))
    assert "not a profile name" in one_error_line(cli("--profile", "", "gaps"))
    by_env = ok(cli("gaps", "--json", env={"GAPCLI_PROFILE": "ben"}))
    assert by_env == ok(cli("--profile", "ben", "gaps", "--json"))
    # The option wins over the variable.
    assert ok(cli("--profile", "ana", "gaps", "--json", env={"GAPCLI_PROFILE": "ben"})) == ok(
        cli("--profile", "ana", "gaps", "--json")
    )
    # A write with two profiles and none chosen writes nothing.
    before = dump(two)
    one_error_line(cli("log-progress", "rag", "--minutes", "10"))
    one_error_line(cli("config", "set", "weekly-hours", "3"))
    assert dump(two) == before


def test_profiles_lists_and_marks_the_chosen_one(cli: Any, two: Path) -> None:
    ok(cli("--profile", "ben", "log-progress", "rag", "--minutes", "30", "--date", "2026-11-28"))
    listed = json.loads(ok(cli("--profile", "ben", "profiles", "--json")))
    assert [(p["name"], p["chosen"]) for p in listed] == [("ana", False), ("ben", True)]
    ben = listed[1]
    assert (ben["track"], ben["catalog"], ben["sessions"]) == ("ai-engineer", "ai", 1)
    assert ben["last_study_day"] == "2026-11-28" and ben["created"] == "2026-11-30"
    unmarked = json.loads(ok(cli("profiles", "--json")))  # two, none chosen: no error
    assert not any(p["chosen"] for p in unmarked)
    table = ok(cli("--profile", "ana", "profiles"))
    assert [ln.split()[0] for ln in table.splitlines()[1:]] == ["*", "ben"]
    assert "no profile 'zed'" in one_error_line(cli("--profile", "zed", "profiles"))


def test_init_adds_a_profile_and_refuses_a_taken_name(cli: Any, two: Path) -> None:
    before = dump(two)
    assert "profile 'ben'" in one_error_line(cli("init", "--profile", "ben"))
    assert "already holds the profiles ana, ben" in one_error_line(cli("init"))
    assert "not a profile name" in one_error_line(cli("init", "--profile", "bad/name"))
    assert dump(two) == before
    # The global option names the new learner too.
    ok(cli("--profile", "carl", "init", "--weekly-hours", "4"))
    carl = json.loads(ok(cli("--profile", "carl", "config", "--json")))
    assert carl["weekly-hours"] == 4


def test_a_new_store_s_profile_is_named_after_the_user(cli: Any, db_path: Path) -> None:
    ok(cli("init"))
    assert [p["name"] for p in json.loads(ok(cli("profiles", "--json")))] == [
        default_profile_name()
    ]
    ok(cli("gaps"))  # the only profile needs no --profile
    ok(cli("--profile", default_profile_name(), "gaps"))


def test_init_replaces_the_untouched_demo_learner_of_that_name(cli: Any, two: Path) -> None:
    """The demo-replacement of one learner: ana (the demo, untouched) is replaced, ben kept."""
    ben = reads(cli, "ben")
    ok(cli("--profile", "ana", "init", "--track", "ai-engineer", "--yes"))
    assert reads(cli, "ben") == ben
    gaps = json.loads(ok(cli("--profile", "ana", "gaps", "--json")))
    assert gaps == json.loads(ben["gaps --json"])


def test_import_as_a_new_profile(cli: Any, two: Path, tmp_path: Path) -> None:
    ok(cli("--profile", "ana", "log-progress", "la-visual", "-H", "1", "--done", "--date", "-5d"))
    ok(cli("--profile", "ana", "review", "la-visual", "--rating", "good", "--minutes", "10"))
    ok(cli("--profile", "ana", "note", "rag-why", "a note"))
    ok(cli("--profile", "ana", "away", "add", "2026-12-24"))
    exported = tmp_path / "ana.json"
    ok(cli("--profile", "ana", "export", "-f", "json", "-o", str(exported)))
    before = dump(two)
    assert "--profile" in one_error_line(cli("import", str(exported)))
    assert "profile 'ben'" in one_error_line(cli("import", str(exported), "--profile", "ben"))
    assert dump(two) == before
    ok(cli("import", str(exported), "--profile", "dora"))
    for args in READS[:3] + READS[5:]:  # the same learner, ids numbered anew
        if args[0] in ("history", "notes", "away"):
            continue
        assert ok(cli("--profile", "dora", *args)) == ok(cli("--profile", "ana", *args)), args
    ana_h = json.loads(ok(cli("--profile", "ana", "history", "--json")))["sessions"]
    dora_h = json.loads(ok(cli("--profile", "dora", "history", "--json")))["sessions"]
    assert [{k: v for k, v in s.items() if k != "id"} for s in dora_h] == [
        {k: v for k, v in s.items() if k != "id"} for s in ana_h
    ]
    assert {s["id"] for s in dora_h}.isdisjoint({s["id"] for s in ana_h})
    # Its review still points at its own session.
    reviews = rows(
        two,
        "SELECT r.profile_id, s.profile_id FROM review r JOIN study_session s "
        "ON r.session_id = s.id",
    )
    assert all(a == b for a, b in reviews) and len(reviews) >= 2


def test_import_into_an_empty_file_round_trips_byte_identical(
    cli: Any, two: Path, tmp_path: Path
) -> None:
    ok(cli("--profile", "ana", "log-progress", "rag", "--minutes", "30"))
    first = tmp_path / "one.json"
    ok(cli("--profile", "ana", "export", "-f", "json", "-o", str(first)))
    other = tmp_path / "other.db"
    ok(cli("--db", str(other), "import", str(first), "--profile", "ana"))
    second = tmp_path / "two.json"
    ok(cli("--db", str(other), "export", "-f", "json", "-o", str(second)))
    assert first.read_bytes() == second.read_bytes()


def test_rename_and_remove(cli: Any, two: Path) -> None:
    ben = reads(cli, "ben")
    before = dump(two)
    assert "profile 'ana'" in one_error_line(cli("profile", "rename", "ben", "ana"))
    assert "no profile 'zed'" in one_error_line(cli("profile", "rename", "zed", "zoe"))
    assert "not a profile name" in one_error_line(cli("profile", "rename", "ben", "b n"))
    assert "--yes" in one_error_line(cli("profile", "remove", "ben"))
    assert "no profile 'zed'" in one_error_line(cli("profile", "remove", "zed", "--yes"))
    assert dump(two) == before
    ok(cli("profile", "rename", "ben", "benedict"))
    renamed = reads(cli, "benedict")
    key = "export -f json"
    assert renamed[key] == ben[key].replace('"name": "ben"', '"name": "benedict"', 1)
    assert {k: v for k, v in renamed.items() if k != key} == {
        k: v for k, v in ben.items() if k != key
    }
    ana = reads(cli, "ana")
    backups = two.parent / f"{two.name}.backups"
    existing = set(backups.glob("*.db")) if backups.exists() else set()
    # Removing the chosen one is allowed: named twice, it is what was asked.
    done = ok(cli("--profile", "benedict", "profile", "remove", "benedict", "--yes"))
    assert "profiles left: ana" in done
    assert set(backups.glob("*.db")) - existing, "no backup taken before removing"
    assert reads(cli, "ana") == ana
    assert rows(two, "SELECT count(*) FROM change WHERE profile_id != 1") == [(0,)]
    assert "no profile 'benedict'" in one_error_line(cli("--profile", "benedict", "gaps"))
    ok(cli("gaps"))  # one left: no --profile needed any more


def test_the_backup_taken_before_removing_restores_the_learner(cli: Any, two: Path) -> None:
    ben = reads(cli, "ben")
    out = ok(cli("profile", "remove", "ben", "--yes"))
    backup = out.split("backup: ", 1)[1].split(";", 1)[0]
    ok(cli("db", "restore", backup, "--yes"))
    assert reads(cli, "ben") == ben


def test_an_older_file_reads_and_migrates_with_its_profile_named_after_the_user(
    cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "old.db"
    _database_at("0007", path)
    name = default_profile_name()
    listed = json.loads(ok(cli("--db", str(path), "profiles", "--json")))
    assert [p["name"] for p in listed] == [name]
    read = ok(cli("--db", str(path), "--profile", name, "history", "--json"))
    assert "no profile 'other'" in one_error_line(
        cli("--db", str(path), "--profile", "other", "history")
    )
    assert rows(path, "SELECT version_num FROM alembic_version") == [("0007",)]  # read only
    ok(cli("--db", str(path), "--profile", name, "log-progress", "rag", "--minutes", "5"))
    assert rows(path, "SELECT id, name FROM profile") == [(1, name)]
    assert json.loads(read)["sessions"][0]["note"] == "chapters 1-4 | 'quoted'"
    ok(cli("--db", str(path), "init", "--profile", "second"))
    assert len(json.loads(ok(cli("--db", str(path), "profiles", "--json")))) == 2


def test_migration_0008_indexes_reads_by_profile(db_path: Path, cli: Any) -> None:
    ok(cli("init"))
    with closing(sqlite3.connect(db_path)) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT day, sum(minutes) FROM study_session "
            "WHERE profile_id = 1 AND day >= '2026-01-01' GROUP BY day"
        ).fetchall()
    assert "ix_study_session_profile_id_day" in str(plan)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["ana", "ben"]), st.sampled_from([6, 12, 18, 30, 45, 90])),
        min_size=1,
        max_size=5,
    )
)
def test_interleaved_logs_never_mix(cli: Any, two: Path, logs: list[tuple[str, int]]) -> None:
    """Any interleaving of two learners' logs: each sees exactly its own sessions."""
    start = {
        who: json.loads(ok(cli("--profile", who, "history", "--json")))["sessions"]
        for who in ("ana", "ben")
    }
    for who, minutes in logs:
        ok(cli("--profile", who, "log-progress", "rag", "--minutes", str(minutes)))
    for who in ("ana", "ben"):
        now = json.loads(ok(cli("--profile", who, "history", "--json")))["sessions"]
        added = [round(s["hours"] * 60) for s in now if s not in start[who]]
        assert sorted(added) == sorted(m for w, m in logs if w == who)
    for who, _ in logs:
        ok(cli("--profile", who, "undo", "--yes"))


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("ana", "ana"),
        ("Jean Dupont", "Jean-Dupont"),
        ("DOMAIN\\bob", "DOMAIN-bob"),
        ("", "me"),
        (None, "me"),
        ("éé", "me"),
        ("x" * 60, "x" * 40),
    ],
)
def test_a_user_name_becomes_a_valid_profile_name(user: str | None, name: str) -> None:
    assert name_from_user(user) == name
    assert check_profile_name(name) == name


@given(st.text(max_size=60))
def test_any_user_name_gives_a_valid_profile_name(user: str) -> None:
    check_profile_name(name_from_user(user))


@pytest.mark.parametrize("bad", ["", "a b", "a/b", "x" * 41, "é", "a\nb", "-\x1b[2J"])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(InvalidValue):
        check_profile_name(bad)


def test_db_check_checks_every_profile(cli: Any, two: Path) -> None:
    """Two learners are not a problem; each one's rules are checked on its own rows."""
    report = json.loads(ok(cli("db", "check", "--json")))
    assert report["ok"] and report["problems"] == [], report
    # 20 h each on one day: fine for each learner, though 40 h in the file.
    for who in ("ana", "ben"):
        for _ in range(2):
            ok(cli("--profile", who, "log-progress", "rag", "-H", "10", "--date", "-1d"))
    report = json.loads(ok(cli("db", "check", "--json")))
    assert report["ok"] and report["warnings"] == [], report
    assert report["counts"]["study_session"] >= 4


def test_reads_of_a_chosen_profile_stay_free_of_sqlalchemy(cli: Any, two: Path) -> None:
    from test_startup import heavy_after_each

    commands = [["--profile", "ben", "gaps", "--json"], ["profiles", "--json"]]
    heavy = ("sqlalchemy", "sqlmodel", "alembic")
    assert heavy_after_each(commands, heavy) == [(0, []), (0, [])]


def test_the_export_names_its_profile_and_an_import_keeps_the_name(
    cli: Any, two: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "ben.json"
    ok(cli("--profile", "ben", "export", "-f", "json", "-o", str(exported)))
    assert json.loads(exported.read_text())["profile"]["name"] == "ben"
    other = tmp_path / "other.db"
    ok(cli("--db", str(other), "import", str(exported)))
    assert [p["name"] for p in json.loads(ok(cli("--db", str(other), "profiles", "--json")))] == [
        "ben"
    ]
    # An export from before profiles (no name) still imports, named after the user.
    doc = json.loads(exported.read_text())
    del doc["profile"]["name"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(doc))
    third = tmp_path / "third.db"
    ok(cli("--db", str(third), "import", str(older)))
    names = [p["name"] for p in json.loads(ok(cli("--db", str(third), "profiles", "--json")))]
    assert names == [default_profile_name()]
    doc["profile"]["name"] = "bad name"
    older.write_text(json.dumps(doc))
    one_error_line(cli("--db", str(tmp_path / "fourth.db"), "import", str(older)))


def test_profile_names_are_completed(cli: Any, two: Path) -> None:
    from test_completion import complete, lines

    ok(cli("--profile", "ana", "log-progress", "rag", "--minutes", "30"))
    ana_session = _newest_session(cli, "ana")
    assert lines(complete("gapcli --profile ", 2, two)) == ["ana", "ben"]
    assert lines(complete("gapcli profile remove b", 3, two)) == ["ben"]
    assert lines(complete("gapcli profile rename a", 3, two)) == ["ana"]
    # With two profiles, ids complete for the one named before the command.
    assert ana_session in lines(complete("gapcli --profile ana history edit ", 5, two))
    assert lines(complete("gapcli --profile ben history edit ", 5, two)) == []
