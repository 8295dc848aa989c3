"""The catalog model: what there is to learn, validated as a whole.

Pure: no files, no YAML, no database. :func:`parse_catalog` takes plain data
(what a YAML file holds) and either returns a :class:`Catalog` whose every
reference resolves and whose prerequisites form no cycle, or raises
:class:`CatalogInvalid` listing every problem with the path of the offending key.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
)

from gapcli.errors import GapError

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=4000)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]
# Numbers are strict: YAML's `true` or a quoted "4" is a wrong type, not 1.0 or 4.0
# (an int is still a valid float).
Hours = Annotated[float, Field(gt=0, le=10_000, allow_inf_nan=False, strict=True)]
Percent = Annotated[int, Field(ge=0, le=100, strict=True)]
Year = Annotated[int, Field(ge=1900, le=2100, strict=True)]

Loc = tuple[str | int, ...]


class CatalogInvalid(GapError):
    """The catalog data breaks the format; ``problems`` holds (key path, message) pairs."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{format_loc(loc)}: {msg}" for loc, msg in problems))


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class MathLevel(_Model):
    id: Id
    name: Name
    description: Text | None = None
    topics: tuple[Id, ...] = ()


class Topic(_Model):
    id: Id
    name: Name
    hours: Hours
    description: Text | None = None
    requires: tuple[Id, ...] = ()
    resources: tuple[Id, ...] = ()
    # The math level this topic needs, when it differs from its domain's: a
    # precise edge ("LoRA needs the light maths") instead of the domain's whole
    # level in front of every topic.
    math: Id | None = None


class DomainNeed(_Model):
    """A prerequisite domain, needed up to ``to`` % of its teaching order, not all of it."""

    domain: Id
    to: Annotated[int, Field(ge=1, le=100, strict=True)]


def _requirement_kind(value: Any) -> str:
    """Which form a ``requires`` entry takes, so an error speaks of that form alone."""
    return _NEED_TAG if isinstance(value, Mapping | DomainNeed) else _ID_TAG


# Tags of the two forms; they appear in pydantic's error paths and are dropped there.
_ID_TAG, _NEED_TAG = "domain-id", "domain-need"
DomainRequirement = Annotated[
    Annotated[Id, Tag(_ID_TAG)] | Annotated[DomainNeed, Tag(_NEED_TAG)],
    Discriminator(_requirement_kind),
]


class Domain(_Model):
    id: Id
    name: Name
    kind: Literal["skill", "math"] = "skill"
    math: Id | None = None
    # A domain id means "up to the learner's target for it"; {domain, to} says how much.
    requires: tuple[DomainRequirement, ...] = ()
    target: Percent | None = None
    description: Text | None = None
    topics: tuple[Topic, ...] = Field(min_length=1)

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


class Resource(_Model):
    id: Id
    title: Name
    by: Name | None = None
    kind: (
        Literal["video", "course", "book", "docs", "paper", "article", "tool", "website"] | None
    ) = None
    hours: Hours | None = None
    url: Url | None = None


class Paper(_Model):
    id: Id
    title: Name
    authors: Name | None = None
    year: Year
    contribution: Text | None = None
    priority: Literal["essential", "important", "optional"] = "optional"
    domains: tuple[Id, ...] = ()
    url: Url | None = None


class StudyStep(_Model):
    """One step of a roadmap's recommended order: a topic, or a few studied together."""

    topic: Id | None = None
    topics: tuple[Id, ...] = ()
    why: Text | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.topic, *self.topics) if self.topic is not None else self.topics


class Track(_Model):
    id: Id
    name: Name
    description: Text | None = None
    domains: tuple[Id, ...] = Field(min_length=1)
    # The roadmap's own first steps for this track; without them, the catalog's.
    study_order: tuple[StudyStep, ...] = ()
    # What the roadmap advises beyond topics ("two papers a week"), shown with the plan.
    advice: tuple[Text, ...] = ()


class Source(_Model):
    """A roadmap or course the catalog's facts come from, credited where the catalog is shown."""

    title: Name
    by: Name | None = None
    url: Url | None = None


class DemoAssessment(_Model):
    current: Percent
    target: Percent


class Demo(_Model):
    """An example learner, loaded by ``gapcli init --demo``."""

    track: Id | None = None
    math_level: Id | None = None
    weekly_hours: Annotated[float, Field(gt=0, le=168, strict=True)] | None = None
    study_days: tuple[str, ...] = ()
    assessments: dict[Id, DemoAssessment] = Field(default_factory=dict)
    # Topics this learner has not done although their % covers them: the
    # roadmap's advice for this very learner names them.
    todo: tuple[Id, ...] = ()


class Catalog(_Model):
    catalog: Literal[1]
    id: Id
    name: Name
    description: Text | None = None
    math_levels: tuple[MathLevel, ...] = ()
    domains: tuple[Domain, ...] = Field(min_length=1)
    resources: tuple[Resource, ...] = ()
    papers: tuple[Paper, ...] = ()
    tracks: tuple[Track, ...] = ()
    study_order: tuple[StudyStep, ...] = ()
    sources: tuple[Source, ...] = ()
    demo: Demo | None = None

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


def parse_catalog(data: Any) -> Catalog:
    """Validate plain data into a :class:`Catalog`, or raise :class:`CatalogInvalid`."""
    if not isinstance(data, Mapping):
        raise CatalogInvalid([((), "the catalog must be a mapping of keys to values")])
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        raise CatalogInvalid(_validation_problems(exc.errors())) from None
    problems = reference_problems(catalog)
    if problems:
        raise CatalogInvalid(problems)
    return catalog


def _validation_problems(errors: list[Any]) -> list[tuple[Loc, str]]:
    """pydantic's errors as problems, minus the echoes of an invalid item.

    A tuple whose only item is invalid also reports "should have at least 1 item";
    that second line points away from the real mistake, so it is dropped when an
    error inside the same tuple explains it.
    """
    tags = (_ID_TAG, _NEED_TAG)
    locs = [tuple(part for part in err["loc"] if part not in tags) for err in errors]
    problems: list[tuple[Loc, str]] = []
    for loc, err in zip(locs, errors, strict=True):
        if err.get("type") == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in locs
        ):
            continue
        if _neither_requirement_form(loc, err):
            problems.append((loc, "must be a domain id or {domain: ID, to: PERCENT}"))
            continue
        problems.append((loc, _pydantic_message(err)))
    return problems


def _neither_requirement_form(loc: Loc, err: Any) -> bool:
    """A domain's ``requires`` entry that is neither a string nor a mapping."""
    at_requirement = len(loc) == 4 and loc[0] == "domains" and loc[2] == "requires"
    return at_requirement and err.get("type") in ("string_type", "model_type", "dict_type")


def _pydantic_message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (check its spelling against docs/catalog.md)"
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error" and err["loc"] == ("catalog",):
        return "unsupported catalog format version (this gapcli reads version 1)"
    if kind == "too_short":
        least = (err.get("ctx") or {}).get("min_length", 1)
        return f"must list at least {least} item{'s' if least != 1 else ''}"
    return str(err.get("msg", "invalid value"))


def reference_problems(catalog: Catalog) -> list[tuple[Loc, str]]:
    """Every duplicate id, dangling reference and prerequisite cycle in ``catalog``."""
    problems: list[tuple[Loc, str]] = []
    problems += _duplicate_ids(catalog)
    domains = {d.id: d for d in catalog.domains}
    topics = {t.id for d in catalog.domains for t in d.topics}
    math_topics = {t.id for d in catalog.domains if d.kind == "math" for t in d.topics}
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
