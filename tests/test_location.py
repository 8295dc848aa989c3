"""Where the store is (gapcli/store/location.py): a file or a PostgreSQL URL, and a
password in a URL never shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gapcli.errors import BadLocation, DriverMissing, GapError
from gapcli.store.location import (
    INSTALL_DRIVER,
    StoreKind,
    masked,
    parse_location,
    require_psycopg,
)

passwords = st.text(min_size=1, max_size=40)
users = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
hosts = st.sampled_from(["db.example.org", "db.example.org:5433", "10.0.0.7:5432", ""])
schemes = st.sampled_from(["postgresql", "postgres", "postgresql+psycopg", "POSTGRESQL"])


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("gapcli.db", StoreKind.SQLITE),
        ("/var/lib/team/gapcli.db", StoreKind.SQLITE),
        ("~/study.db", StoreKind.SQLITE),
        ("postgresql://ann@db.example.org/gapcli", StoreKind.POSTGRESQL),
        ("postgres://ann@db.example.org:5433/gapcli", StoreKind.POSTGRESQL),
        ("postgresql+psycopg://ann@/gapcli?host=/run/postgresql", StoreKind.POSTGRESQL),
        ("postgresql:///gapcli", StoreKind.POSTGRESQL),
    ],
)
def test_a_value_is_a_file_or_a_postgresql_url(value: str, kind: StoreKind) -> None:
    assert parse_location(value).kind is kind


def test_a_file_keeps_its_path_and_expands_the_home_folder() -> None:
    location = parse_location("~/study.db")
    assert location.path == Path("~/study.db").expanduser()
    assert location.masked() == str(Path("~/study.db").expanduser())
    assert location.sqlalchemy_url() == f"sqlite:///{location.path}"


def test_every_postgresql_scheme_gives_the_driver_urls() -> None:
    for scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        location = parse_location(f"{scheme}://ann:pw@host:5432/team?sslmode=require")
        assert location.conninfo() == "postgresql://ann:pw@host:5432/team?sslmode=require"
        assert location.sqlalchemy_url() == (
            "postgresql+psycopg://ann:pw@host:5432/team?sslmode=require"
        )


@pytest.mark.parametrize(
    "value",
    ["mysql://ann:secret@host/db", "postgressql://ann:secret@host/db", "sqlite:///x.db"],
)
def test_another_kind_of_url_is_refused_without_its_password(value: str) -> None:
    with pytest.raises(BadLocation) as refused:
        parse_location(value)
    assert isinstance(refused.value, GapError)
    assert "secret" not in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_url_folded_by_a_path_is_refused_not_guessed() -> None:
    """Path('postgresql://h/db') is 'postgresql:/h/db': the caller must pass the string."""
    with pytest.raises(BadLocation, match="not one") as refused:
        parse_location(Path("postgresql://ann:secret@host/db"))
    assert "secret" not in str(refused.value)


@pytest.mark.parametrize(
    "typo",
    ["postgres:/u:s3cret@h/db", "postgresql:u:s3cret@h/db", "POSTGRESQL+psycopg:/u:s3cret@h"],
)
def test_a_malformed_url_is_refused_without_echoing_it(typo: str) -> None:
    with pytest.raises(BadLocation) as refused:
        parse_location(typo)
    message = str(refused.value)
    assert "s3cret" not in message and "\n" not in message


def test_an_empty_value_is_refused() -> None:
    with pytest.raises(BadLocation):
        parse_location("  ")


def test_the_usual_forms_are_masked_as_expected() -> None:
    assert masked("postgresql://ann:s3cret@host/db") == "postgresql://ann:***@host/db"
    assert masked("postgresql://ann@host/db") == "postgresql://ann@host/db"
    assert masked("postgresql://host/db?password=x&sslmode=require") == (
        "postgresql://host/db?password=***&sslmode=require"
    )
    assert masked("/home/ann/gapcli.db") == "/home/ann/gapcli.db"


@given(schemes, users, passwords, hosts)
def test_an_escaped_password_is_never_shown(
    scheme: str, user: str, password: str, host: str
) -> None:
    url = f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{host}/team"
    want = f"{scheme}://{quote(user, safe='')}:***@{host}/team"
    location = parse_location(url)
    assert location.masked() == want
    assert str(location) == want
    assert repr(location) == f"Location(postgresql, {want!r})"


@given(schemes, passwords, hosts)
def test_a_raw_password_with_any_character_is_never_shown(
    scheme: str, password: str, host: str
) -> None:
    """Unescaped ``@ / ? # :`` in a password: still all hidden (the last @ ends it)."""
    url = f"{scheme}://ann:{password}@{host}/team?sslmode=require"
    assert masked(url) == f"{scheme}://ann:***@{host}/team?sslmode=require"


@given(passwords)
def test_a_password_parameter_is_never_shown(password: str) -> None:
    url = f"postgresql://ann@host/team?sslmode=require&password={quote(password, safe='')}"
    assert masked(url) == "postgresql://ann@host/team?sslmode=require&password=***"


def _refusal(url: str) -> str:
    with pytest.raises(BadLocation) as refused:
        parse_location(url)
    return str(refused.value)


@given(passwords)
def test_a_refused_url_s_message_does_not_depend_on_its_password(password: str) -> None:
    """The same message whatever the password: so none of it can be in there."""
    message = _refusal(f"mysql://ann:{quote(password, safe='')}@host/team")
    assert message.startswith("mysql://ann:***@host/team: ")
    assert message == _refusal("mysql://ann:other@host/team")


def test_without_psycopg_one_line_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what a missing module imports as
    with pytest.raises(DriverMissing) as missing:
        require_psycopg()
    assert (
        str(missing.value)
        == INSTALL_DRIVER
        == ("PostgreSQL needs psycopg: pip install 'gapcli[postgres]'")
    )
    assert isinstance(missing.value, GapError)


def test_parsing_a_url_imports_no_driver() -> None:
    script = (
        "import sys\n"
        "from gapcli.store.location import parse_location\n"
        "parse_location('postgresql://ann@host/db')\n"
        "print(sorted(m for m in ('psycopg', 'sqlalchemy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_with_psycopg_installed_nothing_is_raised() -> None:
    pytest.importorskip("psycopg")
    require_psycopg()


@given(passwords)
def test_a_driver_message_quoting_the_password_is_scrubbed(password: str) -> None:
    location = parse_location(f"postgresql://ann:{quote(password, safe='')}@host/team")
    message = f'could not parse "{password}" nor "{quote(password, safe="")}" near host'
    scrubbed = location.scrub(message)
    assert password not in scrubbed.replace("***", "")
    assert quote(password, safe="") not in scrubbed.replace("***", "")
