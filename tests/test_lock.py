"""requirements/test.lock still matches pyproject.toml.

`make test` installs from the lock alone, so a dependency added to pyproject.toml
without `make lock` would be missing on a fresh machine, and a range narrowed past
its pin would be tested on a version users can no longer get. Both fail here first.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "test.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["test"],
        *project["build-system"]["requires"],
    ]
    return [Requirement(text) for text in wanted]


def test_the_lock_pins_something() -> None:
    assert len(pins()) > 10


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_every_declared_requirement_is_pinned_within_its_range(requirement: Requirement) -> None:
    if requirement.marker is not None and not requirement.marker.evaluate():
        pytest.skip("not for this Python or platform")
    pinned = pins().get(canonicalize_name(requirement.name))
    assert pinned is not None, f"{requirement.name} is not in the lock: run `make lock`"
    assert requirement.specifier.contains(pinned, prereleases=True), (
        f"{requirement.name}=={pinned} is outside {requirement.specifier}: run `make lock`"
    )


def test_every_pin_has_a_hash() -> None:
    """pip's --require-hashes refuses the whole install otherwise."""
    hashed: dict[str, bool] = {}
    current = None
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = match[1]
            hashed[current] = False
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            hashed[current] = True
    assert hashed
    assert [name for name, ok in hashed.items() if not ok] == []
