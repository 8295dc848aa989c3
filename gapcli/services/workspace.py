"""Where the learner's data and catalog are, resolved once per command.

The database path: ``--db`` > ``GAPCLI_DB`` > the platform's user data dir.
The profile (which learner of the store): ``--profile`` > ``GAPCLI_PROFILE`` > the
only one the store holds.
The catalog: ``--catalog`` > ``GAPCLI_CATALOG`` > the one recorded at init >
the built-in AI catalog; for a profile, it must have the id recorded at init.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcli.services.catalogs import LoadedCatalog
    from gapcli.store.database import Database
    from gapcli.store.location import Location


# The catalog recorded at init is gone: "no such file" alone left the learner stuck.
MOVED_CATALOG = (
    "no such file; your profile was made with this catalog: if you moved or renamed it, "
    "give its new place with --catalog FILE (or $GAPCLI_CATALOG)"
)


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("gapcli", appauthor=False) / "gapcli.db"


def demo_db_path() -> Path:
    """Where ``init --demo`` writes when no database was named: beside the default one.

    The example learner never lands in the learner's own database by accident.
    """
    return default_db_path().with_name("demo.db")


class Workspace:
    """The command's options, and the catalog and store opened from them on first use.

    A plain class: it changes as it opens things (a dataclass would only add its
    definition's cost to every command).
    """

    def __init__(
        self,
        db_option: str | Path | None = None,  # --db as typed: a file, or a PostgreSQL URL
        catalog_option: Path | None = None,
        profile_option: str | None = None,
    ) -> None:
        self.db_option = db_option
        self.catalog_option = catalog_option
        self.profile_option = profile_option
        self._catalog: LoadedCatalog | None = None
        self._db: Database | None = None

    @property
    def location(self) -> Location:
        """Where the store is: a SQLite file, or a PostgreSQL server (``--db`` given as
        a string: a ``Path`` would fold ``postgresql://`` into ``postgresql:/``)."""
        from gapcli.store.location import Location, StoreKind, parse_location

        if self.db_option is not None:
            return parse_location(str(self.db_option))
        env = os.environ.get("GAPCLI_DB")
        if env:
            return parse_location(env)
        return Location(StoreKind.SQLITE, path=default_db_path())

    def _db_text(self) -> str | None:
        """``--db`` or ``$GAPCLI_DB`` as given (None: the default file)."""
        if self.db_option is not None:
            return str(self.db_option)
        return os.environ.get("GAPCLI_DB") or None

    def _plain_file(self) -> Path | None:
        """The SQLite file when the value cannot be a URL, without parsing it: the
        commonest case spares the read commands importing the location module."""
        text = self._db_text()
        if text is None:
            return default_db_path()
        if "://" in text or text[:8].lower().startswith("postgres"):
            return None
        return Path(text).expanduser()

    @property
    def on_server(self) -> bool:
        """The store is on a PostgreSQL server, not in a SQLite file."""
        return self._plain_file() is None and self.location.is_postgres

    @property
    def db_path(self) -> Path:
        """The SQLite file (for a PostgreSQL store: its masked URL, for messages only)."""
        plain = self._plain_file()
        if plain is not None:
            return plain
        location = self.location
        return location.path if location.path is not None else Path(location.masked())

    @property
    def db_label(self) -> str:
        """How messages name the store: the file, or the URL with its password masked."""
        plain = self._plain_file()
        return str(plain) if plain is not None else self.location.masked()

    @property
    def profile(self) -> str | None:
        """The profile name asked for (``--profile``, else ``$GAPCLI_PROFILE``), checked."""
        name = self.profile_option
        if name is None:
            name = os.environ.get("GAPCLI_PROFILE") or None
        if name is not None:
            from gapcli.domain.profiles import check_profile_name

            check_profile_name(name)
        return name

    def db_is_default(self) -> bool:
        """Neither ``--db`` nor ``GAPCLI_DB`` named the database."""
        return self.db_option is None and not os.environ.get("GAPCLI_DB")

    def explicit_catalog(self) -> Path | None:
        if self.catalog_option is not None:
            return self.catalog_option
        env = os.environ.get("GAPCLI_CATALOG")
        return Path(env) if env else None

    def catalog(self, recorded_source: str | None = None) -> LoadedCatalog:
        """The catalog in use; ``recorded_source`` is the one the profile was made with."""
        if self._catalog is None:
            from gapcli.errors import CatalogError
            from gapcli.services.catalogs import BUILTIN, load_catalog

            option = self.explicit_catalog()
            if option is None and recorded_source not in (None, BUILTIN):
                recorded = Path(str(recorded_source))
                if not recorded.exists() and not recorded.is_symlink():
                    raise CatalogError(str(recorded), [MOVED_CATALOG])
                option = recorded
            self._catalog = load_catalog(option)
        return self._catalog

    def profile_catalog(self, catalog_id: str, recorded_source: str) -> LoadedCatalog:
        """The catalog for the profile made with catalog ``catalog_id`` from ``recorded_source``.

        A catalog with another id is another catalog: its domains and tracks are
        not the ones the learner's record names, and with it every command used to
        fall back to the track "All domains" without a word. It is refused, as
        ``import`` refuses an export made with another catalog. An edited catalog
        that kept its id is accepted (progress on ids it lost is kept and reported).
        """
        loaded = self.catalog(recorded_source)
        if loaded.catalog.id != catalog_id:
            from gapcli.errors import CatalogMismatch

            raise CatalogMismatch(self._mismatch(loaded, catalog_id, recorded_source))
        return loaded

    def _mismatch(self, loaded: LoadedCatalog, catalog_id: str, recorded_source: str) -> str:
        from gapcli.services.catalogs import BUILTIN

        made_with = "built in" if recorded_source == BUILTIN else recorded_source
        profile = f"this profile was made with the catalog '{catalog_id}' ({made_with})"
        found = f"is the catalog '{loaded.catalog.id}'"
        new_profile = (
            f"gapcli --db NEW.db --catalog {self.explicit_catalog() or loaded.source} init"
        )
        if self.catalog_option is not None:
            return (
                f"--catalog {self.catalog_option} {found}, but {profile}; leave out --catalog "
                f"to use that one, move this profile to it with 'gapcli catalog switch "
                f"{self.catalog_option}', or start a new profile with this one: {new_profile}"
            )
        if self.explicit_catalog() is not None:
            return (
                f"$GAPCLI_CATALOG ({self.explicit_catalog()}) {found}, but {profile}; unset "
                f"GAPCLI_CATALOG to use that one, or start a new profile with this one: "
                f"{new_profile}"
            )
        return (
            f"{loaded.source} now {found}, but {profile}; give the file back its id "
            f"'{catalog_id}', move this profile to it with 'gapcli catalog switch "
            f"{loaded.source}', or start a new profile with it: {new_profile}"
        )

    def recorded_catalog(self) -> str | None:
        """The catalog the profile was made with, read cheaply; None when unknown."""
        from gapcli.store.health import recorded_catalog

        if self.on_server:
            from gapcli.errors import GapError
            from gapcli.store.health import catalog_source

            try:
                with self.database().read() as conn:
                    return catalog_source(conn)
            except GapError:
                return None
        return recorded_catalog(self.db_path, self.profile)

    def database(self) -> Database:
        if self._db is None:
            if self.on_server:
                from gapcli.store.pg_database import open_pg_database

                self._db = open_pg_database(self.location, self.profile)
            else:
                from gapcli.store.database import open_database

                self._db = open_database(self.db_path, self.profile)
        return self._db
