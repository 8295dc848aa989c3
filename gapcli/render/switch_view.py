"""``gapcli catalog switch``: what carries over, as lines and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gapcli.domain.words import plural
from gapcli.render.terminal import line

if TYPE_CHECKING:
    from datetime import date

    from gapcli.views.catalog_switch import CatalogSwitch

SHOWN = 8  # ids named before "and N more"


def _ids(ids: tuple[str, ...]) -> str:
    named = ", ".join(ids[:SHOWN])
    return named + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


def _finish(day: date | None) -> str:
    return "no finish date" if day is None else f"{day:%Y-%m-%d}"


def print_switch(result: CatalogSwitch) -> None:
    verb = "Switched" if result.switched else "Switching would move"
    line(f"{verb} this profile from '{result.old_id}' to '{result.new_id}' ({result.new_name}).")
    line(f"  kept: {plural(len(result.domains_kept), 'assessed domain')}")
    if result.domains_set_aside:
        line(f"  set aside: {_ids(result.domains_set_aside)} (not in the new catalog)")
    line(f"  kept: {plural(len(result.topics_kept), 'topic')} with marks or logged time")
    if result.topics_set_aside:
        line(f"  set aside: {_ids(result.topics_set_aside)} (not in the new catalog)")
    if result.math_level_kept is not None:
        line(f"  math level: {'kept' if result.math_level_kept else 'set aside (reassess it)'}")
    if result.track_after != result.track_before:
        line(f"  track: {result.track_before} -> {result.track_after}")
    line(f"  all {result.logged_hours:g} h logged stay in history and in your pace")
    line(f"  finish {_finish(result.finish_before)} -> {_finish(result.finish_after)}")
    if result.switched:
        line("Nothing was deleted: set-aside rows count again if you switch back ('gapcli undo').")
    else:
        line("Nothing changed; run again with --yes to switch.")


def switch_json(result: CatalogSwitch) -> dict[str, Any]:
    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "switched": result.switched,
        "from": {"catalog": result.old_id, "source": result.old_source},
        "to": {"catalog": result.new_id, "source": result.new_source},
        "domains": {
            "kept": list(result.domains_kept),
            "set_aside": list(result.domains_set_aside),
        },
        "topics": {"kept": list(result.topics_kept), "set_aside": list(result.topics_set_aside)},
        "math_level_kept": result.math_level_kept,
        "track": {"before": result.track_before, "after": result.track_after},
        "logged_hours": result.logged_hours,
        "finish": {"before": day(result.finish_before), "after": day(result.finish_after)},
    }
