"""The catalog cache: a validated catalog is read back as JSON, and a bad cache file is
never trusted, never an error for the user."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_planner import catalogs as planner_catalogs

from gapcli import __version__, digest
from gapcli.domain.catalog import Catalog, catalog_from_data
from gapcli.domain.catalog_format import Catalog as CatalogFormat
from gapcli.domain.catalog_format import parse_catalog
from gapcli.resources import builtin_catalog_path
from gapcli.services import catalog_cache, catalogs
from gapcli.services.catalogs import BUILTIN, load_catalog


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the catalogs this process loaded, so the next load reads the cache."""
    monkeypatch.setattr(catalogs, "_LOADED", {})


@pytest.fixture
def cache() -> Path:
    return Path(os.environ["GAPCLI_CACHE_DIR"])


def builtin_sha() -> str:
    return hashlib.sha256(builtin_catalog_path().read_bytes()).hexdigest()


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any YAML parse fail the test: what loads now comes from the cache."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the catalog was parsed, not read from the cache")

    monkeypatch.setattr(catalogs, "parse_catalog_bytes", refuse)


def test_a_loaded_catalog_is_cached_under_its_hash_and_read_back(
    fresh: None, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_catalog(None)
    path = cache / f"catalog-{builtin_sha()}.json"
    stored = json.loads(path.read_bytes())
    assert stored["key"] == {"layout": 1, "gapcli": __version__, "sha256": builtin_sha()}
    assert (path.stat().st_mode & 0o777, cache.stat().st_mode & 0o777) == (0o600, 0o700)
    assert not [p for p in cache.iterdir() if p != path], "no temporary file is left behind"

    monkeypatch.setattr(catalogs, "_LOADED", {})
    no_parsing(monkeypatch)
    again = load_catalog(None)
    assert again.catalog == first.catalog
    assert (again.source, again.sha256) == (BUILTIN, first.sha256)


def test_a_users_catalog_is_cached_too(
    fresh: None, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.yaml"
    shutil.copy(builtin_catalog_path(), path)
    first = load_catalog(path).catalog
    monkeypatch.setattr(catalogs, "_LOADED", {})
    no_parsing(monkeypatch)
    assert load_catalog(path).catalog == first
    assert load_catalog(path).source == str(path)


def test_an_edited_catalog_is_parsed_again(fresh: None, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    text = builtin_catalog_path().read_text("utf-8")
    path.write_text(text, "utf-8")
    assert load_catalog(path).catalog.name == "AI and machine learning"
    path.write_text(text.replace("\nname: AI and machine learning\n", "\nname: Edited\n"))
    assert load_catalog(path).catalog.name == "Edited"


def _key(**change: Any) -> dict[str, Any]:
    return {**catalog_cache.cache_key(builtin_sha()), **change}


def _document(key: dict[str, Any], data: Any) -> bytes:
    return json.dumps({"key": key, "data": data}).encode()


def _good_data() -> dict[str, Any]:
    return parse_catalog_file().to_data()


def parse_catalog_file() -> Catalog:
    return catalogs.parse_catalog_bytes(builtin_catalog_path().read_bytes(), BUILTIN)


def _with(change: Any) -> dict[str, Any]:
    data = _good_data()
    change(data)
    data["name"] = "from a bad cache"
    return data


DAMAGED: dict[str, Any] = {
    "empty": lambda: b"",
    "truncated": lambda: _document(_key(), _good_data())[:-300],
    "garbage": lambda: b"{not json at all",
    "not UTF-8": lambda: b"\xff\xfe\x00garbage",
    "a JSON list": lambda: b"[1, 2, 3]",
    "no key": lambda: json.dumps({"data": _with(lambda d: None)}).encode(),
    "another version": lambda: _document(_key(gapcli="0.0.1"), _with(lambda d: None)),
    "another file": lambda: _document(_key(sha256="0" * 64), _with(lambda d: None)),
    "another layout": lambda: _document(_key(layout=99), _with(lambda d: None)),
    "no data": lambda: json.dumps({"key": _key()}).encode(),
    "data of the wrong type": lambda: _document(_key(), [1, 2]),
    "a key missing": lambda: _document(_key(), _with(lambda d: d.pop("domains"))),
    "hours as text": lambda: _document(
        _key(), _with(lambda d: d["domains"][0]["topics"][0].update(hours="many"))
    ),
    "an unknown kind": lambda: _document(
        _key(), _with(lambda d: d["domains"][0].update(kind="x"))
    ),
    "topics not a list": lambda: _document(
        _key(), _with(lambda d: d["domains"][0].update(topics={"a": 1}))
    ),
    "a dangling reference": lambda: _document(
        _key(), _with(lambda d: d["domains"][0]["topics"][0].update(requires=["nope"]))
    ),
    "deeply nested": lambda: b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_bad_cache_file_is_ignored_and_rewritten(
    name: str, fresh: None, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = parse_catalog_file()
    cache.mkdir()
    path = cache / f"catalog-{builtin_sha()}.json"
    path.write_bytes(DAMAGED[name]())
    loaded = load_catalog(None)
    assert loaded.catalog == expected
    # rewritten: the next process reads it without parsing the YAML
    assert json.loads(path.read_bytes())["key"] == catalog_cache.cache_key(builtin_sha())
    monkeypatch.setattr(catalogs, "_LOADED", {})
    no_parsing(monkeypatch)
    assert load_catalog(None).catalog == expected


def test_a_folder_where_the_cache_file_goes_is_no_error(fresh: None, cache: Path) -> None:
    (cache / f"catalog-{builtin_sha()}.json").mkdir(parents=True)
    assert load_catalog(None).catalog.id == "ai"


def test_a_cache_dir_that_cannot_be_made_is_skipped(
    fresh: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GAPCLI_CACHE_DIR", str(blocker / "cache"))
    assert load_catalog(None).catalog.id == "ai"
    assert blocker.read_text() == "not a folder"


def test_a_read_only_cache_dir_is_skipped(demo: Path, unprivileged: list[str]) -> None:
    """The catalog still loads and the command works; nothing is written or said."""
    folder = Path(tempfile.mkdtemp(prefix="gapcli-cache-"))
    try:
        db = folder / "me.db"
        shutil.copyfile(demo, db)
        db.chmod(0o644)
        locked = folder / "cache"
        locked.mkdir(mode=0o555)
        folder.chmod(0o755)
        env = {**os.environ, "GAPCLI_CACHE_DIR": str(locked)}
        result = subprocess.run(
            [*unprivileged, sys.executable, "-m", "gapcli", "--db", str(db), "gaps", "--json"],
            capture_output=True,
            text=True,
            cwd="/",
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert json.loads(result.stdout)["domains"]
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_files_left_by_older_edits_are_removed_in_time(fresh: None, cache: Path) -> None:
    """Each edit of a catalog leaves the file of its old bytes; they go after 90 days."""
    cache.mkdir()
    old, recent = cache / f"catalog-{'a' * 64}.json", cache / f"catalog-{'b' * 64}.json"
    unrelated = cache / "notes.txt"
    for path in (old, recent, unrelated):
        path.write_text("{}")
    days = 24 * 3600
    now = (cache / "notes.txt").stat().st_mtime
    os.utime(old, (now - 91 * days, now - 91 * days))
    os.utime(recent, (now - 89 * days, now - 89 * days))
    os.utime(unrelated, (now - 400 * days, now - 400 * days))
    load_catalog(None)
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [recent.name, unrelated.name, f"catalog-{builtin_sha()}.json"]
    )


def test_a_catalog_json_cannot_hold_is_just_not_cached(cache: Path) -> None:
    data = _good_data()
    data["name"] = "lone \ud800 surrogate"
    catalog_cache.write_cached("c" * 64, catalog_from_data(data))
    assert not (cache / f"catalog-{'c' * 64}.json").exists()


def test_the_cache_dir_defaults_to_the_platforms(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_cache_path

    monkeypatch.delenv("GAPCLI_CACHE_DIR")
    assert catalog_cache.cache_dir() == user_cache_path("gapcli", appauthor=False)


# -- the model and its plain data ---------------------------------------------------------


@st.composite
def full_catalogs(draw: st.DrawFn) -> dict[str, Any]:
    """The planner's generated catalogs, with every other kind of entry and optional key."""
    data = draw(planner_catalogs())
    text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)
    topics = [t for d in data["domains"] for t in d["topics"]]
    kinds = st.sampled_from(["video", "course", "book", "docs", "paper", "article", "tool"])
    resources: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 3))):
        resource: dict[str, Any] = {"id": f"r{i}", "title": draw(text)}
        if draw(st.booleans()):
            resource |= {"by": draw(text), "kind": draw(kinds), "hours": draw(st.integers(1, 9))}
        if draw(st.booleans()):
            resource["url"] = f"https://example.org/{i}"
        resources.append(resource)
    if resources:
        for topic in draw(st.lists(st.sampled_from(topics), max_size=3, unique_by=id)):
            topic["resources"] = [r["id"] for r in resources[: draw(st.integers(1, 3))]]
    data["resources"] = resources
    domain_ids = [d["id"] for d in data["domains"]]
    data["papers"] = [
        {
            "id": f"p{i}",
            "title": draw(text),
            "year": draw(st.integers(1900, 2100)),
            **(
                {"priority": draw(st.sampled_from(["essential", "important", "optional"]))}
                if draw(st.booleans())
                else {}
            ),
            "domains": draw(st.lists(st.sampled_from(domain_ids), max_size=2, unique=True)),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        data["description"] = draw(text)
        data["sources"] = [{"title": draw(text), "url": "https://example.org/roadmap"}]
        data["tracks"][0]["advice"] = [draw(text)]
    if draw(st.booleans()):
        data["demo"] = {
            "track": "path",
            "weekly_hours": draw(st.sampled_from([6, 7.5])),
            "study_days": ["mon", "thu"],
            "assessments": {d: {"current": 10, "target": 80} for d in domain_ids[:2]},
            "todo": [topics[0]["id"]],
        }
    return data


@given(full_catalogs())
def test_plain_data_through_json_builds_the_same_catalog(data: dict[str, Any]) -> None:
    catalog = parse_catalog(data)
    assert catalog_from_data(json.loads(json.dumps(catalog.to_data()))) == catalog
    dump = CatalogFormat.model_validate(data).model_dump()
    assert catalog_from_data(json.loads(json.dumps(dump))) == catalog
    # the plain data is what the format's models give: `catalog show --json` is unchanged
    shown = CatalogFormat.model_validate(data).model_dump(mode="json", exclude_none=True)
    assert catalog.to_data() == shown


def test_the_builtin_catalogs_plain_data_is_the_formats() -> None:
    import yaml

    data = yaml.safe_load(builtin_catalog_path().read_bytes())
    catalog = parse_catalog(data)
    shown = CatalogFormat.model_validate(data).model_dump(mode="json", exclude_none=True)
    assert catalog.to_data() == shown
    assert catalog_from_data(json.loads(json.dumps(shown))) == catalog


def test_the_model_imports_neither_pydantic_nor_yaml() -> None:
    code = (
        "import sys, gapcli.domain.catalog, gapcli.services.catalog_cache\n"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_entries_are_frozen() -> None:
    catalog = load_catalog(None).catalog
    with pytest.raises(AttributeError):
        catalog.domains[0].topics[0].hours = 1.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        catalog.name = "changed"  # type: ignore[misc]


def test_the_formats_kinds_are_the_models_enums() -> None:
    """The file format spells each kind as a Literal; the model's enums hold the same values."""
    from typing import get_args

    from gapcli.domain import catalog_format as fmt
    from gapcli.domain.catalog import DomainKind, PaperPriority, ResourceKind

    def values(model: Any, name: str) -> set[str]:
        """The strings of a ``Literal[...]`` or ``Literal[...] | None`` field."""
        annotation = model.model_fields[name].annotation
        literal = next((a for a in get_args(annotation) if get_args(a)), annotation)
        return set(get_args(literal))

    assert values(fmt.Domain, "kind") == {k.value for k in DomainKind}
    assert values(fmt.Resource, "kind") == {k.value for k in ResourceKind}
    assert values(fmt.Paper, "priority") == {k.value for k in PaperPriority}


@given(
    st.binary(max_size=2048)
    | st.integers(min_value=0, max_value=3).map(lambda d: b"x" * (digest.SMALL - 1 + d))
)
def test_the_catalog_digest_is_sha256_at_every_size(data: bytes) -> None:
    """CPython's own SHA-256 for small files, hashlib's beyond: the same 64 hex digits."""
    assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_a_read_hashes_the_catalog_without_loading_openssl(tmp_path: Path) -> None:
    """hashlib (which loads libcrypto) stays out of a read of the built-in catalog."""
    probe = (
        "import sys\n"
        "from gapcli.services.catalogs import load_catalog\n"
        "loaded = load_catalog()\n"
        "print(loaded.sha256, 'hashlib' in sys.modules)\n"
    )
    env = {**os.environ, "GAPCLI_CACHE_DIR": str(tmp_path)}
    env.pop("GAPCLI_CATALOG", None)
    for _ in range(2):  # the first run writes the cache, the second reads it
        ran = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        )
    sha, loaded_hashlib = ran.stdout.split()
    assert sha == hashlib.sha256(builtin_catalog_path().read_bytes()).hexdigest()
    assert loaded_hashlib == "False"


def test_the_file_order_of_an_entry_names_each_of_its_fields_once() -> None:
    """An entry whose file order missed a field would lose it in the cache and in
    ``catalog show --json`` without a word."""
    from gapcli.domain import catalog as model

    for kind, order in model._FILE_ORDER.items():
        assert sorted(order) == sorted(kind._fields), kind.__name__
    # Catalog is a plain class: its _fields (what equality, repr and to_data go
    # through) must name each parameter of its __init__ once.
    parameters = inspect.signature(model.Catalog).parameters
    assert sorted(model.Catalog._fields) == sorted(parameters)


def test_a_catalog_is_read_only_equal_by_value_and_unhashable() -> None:
    """What the frozen dataclass gave, kept by the plain class."""
    catalog = load_catalog(None).catalog
    copy = catalog_from_data(catalog.to_data())
    assert copy == catalog and copy is not catalog
    assert copy != catalog_from_data({**catalog.to_data(), "name": "another"})
    with pytest.raises(AttributeError):
        del catalog.domains
    with pytest.raises(TypeError):
        hash(catalog)
    assert repr(catalog).startswith(f"Catalog(catalog=1, id={catalog.id!r}, name=")
