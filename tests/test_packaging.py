"""The wheel carries the catalog and the migrations, and finds them from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",  # hatchling comes from the venv: no network needed
            "-w",
            str(out),
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("gapcli-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_catalog_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "gapcli/_data/catalog/ai.yaml" in names
    assert "gapcli/_data/migrations/env.py" in names
    versions = {n for n in names if n.startswith("gapcli/_data/migrations/versions/")}
    assert any(n.endswith(".py") for n in versions)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert "gapcli/py.typed" in names


@pytest.mark.slow
def test_unzipped_wheel_works_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "GAPCLI_DB": str(elsewhere / "g.db"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("GAPCLI_CATALOG", None)
    code = (
        "import gapcli, gapcli.resources as r\n"
        "print(gapcli.__file__)\n"
        "print(r.builtin_catalog_path())\n"
        "print(r.data_dir('migrations'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=elsewhere
    )
    assert result.returncode == 0, result.stderr
    module, catalog, migrations = (Path(line) for line in result.stdout.splitlines())
    assert module.is_relative_to(site)
    assert catalog == site / "gapcli" / "_data" / "catalog" / "ai.yaml"
    assert migrations == site / "gapcli" / "_data" / "migrations"

    def gapcli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gapcli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=elsewhere,
        )

    validate = gapcli("catalog", "validate", str(catalog))
    assert validate.returncode == 0, validate.stderr
    assert "valid catalog 'ai'" in validate.stdout
    init = gapcli("init", "--demo")
    assert init.returncode == 0, init.stderr
    check = gapcli("db", "check")
    assert check.returncode == 0, check.stderr
    assert not list(site.rglob("__pycache__"))
