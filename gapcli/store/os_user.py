"""The operating-system user's name, as the profile name a store starts with.

Kept apart from :mod:`gapcli.domain.profiles` (pure) because it reads the
environment: both migration 0008 (naming the profile an existing file had) and
a read of a file not yet migrated (showing that same name) call it, so the two
always agree.
"""

from __future__ import annotations

import getpass

from gapcli.domain.profiles import name_from_user


def default_profile_name() -> str:
    """``getpass.getuser()`` made a valid profile name; ``me`` when there is no user name."""
    try:
        user: str | None = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no such variable and no passwd entry
        user = None
    return name_from_user(user)
