"""What ``gaps``, ``plan``, ``history`` and ``today`` print, without typer.

The typer commands (``assess_cmd``, ``plan_cmd``, ``progress_cmd``, ``today_cmd``)
parse their options and call these; so does :mod:`gapcli.cli.quick`, which answers
the commonest forms of these reads before typer is imported. One body per command
keeps the two routes printing the same bytes; this module must not import typer
(``tests/test_quick.py`` checks that a quick read never loads it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gapcli import clock

if TYPE_CHECKING:
    from gapcli.services.workspace import Workspace
    from gapcli.views.snapshot import Snapshot


def show_gaps(ws: Workspace, *, include_closed: bool, as_json: bool) -> None:
    """``gapcli gaps``: the gap report, the plan's cost and the forecast."""
    from gapcli.services.state import snapshot

    print_gaps(ws, snapshot(ws), include_closed=include_closed, as_json=as_json)


def print_gaps(ws: Workspace, snap: Snapshot, *, include_closed: bool, as_json: bool) -> None:
    from gapcli.domain.counting import gap_report
    from gapcli.render.terminal import notice

    catalog = snap.catalog
    report = gap_report(catalog, snap.state, snap.settings.track, include_closed=include_closed)
    if snap.vanished:
        notice(
            "note: kept data for ids no longer in the catalog (not counted): "
            + ", ".join(snap.vanished)
        )

    from gapcli.domain.reviews import at_risk_by_domain
    from gapcli.services.forecast import forecast
    from gapcli.services.planning import PlanRequest, plan_for

    today = clock.today()
    plan = plan_for(snap, PlanRequest(start=today, today=today))
    outlook = forecast(snap, plan, today)
    risk = at_risk_by_domain(snap.cards.values(), catalog.domain_of_topic, today)
    finish = plan.finish.isoformat() if plan.finish else None
    if as_json:
        from gapcli.render.json_data import (
            emit_json,
            forecast_json,
            plan_cost_json,
            report_json,
        )

        data = report_json(catalog, report, snap.settings.track, risk)
        emit_json(
            {
                **data,
                **plan_cost_json(plan),
                "finish": finish,
                "forecast": forecast_json(outlook),
            }
        )
    else:
        from gapcli.render.gaps_view import print_report
        from gapcli.render.plan_view import print_forecast
        from gapcli.render.styled import say
        from gapcli.services.hours_left import hours_left_by_week

        print_report(
            catalog,
            report,
            catalog.track(snap.settings.track).name,
            off_track=include_closed,
            at_risk=risk,
            hours_left=hours_left_by_week(ws, snap, today) if report.rows else (),
        )
        if report.off_track and not include_closed:
            open_off = [r.standing.domain_id for r in report.off_track if r.standing.open]
            if open_off:
                notice(off_track_note(open_off))
        if finish:
            from gapcli.render.shared import plan_cost_sentence

            cost = plan_cost_sentence(plan)
            notice_line = f"At {plan.settings.weekly_hours:g} h/week as planned: {cost}."
            say(notice_line)
            print_forecast(outlook)


def off_track_note(domain_ids: list[str], *, track_name: str | None = None) -> str:
    """Why a domain's gap is missing from gaps and plan, and how to see or plan it.

    gaps and plan cover the track's domains only, so that the total gaps shows is
    the one the plan works to. An assessment off the track is kept, and what it
    says you know still counts (as known topics, prerequisites and maths). With
    ``track_name`` the note follows a save; without, it follows a gap report.
    """
    one = len(domain_ids) == 1
    names = ", ".join(domain_ids)
    it, its = ("it", "its gap") if one else ("them", "their gaps")
    how = (
        f"'gapcli gaps --all' shows {it}, "
        f"'gapcli plan --domain {domain_ids[0]}' plans {'it' if one else 'one'}"
    )
    if track_name is not None:
        return (
            f"note: {names} {'is' if one else 'are'} off your track ({track_name}): saved; "
            f"what you know there counts, but gaps and plan leave out {its} ({how})"
        )
    has = "has a gap" if one else "have gaps"
    return f"note: off your track, so in neither gaps nor plan: {names} {has} ({how})"


class PlanOptions(NamedTuple):
    """``gapcli plan``'s options, as typer parsed them (the quick route: its subset)."""

    start: str | None = None
    weekly_hours: float | None = None
    study_days: str | None = None
    domains: tuple[str, ...] = ()
    weeks: int | None = None
    days: bool = False
    by: str | None = None
    as_json: bool = False


def show_plan(ws: Workspace, opts: PlanOptions) -> None:
    """``gapcli plan``: the dated plan by week (or day), its forecast, or its JSON."""
    from gapcli.domain.dates import parse_day
    from gapcli.render.terminal import notice
    from gapcli.services.forecast import forecast
    from gapcli.services.planning import PlanRequest, build_plan, track_advice

    today = clock.today()
    request = PlanRequest(
        start=parse_day(opts.start, today, what="--start") if opts.start is not None else today,
        weekly_hours=opts.weekly_hours,
        study_days=opts.study_days,
        domains=opts.domains,
        today=today,
    )
    needed = None
    if opts.by is not None:
        from gapcli.services.plan_by import plan_by
        from gapcli.services.state import snapshot

        snap = snapshot(ws)
        needed = plan_by(snap, request, parse_day(opts.by, today, what="--by"), today)
        result = needed.plan
    else:
        snap, result = build_plan(ws, request)
    if snap.vanished:
        notice(
            "note: kept data for ids no longer in the catalog (not planned): "
            + ", ".join(snap.vanished)
        )
    if not result.items:
        where = "in the chosen domains" if request.domains else "on your track"
        notice(f"no gaps to close {where}: the plan is empty")
        if not request.domains:
            _note_off_track(snap)
    outlook = forecast(snap, result, today)
    advice = track_advice(snap)
    if opts.as_json:
        from gapcli.render.json_data import emit_json, forecast_json, plan_days_json, plan_json

        data = {**plan_json(snap.catalog, result, advice), "forecast": forecast_json(outlook)}
        if needed is not None:
            data["weekly_hours_needed"] = needed.weekly_hours
        if opts.days:
            data["days"] = plan_days_json(result)
        emit_json(data)
    elif result.items:  # an empty plan: the notice above said so, stdout stays empty
        from gapcli.render.plan_view import print_by_date, print_forecast, print_plan

        if needed is not None:
            print_by_date(needed)
        from gapcli.services.noted import newest_notes

        noted = frozenset(newest_notes(ws))
        print_plan(snap.catalog, result, opts.weeks, advice, days=opts.days, noted=noted)
        print_forecast(outlook)


def _note_off_track(snap: Snapshot) -> None:
    """An empty plan beside gaps off the track: say where they are and how to plan one."""
    from gapcli.domain.counting import gap_report
    from gapcli.render.terminal import notice

    report = gap_report(snap.catalog, snap.state, snap.settings.track)
    if report.off_track:
        notice(off_track_note([row.standing.domain_id for row in report.off_track]))


def show_history(
    ws: Workspace, *, since: str | None = None, domain: str | None = None, as_json: bool = False
) -> None:
    """``gapcli history``: sessions, weekly hours, streak, pace and % over time."""
    from gapcli.services.history import history as load

    view = load(ws, since=since, domain=domain, today=clock.today())
    if as_json:
        from gapcli.render.json_data import emit_json, history_json

        emit_json(history_json(view))
    else:
        from gapcli.render.history_view import print_history

        print_history(view)


def show_today(ws: Workspace, *, as_json: bool) -> None:
    """``gapcli today``: today's sessions, the week so far, and what is next."""
    from gapcli.services.today import today_view

    view = today_view(ws, clock.today())
    if as_json:
        from gapcli.render.json_data import emit_json, today_json

        emit_json(today_json(view))
    else:
        from gapcli.render.today_view import print_today

        print_today(view)
