"""Where the files shipped with gapcli (catalog, migrations) are found.

An installed wheel carries them in ``gapcli/_data`` (see pyproject's
force-include), beside this module. An editable install from a checkout has no
``_data``; there the top-level folders are used. Both are folders on disk (alembic
and the catalog reader take paths), so importlib.resources, which also reads
packages inside zip files, is not needed to find them.
"""

from __future__ import annotations

from pathlib import Path


def data_dir(name: str) -> Path:
    """Return the directory of shipped data called ``name`` ("catalog", "migrations")."""
    packaged = Path(__file__).parent / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"gapcli's {name} data is missing from this installation")


def builtin_catalog_path() -> Path:
    return data_dir("catalog") / "ai.yaml"
