"""The ORM side of :mod:`gapcli.store.scope`: a write session sees and writes one profile.

:meth:`gapcli.store.database.Database.write` puts the chosen profile's id in
``session.info["profile_id"]``. Two session hooks then do, for every service at
once, what each would otherwise have to remember:

- every ORM ``SELECT``, ``UPDATE`` and ``DELETE`` of a learner table gets
  ``profile_id = <id>`` (SQLAlchemy's ``with_loader_criteria``, its documented
  recipe for a global filter), so ``undo``, ``history edit`` or ``away remove``
  never find another learner's row, even by its id;
- every new row of a learner table is given that id before it is inserted.

A new row with no profile to give is refused (the column is ``NOT NULL`` and has
no default: it is never silently given to a profile).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from gapcli.errors import NotInitialised
from gapcli.store.tables import (
    Assessment,
    Away,
    Change,
    MathAssessment,
    Note,
    PaperRead,
    Review,
    SettingChange,
    StudySession,
    TopicProgress,
)

LEARNER_MODELS: tuple[Any, ...] = (
    Assessment,
    Away,
    Change,
    MathAssessment,
    Note,
    PaperRead,
    Review,
    SettingChange,
    StudySession,
    TopicProgress,
)
KEY = "profile_id"


@event.listens_for(Session, "do_orm_execute")
def _only_this_profile(state: ORMExecuteState) -> None:
    if KEY not in state.session.info:
        return  # a session gapcli did not scope (migrations, whole-store work)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_select and (state.is_column_load or state.is_relationship_load):
        return
    pid = state.session.info[KEY]
    wanted = -1 if pid is None else int(pid)  # no profile: no rows
    state.statement = state.statement.options(
        *(
            with_loader_criteria(model, model.profile_id == wanted, include_aliases=True)
            for model in LEARNER_MODELS
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    if KEY not in session.info:
        return
    for row in session.new:
        if isinstance(row, LEARNER_MODELS) and getattr(row, KEY) is None:
            pid = session.info[KEY]
            if pid is None:
                raise NotInitialised("no profile yet; run 'gapcli init' first")
            setattr(row, KEY, pid)
