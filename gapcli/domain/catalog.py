"""The catalog model: what there is to learn, as plain immutable records.

Pure: no files, no YAML, no database, and no pydantic. A catalog file is
validated once, at the boundary (:mod:`gapcli.domain.catalog_format`); what the
rest of gapcli reads is built from already-validated plain data by
:func:`catalog_from_data`, which is also how a cached catalog is read back.
:func:`reference_problems` checks what a schema cannot: duplicate ids, dangling
references and prerequisite cycles.

Every entry is a ``NamedTuple``: immutable (one loaded catalog is shared by the
whole command) and defined at a fraction of a frozen dataclass's cost, which every
read pays at import. Entries are built with keywords; :func:`entry_data` writes their
keys in the file format's order, the order of keys in ``catalog show --json``.
``Catalog`` itself is a plain class, not a dataclass: it caches its lookup tables on
the instance, and importing ``dataclasses`` (which imports ``inspect``) would cost
every read more than the whole class.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cached_property
from typing import Any, ClassVar, NamedTuple

Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """A key path as people write it: ``domains[2].topics[0].hours``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


class DomainKind(StrEnum):
    SKILL = "skill"
    MATH = "math"  # maths topics, grouped into the catalog's math levels


class ResourceKind(StrEnum):
    VIDEO = "video"
    COURSE = "course"
    BOOK = "book"
    DOCS = "docs"
    PAPER = "paper"
    ARTICLE = "article"
    TOOL = "tool"
    WEBSITE = "website"


class PaperPriority(StrEnum):
    ESSENTIAL = "essential"
    IMPORTANT = "important"
    OPTIONAL = "optional"


def entry_data(entry: NamedTuple) -> dict[str, Any]:
    """Plain data of an entry, as the file format writes it (None values left out)."""
    return _data(entry, _FILE_ORDER.get(type(entry), entry._fields))


def _data(record: object, names: Iterable[str]) -> dict[str, Any]:
    """``record``'s fields named in ``names``, in that order, as plain data (None left out)."""
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        if value is not None:
            out[name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, _ENTRIES):
        return entry_data(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class MathLevel(NamedTuple):
    """A level of maths a domain or topic needs: the math topics it holds, cumulatively."""

    id: str
    name: str
    description: str | None = None
    topics: tuple[str, ...] = ()


class Topic(NamedTuple):
    """One thing to learn, with its estimated hours and what it builds on."""

    id: str
    name: str
    hours: float
    description: str | None = None
    requires: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    # The math level this topic needs, when it differs from its domain's: a
    # precise edge ("LoRA needs the light maths") instead of the domain's whole
    # level in front of every topic.
    math: str | None = None


class DomainNeed(NamedTuple):
    """A prerequisite domain, needed up to ``to`` % of its teaching order, not all of it."""

    domain: str
    to: int


class Domain(NamedTuple):
    """A field of study: its topics in teaching order, its maths and prerequisites."""

    id: str
    name: str
    topics: tuple[Topic, ...]
    kind: DomainKind = DomainKind.SKILL
    math: str | None = None
    # A domain id means "up to the learner's target for it"; {domain, to} says how much.
    requires: tuple[str | DomainNeed, ...] = ()
    target: int | None = None
    description: str | None = None

    @property
    def hours(self) -> float:
        return sum(t.hours for t in self.topics)

    @property
    def needs(self) -> tuple[tuple[str, int | None], ...]:
        """Each prerequisite domain with how much of it is needed (None: up to its target)."""
        return tuple((r, None) if isinstance(r, str) else (r.domain, r.to) for r in self.requires)

    @property
    def required_domains(self) -> tuple[str, ...]:
        return tuple(d for d, _ in self.needs)


class Resource(NamedTuple):
    """A course, book, video... that teaches a topic (a topic's first one is suggested)."""

    id: str
    title: str
    by: str | None = None
    kind: ResourceKind | None = None
    hours: float | None = None
    url: str | None = None


class Paper(NamedTuple):
    """A paper of the reading list, with its year and how much it matters."""

    id: str
    title: str
    year: int
    authors: str | None = None
    contribution: str | None = None
    priority: PaperPriority = PaperPriority.OPTIONAL
    domains: tuple[str, ...] = ()
    url: str | None = None


class StudyStep(NamedTuple):
    """One step of a roadmap's recommended order: a topic, or a few studied together."""

    topic: str | None = None
    topics: tuple[str, ...] = ()
    why: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.topic, *self.topics) if self.topic is not None else self.topics


class Track(NamedTuple):
    """A route through the catalog: the domains a learner works on, in order."""

    id: str
    name: str
    domains: tuple[str, ...]
    description: str | None = None
    # The roadmap's own first steps for this track; without them, the catalog's.
    study_order: tuple[StudyStep, ...] = ()
    # What the roadmap advises beyond topics ("two papers a week"), shown with the plan.
    advice: tuple[str, ...] = ()


class Source(NamedTuple):
    """A roadmap or course the catalog's facts come from, credited where the catalog is shown."""

    title: str
    by: str | None = None
    url: str | None = None


class DemoAssessment(NamedTuple):
    """The example learner's % in one domain, and the target."""

    current: int
    target: int


class Demo(NamedTuple):
    """An example learner, loaded by ``gapcli init --demo``."""

    assessments: dict[str, DemoAssessment]
    track: str | None = None
    math_level: str | None = None
    weekly_hours: float | None = None
    study_days: tuple[str, ...] = ()
    # Topics this learner has not done although their % covers them: the
    # roadmap's advice for this very learner names them.
    todo: tuple[str, ...] = ()


_ENTRIES = (
    MathLevel,
    Topic,
    DomainNeed,
    Domain,
    Resource,
    Paper,
    StudyStep,
    Track,
    Source,
    DemoAssessment,
    Demo,
)

# The file format's order of keys, where a required field follows optional ones there
# (a NamedTuple lists its required fields first). Each names every field of its class
# (tests/test_catalog_cache.py), or the cache would drop the one left out.
_FILE_ORDER: dict[type, tuple[str, ...]] = {
    Domain: ("id", "name", "kind", "math", "requires", "target", "description", "topics"),
    Paper: ("id", "title", "authors", "year", "contribution", "priority", "domains", "url"),
    Track: ("id", "name", "description", "domains", "study_order", "advice"),
    Demo: ("track", "math_level", "weekly_hours", "study_days", "assessments", "todo"),
}


class Catalog:
    """A whole validated catalog, with lookup tables built on first use.

    One loaded catalog is shared by the whole command, so it is read-only: its
    fields cannot be set after ``__init__``. Two catalogs are equal when their fields
    are; a catalog is not hashable (its ``demo`` holds a dict). Not slotted: the
    lookup tables below are cached on the instance.
    """

    # Every field, in the file format's order: what ``__eq__``, ``__repr__`` and
    # :meth:`to_data` go through. Named like a NamedTuple's, so the test of the file
    # order checks it against ``__init__``'s parameters too.
    _fields: ClassVar[tuple[str, ...]] = (
        "catalog",
        "id",
        "name",
        "description",
        "math_levels",
        "domains",
        "resources",
        "papers",
        "tracks",
        "study_order",
        "sources",
        "demo",
    )

    catalog: int  # the format version
    id: str
    name: str
    description: str | None
    math_levels: tuple[MathLevel, ...]
    domains: tuple[Domain, ...]
    resources: tuple[Resource, ...]
    papers: tuple[Paper, ...]
    tracks: tuple[Track, ...]
    study_order: tuple[StudyStep, ...]
    sources: tuple[Source, ...]
    demo: Demo | None

    def __init__(
        self,
        *,
        catalog: int = 1,
        id: str,
        name: str,
        description: str | None = None,
        math_levels: tuple[MathLevel, ...] = (),
        domains: tuple[Domain, ...],
        resources: tuple[Resource, ...] = (),
        papers: tuple[Paper, ...] = (),
        tracks: tuple[Track, ...] = (),
        study_order: tuple[StudyStep, ...] = (),
        sources: tuple[Source, ...] = (),
        demo: Demo | None = None,
    ) -> None:
        # Straight into the instance's dict: __setattr__ refuses every assignment.
        self.__dict__.update(
            catalog=catalog,
            id=id,
            name=name,
            description=description,
            math_levels=math_levels,
            domains=domains,
            resources=resources,
            papers=papers,
            tracks=tracks,
            study_order=study_order,
            sources=sources,
            demo=demo,
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Catalog is read-only: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Catalog is read-only: cannot delete {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalog):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # equal by value, and demo holds a dict

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"Catalog({inner})"

    def to_data(self) -> dict[str, Any]:
        """Plain data of the whole catalog, as the file format writes it (None values left out)."""
        return _data(self, self._fields)

    @cached_property
    def domain_by_id(self) -> dict[str, Domain]:
        return {d.id: d for d in self.domains}

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {t.id: t for d in self.domains for t in d.topics}

    @cached_property
    def domain_of_topic(self) -> dict[str, str]:
        return {t.id: d.id for d in self.domains for t in d.topics}

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    @cached_property
    def track_by_id(self) -> dict[str, Track]:
        return {t.id: t for t in self.tracks}

    @cached_property
    def level_by_id(self) -> dict[str, MathLevel]:
        return {m.id: m for m in self.math_levels}

    @cached_property
    def level_rank(self) -> dict[str, int]:
        return {m.id: i for i, m in enumerate(self.math_levels)}

    @cached_property
    def catalog_order(self) -> dict[str, int]:
        """Position of each topic in the file: the last tie-breaker of every ordering."""
        return {tid: i for i, tid in enumerate(self.topic_by_id)}

    @property
    def all_ids(self) -> list[str]:
        return [*self.domain_by_id, *self.topic_by_id]

    def default_track(self) -> Track:
        """The first track, or one spanning every domain when the catalog has none."""
        if self.tracks:
            return self.tracks[0]
        return Track(id="all", name="All domains", domains=tuple(self.domain_by_id))

    def track(self, track_id: str) -> Track:
        """The track called ``track_id``; "all" spans every domain unless a track has that id."""
        if track_id in self.track_by_id:
            return self.track_by_id[track_id]
        if track_id == "all":
            return Track(id="all", name="All domains", domains=tuple(self.domain_by_id))
        raise KeyError(track_id)

    def steps(self, track_id: str) -> tuple[StudyStep, ...]:
        """The recommended first steps for a track: its own, else the catalog's."""
        track = self.track_by_id.get(track_id)
        return track.study_order if track is not None and track.study_order else self.study_order

    def topic_math(self, topic_id: str) -> str | None:
        """The math level a topic needs: its own, else its domain's."""
        topic = self.topic_by_id[topic_id]
        if topic.math is not None:
            return topic.math
        return self.domain_by_id[self.domain_of_topic[topic_id]].math

    def first_resource(self, topic_id: str) -> Resource | None:
        topic = self.topic_by_id.get(topic_id)
        if topic is None or not topic.resources:
            return None
        return self.resource_by_id.get(topic.resources[0])


# -- building from plain data ----------------------------------------------------------------
#
# The input has been validated already (by the file format, or it was written by gapcli
# from a validated catalog): these builders only convert. A cache file that is not what
# gapcli wrote fails here with KeyError, TypeError, ValueError or AttributeError, and the
# caller discards it.


def catalog_from_data(data: Mapping[str, Any]) -> Catalog:
    """Build a :class:`Catalog` from plain, already-validated data.

    ``data`` is what the format's ``model_dump()`` gives, or :meth:`Catalog.to_data`
    after a trip through JSON (lists for tuples, absent keys for None).
    """
    demo = data.get("demo")
    return Catalog(
        catalog=_int(data.get("catalog", 1)),
        id=_str(data["id"]),
        name=_str(data["name"]),
        description=_opt_str(data.get("description")),
        math_levels=tuple(
            MathLevel(
                id=_str(m["id"]),
                name=_str(m["name"]),
                description=_opt_str(m.get("description")),
                topics=_ids(m.get("topics", ())),
            )
            for m in data.get("math_levels", ())
        ),
        domains=tuple(_domain(d) for d in _items(data["domains"])),
        resources=tuple(
            Resource(
                id=_str(r["id"]),
                title=_str(r["title"]),
                by=_opt_str(r.get("by")),
                kind=None if r.get("kind") is None else ResourceKind(r["kind"]),
                hours=None if r.get("hours") is None else _float(r["hours"]),
                url=_opt_str(r.get("url")),
            )
            for r in data.get("resources", ())
        ),
        papers=tuple(
            Paper(
                id=_str(p["id"]),
                title=_str(p["title"]),
                authors=_opt_str(p.get("authors")),
                year=_int(p["year"]),
                contribution=_opt_str(p.get("contribution")),
                priority=PaperPriority(p.get("priority", PaperPriority.OPTIONAL)),
                domains=_ids(p.get("domains", ())),
                url=_opt_str(p.get("url")),
            )
            for p in data.get("papers", ())
        ),
        tracks=tuple(
            Track(
                id=_str(t["id"]),
                name=_str(t["name"]),
                description=_opt_str(t.get("description")),
                domains=_ids(_items(t["domains"])),
                study_order=_steps(t.get("study_order", ())),
                advice=_ids(t.get("advice", ())),
            )
            for t in data.get("tracks", ())
        ),
        study_order=_steps(data.get("study_order", ())),
        sources=tuple(
            Source(title=_str(s["title"]), by=_opt_str(s.get("by")), url=_opt_str(s.get("url")))
            for s in data.get("sources", ())
        ),
        demo=None if demo is None else _demo(demo),
    )


def _domain(d: Mapping[str, Any]) -> Domain:
    return Domain(
        id=_str(d["id"]),
        name=_str(d["name"]),
        kind=DomainKind(d.get("kind", DomainKind.SKILL)),
        math=_opt_str(d.get("math")),
        requires=tuple(
            _str(r)
            if isinstance(r, str)
            else DomainNeed(domain=_str(r["domain"]), to=_int(r["to"]))
            for r in d.get("requires", ())
        ),
        target=None if d.get("target") is None else _int(d["target"]),
        description=_opt_str(d.get("description")),
        topics=tuple(
            Topic(
                id=_str(t["id"]),
                name=_str(t["name"]),
                hours=_float(t["hours"]),
                description=_opt_str(t.get("description")),
                requires=_ids(t.get("requires", ())),
                resources=_ids(t.get("resources", ())),
                math=_opt_str(t.get("math")),
            )
            for t in _items(d["topics"])
        ),
    )


def _steps(steps: Iterable[Mapping[str, Any]]) -> tuple[StudyStep, ...]:
    return tuple(
        StudyStep(
            topic=_opt_str(s.get("topic")),
            topics=_ids(s.get("topics", ())),
            why=_opt_str(s.get("why")),
        )
        for s in steps
    )


def _demo(demo: Mapping[str, Any]) -> Demo:
    return Demo(
        track=_opt_str(demo.get("track")),
        math_level=_opt_str(demo.get("math_level")),
        weekly_hours=None if demo.get("weekly_hours") is None else _float(demo["weekly_hours"]),
        study_days=_ids(demo.get("study_days", ())),
        assessments={
            _str(k): DemoAssessment(current=_int(v["current"]), target=_int(v["target"]))
            for k, v in demo.get("assessments", {}).items()
        },
        todo=_ids(demo.get("todo", ())),
    )


# Type checks cheap enough for every read: a value of the wrong type would fail far
# from here (a string of hours in the planner's sums), so it fails now instead.


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, not {type(value).__name__}")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, not {type(value).__name__}")
    return value


def _float(value: Any) -> float:
    if type(value) not in (int, float):
        raise TypeError(f"expected a number, not {type(value).__name__}")
    return float(value)


def _ids(values: Iterable[Any]) -> tuple[str, ...]:
    if isinstance(values, str | Mapping):
        raise TypeError("expected a list")
    return tuple(_str(v) for v in values)


def _items(values: Any) -> Any:
    """A list that the format requires to be non-empty."""
    if isinstance(values, str | Mapping) or not values:
        raise ValueError("expected a non-empty list")
    return values


# -- checks a schema cannot make ---------------------------------------------------------------


def reference_problems(catalog: Catalog) -> list[tuple[Loc, str]]:
    """Every duplicate id, dangling reference and prerequisite cycle in ``catalog``."""
    problems: list[tuple[Loc, str]] = []
    problems += _duplicate_ids(catalog)
    domains = {d.id: d for d in catalog.domains}
    topics = {t.id for d in catalog.domains for t in d.topics}
    math_topics = {t.id for d in catalog.domains if d.kind is DomainKind.MATH for t in d.topics}
    resources = {r.id for r in catalog.resources}
    levels = {m.id for m in catalog.math_levels}

    def check(loc: Loc, ids: Iterable[str], known: set[str] | dict[str, Any], what: str) -> None:
        seen: set[str] = set()
        for i, ref in enumerate(ids):
            if ref not in known:
                problems.append(((*loc, i), f"unknown {what} '{ref}'"))
            elif ref in seen:
                problems.append(((*loc, i), f"{what} '{ref}' is listed twice"))
            seen.add(ref)

    for li, level in enumerate(catalog.math_levels):
        check(("math_levels", li, "topics"), level.topics, topics, "topic")
        for ti, tid in enumerate(level.topics):
            if tid in topics and tid not in math_topics:
                problems.append(
                    (("math_levels", li, "topics", ti), f"topic '{tid}' is not in a math domain")
                )
    for di, domain in enumerate(catalog.domains):
        if domain.math is not None and domain.math not in levels:
            problems.append((("domains", di, "math"), f"unknown math level '{domain.math}'"))
        check(("domains", di, "requires"), domain.required_domains, domains, "domain")
        for ti, topic in enumerate(domain.topics):
            if topic.math is not None and topic.math not in levels:
                problems.append(
                    (("domains", di, "topics", ti, "math"), f"unknown math level '{topic.math}'")
                )
            check(("domains", di, "topics", ti, "requires"), topic.requires, topics, "topic")
            check(
                ("domains", di, "topics", ti, "resources"), topic.resources, resources, "resource"
            )
    for pi, paper in enumerate(catalog.papers):
        check(("papers", pi, "domains"), paper.domains, domains, "domain")
    for ti, track in enumerate(catalog.tracks):
        check(("tracks", ti, "domains"), track.domains, domains, "domain")
    problems += _step_problems(("study_order",), catalog.study_order, topics)
    for ti, track in enumerate(catalog.tracks):
        problems += _step_problems(("tracks", ti, "study_order"), track.study_order, topics)
    if catalog.demo is not None:
        problems += _demo_problems(catalog.demo, domains, levels, {t.id for t in catalog.tracks})
        check(("demo", "todo"), catalog.demo.todo, topics, "topic")
    if not problems:
        problems += _cycles(
            "domains", {d.id: d.required_domains for d in catalog.domains}, "domain prerequisites"
        )
        problems += _cycles(
            "domains",
            {t.id: t.requires for d in catalog.domains for t in d.topics},
            "topic prerequisites",
        )
    if not problems:
        problems += _cycles("domains", _combined_graph(catalog), "domain and topic prerequisites")
    return problems


def _combined_graph(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Topics with their domains' prerequisites: a topic of a domain that requires D
    comes after D's topics. The node "domain D" stands for "all of D's topics"."""
    graph: dict[str, tuple[str, ...]] = {}
    for d in catalog.domains:
        graph[f"domain {d.id}"] = tuple(t.id for t in d.topics)
        gates = tuple(f"domain {r}" for r in d.required_domains)
        for t in d.topics:
            graph[t.id] = (*t.requires, *gates)
    return graph


def _step_problems(
    loc: Loc, steps: Iterable[StudyStep], topics: set[str]
) -> list[tuple[Loc, str]]:
    """A step names one topic (``topic``) or several (``topics``), all known."""
    problems: list[tuple[Loc, str]] = []
    for si, step in enumerate(steps):
        if (step.topic is None) == (not step.topics):
            problems.append(((*loc, si), "give either 'topic' or 'topics', not both or neither"))
        if step.topic is not None and step.topic not in topics:
            problems.append(((*loc, si, "topic"), f"unknown topic '{step.topic}'"))
        for i, ident in enumerate(step.topics):
            if ident not in topics:
                problems.append(((*loc, si, "topics", i), f"unknown topic '{ident}'"))
    return problems


def _duplicate_ids(catalog: Catalog) -> list[tuple[Loc, str]]:
    seen: dict[str, Loc] = {}
    problems: list[tuple[Loc, str]] = []
    entries: list[tuple[Loc, str]] = [
        (("math_levels", i, "id"), m.id) for i, m in enumerate(catalog.math_levels)
    ]
    for di, d in enumerate(catalog.domains):
        entries.append((("domains", di, "id"), d.id))
        entries += [(("domains", di, "topics", ti, "id"), t.id) for ti, t in enumerate(d.topics)]
    entries += [(("resources", i, "id"), r.id) for i, r in enumerate(catalog.resources)]
    entries += [(("papers", i, "id"), p.id) for i, p in enumerate(catalog.papers)]
    entries += [(("tracks", i, "id"), t.id) for i, t in enumerate(catalog.tracks)]
    for loc, ident in entries:
        if ident in seen:
            problems.append(
                (loc, f"duplicate id '{ident}' (first used at {format_loc(seen[ident])})")
            )
        else:
            seen[ident] = loc
    return problems


def _cycles(key: str, graph: dict[str, tuple[str, ...]], what: str) -> list[tuple[Loc, str]]:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        cycle = list(reversed(exc.args[1]))
        return [((key,), f"cycle in {what}: {' -> '.join(cycle)}")]
    return []


def _demo_problems(
    demo: Demo, domains: Mapping[str, Domain], levels: set[str], tracks: set[str]
) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if demo.track is not None and demo.track not in tracks:
        problems.append((("demo", "track"), f"unknown track '{demo.track}'"))
    if demo.math_level is not None and demo.math_level not in levels:
        problems.append((("demo", "math_level"), f"unknown math level '{demo.math_level}'"))
    for domain_id in demo.assessments:
        if domain_id not in domains:
            problems.append((("demo", "assessments", domain_id), f"unknown domain '{domain_id}'"))
    return problems
