"""``gapcli today``: what to study today, what is already done, and the week so far.

Three questions, answered by two plans (:func:`plan_head_for`: only their
first days, this week and the next study day, are shown, so the planner stops
there):

* **Today's sessions** are the ones ``plan`` gives today: the plan from the
  live state, whose first day is shortened by what was logged today
  (``PlanSettings.used_today``). A topic marked done leaves, a log shortens
  its topic and the day, a review done today is no longer due, so ``today``
  and ``plan --days`` never disagree, whatever was logged or marked.
* **The week** ("3.5 of 6 h"): hours logged Monday to today, against what the
  plan asks of the week (what was logged, plus what the plan still asks of the
  rest of it, capped at the weekly hours).
* **The next study day** comes from the plan that starts tomorrow, as if
  today's remaining sessions were done as planned (a review recalled "good", a
  topic whose last session is today finished): what comes after today's work,
  the same days ``plan --days`` shows when today goes as planned.
"""

from __future__ import annotations

from datetime import date, timedelta

from gapcli.domain.catalog import Catalog
from gapcli.domain.pace import week_start
from gapcli.domain.planner import PlanHead
from gapcli.domain.reasons import Why
from gapcli.domain.reviews import CardRows, Rating, ReviewEvent
from gapcli.services.noted import newest_notes
from gapcli.services.planning import PlanRequest, plan_head_for
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.views.snapshot import Snapshot
from gapcli.views.today import DaySession, TodayView


def today_view(ws: Workspace, today: date) -> TodayView:
    snap = snapshot(ws)
    logged_today = snap.minutes_by_day.get(today, 0)
    sunday = week_start(today) + timedelta(days=6)
    todays_plan = plan_head_for(snap, PlanRequest(start=today, today=today), sunday)
    left = _sessions_on(snap.catalog, todays_plan, today)
    if not todays_plan.has_study:  # no new study: the plan has no days, reviews still do
        left = _reviews_only(snap, today, logged_today)
    after = _after_today(snap, left, today)
    following = _first_day_after(after, today)
    next_sessions = _sessions_on(snap.catalog, after, following) if following else ()
    used_before = sum(m for d, m in snap.minutes_by_day.items() if week_start(today) <= d < today)
    rest_of_week = sum(
        b.minutes for i in todays_plan.items for b in i.sessions if today <= b.day <= sunday
    )
    planned = min(snap.settings.weekly_hours, (used_before + logged_today + rest_of_week) / 60)
    return TodayView(
        today=today,
        catalog=snap.catalog,
        track=todays_plan.settings.track,
        sessions=left,
        logged_minutes=logged_today,
        week_planned_hours=planned,
        week_logged_hours=(used_before + logged_today) / 60,
        next_day=following,
        next_sessions=next_sessions,
        empty_plan=not todays_plan.items and not after.items and not left,
        notes=newest_notes(ws),
        away=next((r for r in snap.away if r.start <= today <= r.end), None),
    )


def _reviews_only(snap: Snapshot, today: date, logged: int) -> tuple[DaySession, ...]:
    """Today's reviews when nothing new is left to study: the due ones, lowest recall
    first, within today's review share of what is left of the day (as the planner
    keeps them while it plans)."""
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
    taken = book.day(today, day, max(0, day - logged), keep=0).reviews
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
