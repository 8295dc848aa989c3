"""Calendars and records across time zones and daylight saving changes.

A study block is real time: 108 minutes planned are 108 minutes in the calendar,
whatever the clocks do that night, and a start time the zone skips moves forward.
The zone is the one the system names, however it names it. A record made on the
other side of the date line imports without being called "in the future".
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

PARIS = ZoneInfo("Europe/Paris")
# Paris moves its clocks on these Sundays of 2027: 02:00 -> 03:00, then 03:00 -> 02:00.
SPRING, AUTUMN = date(2027, 3, 28), date(2027, 10, 31)


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def night_owl(cli: Any, at: str) -> None:
    """A learner who studies six hours every Sunday, from ``at`` at night."""
    made = cli("init", "--weekly-hours", "6", "--study-days", "sun", "--at", at)
    assert made.exit_code == 0, made.stderr


def sunday_blocks(cli: Any, sunday: date) -> list[tuple[datetime, datetime]]:
    """The events planned on ``sunday`` as (start, end) instants in UTC, in order."""
    monday = sunday - timedelta(days=6)
    result = cli("export", "-f", "ics", "--start", monday.isoformat(), "--weeks", "1")
    assert result.exit_code == 0, result.stderr
    blocks = []
    for event in events(result.stdout_bytes):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.tzinfo is not None and end.tzinfo is not None
        for moment in (start, end):  # a clock time the zone has (none that it skips)
            if moment.utcoffset() != timedelta(0):
                assert moment.astimezone(UTC).astimezone(PARIS).replace(
                    tzinfo=None
                ) == moment.replace(tzinfo=None)
        blocks.append((start.astimezone(UTC), end.astimezone(UTC)))
    assert blocks and all(start.astimezone(PARIS).date() == sunday for start, _ in blocks)
    return sorted(blocks)


def planned_minutes(cli: Any, sunday: date) -> list[int]:
    monday = sunday - timedelta(days=6)
    plan = json.loads(cli("plan", "--json", "--start", monday.isoformat()).stdout)
    return [
        round(s["hours"] * 60)
        for item in plan["items"]
        for s in item["sessions"]
        if s["date"] == sunday.isoformat()
    ]


@pytest.mark.parametrize(
    ("sunday", "at", "first"),
    [
        (SPRING, "01:30", datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),  # 01:30 CET
        (SPRING, "02:30", datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),  # skipped: 03:30 CEST
        (AUTUMN, "01:30", datetime(2027, 10, 30, 23, 30, tzinfo=UTC)),  # 01:30 CEST
        (AUTUMN, "02:30", datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),  # the first 02:30
    ],
    ids=["spring-before", "spring-skipped", "autumn-before", "autumn-twice"],
)
def test_calendar_blocks_last_their_real_time_across_clock_changes(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sunday: date, at: str, first: Any
) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    night_owl(cli, at)
    blocks = sunday_blocks(cli, sunday)
    assert blocks[0][0] == first
    lengths = [(end - start) / timedelta(minutes=1) for start, end in blocks]
    assert lengths == planned_minutes(cli, sunday)
    assert all(a[1] == b[0] for a, b in pairwise(blocks))  # back to back


@pytest.fixture
def libc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Sets the process's time zone (for libc too), and restores it after."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def system_zone_file(name: str) -> Path:
    import zoneinfo

    for folder in zoneinfo.TZPATH:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    pytest.skip(f"no system time zone file for {name} (tzdata is not installed)")


@pytest.mark.parametrize("form", [":{path}", "{path}"], ids=["colon-path", "path"])
def test_the_zone_libc_reads_from_a_path_is_the_calendars(
    cli: Any, demo: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """zoneinfo refuses a path; it used to become UTC without a word."""
    monkeypatch.setenv("TZ", form.format(path=system_zone_file("Europe/Paris")))
    result = cli("export", "-f", "ics", "--weeks", "1")
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout_bytes)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    first = events(result.stdout_bytes)[0].decoded("dtstart")
    assert first.strftime("%H:%M") == "19:00" and first.utcoffset() == timedelta(hours=1)


def test_a_zone_without_a_name_is_said_not_guessed(
    cli: Any, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A POSIX rule libc accepts but no IANA name: floating times, and a note saying so."""
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    result = cli("export", "-f", "ics", "--weeks", "1")
    assert result.exit_code == 0, result.stderr
    assert "CET-1CEST" in result.stderr and "floating" in result.stderr
    assert not Calendar.from_ical(result.stdout_bytes).walk("VTIMEZONE")
    first = events(result.stdout_bytes)[0].decoded("dtstart")
    assert first.tzinfo is None and first.strftime("%H:%M") == "19:00"


def test_an_export_from_across_the_date_line_imports(
    cli: Any, demo: Path, tmp_path: Path, today: date, libc_zone: Any
) -> None:
    """Logged at UTC+14 on its local today, imported at once at UTC-11: a day "ahead"."""
    ahead = {"GAPCLI_TODAY": (today + timedelta(days=1)).isoformat()}
    libc_zone("Pacific/Kiritimati")
    assert cli("log-progress", "rag", "--minutes", "40", env=ahead).exit_code == 0
    backup = tmp_path / "backup.json"
    assert cli("export", "-o", str(backup), env=ahead).exit_code == 0

    libc_zone("Pacific/Pago_Pago")
    result = cli("--db", str(tmp_path / "restored.db"), "import", str(backup))
    assert result.exit_code == 0, result.stderr
    restored = json.loads(cli("--db", str(tmp_path / "restored.db"), "history", "--json").stdout)
    original = json.loads(cli("history", "--json", env=ahead).stdout)
    assert len(restored["sessions"]) == len(original["sessions"])

    # Three days ahead is a day no zone has reached: still refused, nothing written.
    doc = json.loads(backup.read_text())
    doc["records"]["sessions"][-1]["date"] = (today + timedelta(days=3)).isoformat()
    backup.write_text(json.dumps(doc))
    refused = cli("--db", str(tmp_path / "other.db"), "import", str(backup))
    assert refused.exit_code == 1 and "in the future" in refused.stderr
