"""``gapcli today``: what to study today, what is already done, and the week so far.

Three questions, answered by two plans (:func:`plan_head_for`: only their
first days, this week and the next study day, are shown, so the planner stops
there):

* **Today's sessions** come from the plan *as it stood this morning*: the
  state and the week's budget without what was logged today. Today's logs are
  then taken off the sessions of the topics they were on (a topic marked done
  today leaves, and so does a review done today). Planning from the live state
  instead would count a log twice: it already shortens its topic and the week,
  yet the day would still offer its full length, so an hour logged of a
  two-hour session would show an hour of it *and* an hour of the next topic,
  or, with the log taken off again, nothing.
* **The week** ("3.5 of 6 h"): hours logged Monday to today, against what the
  plan asks of the week (the weekly hours, or less when the plan ends sooner).
* **The next study day** comes from the plan that starts tomorrow, as if
  today's remaining sessions were done as planned (a review recalled "good", a
  topic whose last session is today finished): what comes after today's work,
  the same days ``plan --days`` shows when today goes as planned.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from gapcli.domain.catalog import Catalog
from gapcli.domain.pace import week_start
from gapcli.domain.planner import PlanHead
from gapcli.domain.reasons import Why
from gapcli.domain.reviews import CardRows, Rating, ReviewEvent, ReviewKind
from gapcli.services.noted import newest_notes
from gapcli.services.planning import PlanRequest, plan_head_for
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.store import queries
from gapcli.views.snapshot import Snapshot
from gapcli.views.today import DaySession, TodayView


class _Today(NamedTuple):
    """What was studied today, read from the store: per topic, in all, finished, reviewed."""

    by_topic: dict[str, int]
    total: int
    finished: frozenset[str]  # topics marked done today (and not before)
    reviewed: frozenset[str]  # finished topics reviewed today


def today_view(ws: Workspace, today: date) -> TodayView:
    snap = snapshot(ws)
    done = _studied_today(ws, snap, today)
    morning = _morning(snap, done, today)
    sunday = week_start(today) + timedelta(days=6)
    this_morning = plan_head_for(morning, PlanRequest(start=today, today=today), sunday)
    left = _left_today(snap.catalog, this_morning, done, today)
    if not this_morning.has_study:  # no new study: the plan has no days, reviews still do
        left = _reviews_only(morning, today)
    after = _after_today(snap, left, today)
    following = _first_day_after(after, today)
    next_sessions = _sessions_on(snap.catalog, after, following) if following else ()
    used_before = sum(m for d, m in snap.minutes_by_day.items() if week_start(today) <= d < today)
    rest_of_week = sum(
        b.minutes for i in this_morning.items for b in i.sessions if today <= b.day <= sunday
    )
    planned = min(snap.settings.weekly_hours, (used_before + rest_of_week) / 60)
    return TodayView(
        today=today,
        catalog=snap.catalog,
        track=this_morning.settings.track,
        sessions=left,
        logged_minutes=done.total,
        week_planned_hours=planned,
        week_logged_hours=(used_before + done.total) / 60,
        next_day=following,
        next_sessions=next_sessions,
        empty_plan=not this_morning.items and not after.items and not left,
        notes=newest_notes(ws),
        away=next((r for r in snap.away if r.start <= today <= r.end), None),
    )


def _reviews_only(snap: Snapshot, today: date) -> tuple[DaySession, ...]:
    """Today's reviews when nothing new is left to study: the due ones, lowest recall
    first, within today's review share (as the planner keeps them while it plans)."""
    from gapcli.domain.planner import PlanItem, StudyBlock
    from gapcli.domain.reasons import Why
    from gapcli.domain.review_plan import ReviewBook
    from gapcli.domain.reviews import review_minutes
    from gapcli.domain.settings import day_lengths

    settings = snap.settings
    if today in snap.away_days or today.weekday() not in settings.study_days or not snap.cards:
        return ()
    catalog = snap.catalog
    length = day_lengths(settings.weekly_hours, settings.study_days, settings.day_hours)
    book = ReviewBook(
        snap.cards.values(),
        lambda t: review_minutes(catalog.topic_by_id[t].hours),
        settings.review_share,
    )
    day = length[today.weekday()]
    taken = book.day(today, day, day, keep=0).reviews
    return tuple(
        DaySession(
            PlanItem(
                t, catalog.domain_of_topic[t], m / 60, Why.REVIEW, (StudyBlock(today, m / 60),)
            ),
            m,
            catalog.first_resource(t),
        )
        for t, m in taken
    )


def _studied_today(ws: Workspace, snap: Snapshot, today: date) -> _Today:
    with ws.database().read() as conn:
        logs = queries.sessions(conn, since=today)
        marks = queries.topic_marks(conn)
    by_topic: dict[str, int] = defaultdict(int)
    total = 0
    for s in logs:
        if s.day != today:
            continue
        total += s.minutes
        if s.topic_id in snap.catalog.topic_by_id:
            by_topic[s.topic_id] += s.minutes
    before: set[str] = set()  # done as of yesterday, replayed in the order marks were made
    for m in marks:
        if m.at.astimezone().date() < today:
            (before.add if m.done else before.discard)(m.topic_id)
    reviewed = frozenset(
        e.topic for e in snap.card_rows.events if e.kind is ReviewKind.REVIEW and e.day == today
    )
    return _Today(dict(by_topic), total, frozenset(snap.state.done - before), reviewed)


def _morning(snap: Snapshot, done: _Today, today: date) -> Snapshot:
    """The snapshot as it stood before today's logs and today's done marks."""
    state = snap.state
    logged = {
        t: m - done.by_topic.get(t, 0)
        for t, m in state.logged_minutes.items()
        if m > done.by_topic.get(t, 0)
    }
    morning_state = state._replace(done=state.done - done.finished, logged_minutes=logged)
    by_day = {d: m for d, m in snap.minutes_by_day.items() if d != today}
    # Its cards follow its state (a topic finished today has no card yet) and leave
    # out today's reviews: a review done today was due this morning, and the week
    # asked for it, as it asks for the study logged today.
    rows = snap.card_rows
    if done.reviewed:
        rows = CardRows(
            rows.learned,
            tuple(e for e in rows.events if e.kind is not ReviewKind.REVIEW or e.day != today),
        )
    return snap._replace(state=morning_state, minutes_by_day=by_day, card_rows=rows)


def _left_today(
    catalog: Catalog, plan: PlanHead, done: _Today, today: date
) -> tuple[DaySession, ...]:
    """This morning's sessions for today, less what was logged on their topics today."""
    left = []
    for session in _sessions_on(catalog, plan, today):
        topic = session.item.topic
        if topic in done.finished:
            continue
        if session.item.why is Why.REVIEW and topic in done.reviewed:
            continue
        minutes = session.minutes - done.by_topic.get(topic, 0)
        if minutes > 0:
            left.append(session._replace(minutes=minutes))
    return tuple(left)


def _after_today(snap: Snapshot, left: tuple[DaySession, ...], today: date) -> PlanHead:
    """The plan from tomorrow, as if today's remaining sessions were done as the plan
    has them, through its first day of new study: only its first study day is shown.

    The plan projects a review as recalled "good" on its day, and a topic it
    finishes as marked done on its last day (recalled "good"): so does this.
    """
    logged = dict(snap.state.logged_minutes)
    finished = set(snap.state.done)
    learned = dict(snap.card_rows.learned)
    events = list(snap.card_rows.events)
    for session in left:
        topic = session.item.topic
        if session.item.why is Why.REVIEW:
            events.append(ReviewEvent(topic, today, Rating.GOOD))
            continue
        logged[topic] = logged.get(topic, 0) + session.minutes
        if session.item.sessions[-1].day == today:
            finished.add(topic)
            learned[topic] = today
    by_day = dict(snap.minutes_by_day)
    by_day[today] = by_day.get(today, 0) + sum(s.minutes for s in left)
    state = snap.state._replace(logged_minutes=logged, done=frozenset(finished))
    rows = snap.card_rows
    if learned != rows.learned or len(events) != len(rows.events):
        rows = CardRows(learned, tuple(events))  # replayed anew: only when a card changes
    done = snap._replace(state=state, minutes_by_day=by_day, card_rows=rows)
    tomorrow = today + timedelta(days=1)
    return plan_head_for(done, PlanRequest(start=tomorrow, today=today), tomorrow)


def _first_day_after(plan: PlanHead, today: date) -> date | None:
    days = [b.day for i in plan.items for b in i.sessions if b.day > today]
    return min(days) if days else None


def _sessions_on(catalog: Catalog, plan: PlanHead, day: date) -> tuple[DaySession, ...]:
    return tuple(
        DaySession(item, block.minutes, catalog.first_resource(item.topic))
        for item in plan.items
        for block in item.sessions
        if block.day == day
    )
