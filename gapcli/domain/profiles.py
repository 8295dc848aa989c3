"""Profile names: which learner of a store a command is about.

A store (one SQLite file) holds several learners; each has a name the learner
types after ``--profile``, so the rules keep it typeable and safe in a shell, a
file name and a terminal: 1-40 letters, digits, ``-``, ``_`` or ``.``. Pure: the
operating-system user's name is passed in by the caller.
"""

from __future__ import annotations

import re

from gapcli.domain.echo import quoted
from gapcli.errors import InvalidValue, UnknownProfile

MAX_NAME = 40
_VALID = re.compile(r"[A-Za-z0-9._-]{1,40}")
_INVALID_RUN = re.compile(r"[^A-Za-z0-9._-]+")
FALLBACK_NAME = "me"


def check_profile_name(text: str) -> str:
    """``text`` if it is a valid profile name; a one-line error saying the rule if not."""
    if _VALID.fullmatch(text) is None:
        raise InvalidValue(
            f"{quoted(text)} is not a profile name: use 1-{MAX_NAME} letters, digits, "
            "'-', '_' or '.'"
        )
    return text


def name_from_user(user: str | None) -> str:
    """A valid profile name made from an operating-system user name (``me`` if none).

    Runs of other characters become one ``-`` (``Jean Dupont`` -> ``Jean-Dupont``);
    a name with nothing usable left falls back to ``me``.
    """
    made = _INVALID_RUN.sub("-", user or "").strip("-")[:MAX_NAME].strip("-")
    return made if made and _VALID.fullmatch(made) else FALLBACK_NAME


def choose_profile(names: list[str], wanted: str | None, where: str) -> str | None:
    """The name of the profile a command is about, among ``names`` (``where`` is the file).

    Named: it must exist. Not named: the only one; none yet gives None (a command
    that needs one says to run init); several is refused with their names.
    """
    if wanted is not None:
        check_profile_name(wanted)
        if wanted not in names:
            have = ", ".join(sorted(names)) or "none yet"
            raise UnknownProfile(
                f"no profile {wanted!r} in {where} (profiles: {have}); "
                f"create it with 'gapcli --profile {wanted} init'"
            )
        return wanted
    if len(names) > 1:
        raise UnknownProfile(
            f"{where} holds {len(names)} profiles ({', '.join(sorted(names))}); pick one "
            "with --profile NAME (or $GAPCLI_PROFILE)"
        )
    return names[0] if names else None
