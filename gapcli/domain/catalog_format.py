"""The catalog file format: what a catalog file may hold, checked at the boundary.

Pure (no files, no YAML), and the one place that imports pydantic for catalogs:
:func:`parse_catalog` validates plain data (what a YAML file holds) with the
pydantic models below, builds the plain records of :mod:`gapcli.domain.catalog`
from it, and checks references and cycles. It returns a catalog whose every
reference resolves and whose prerequisites form no cycle, or raises
:class:`CatalogInvalid` listing every problem with the path of the offending key.
"""

from __future__ import annotations

from collections.abc import Mapping
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

from gapcli.domain import catalog as model
from gapcli.domain.catalog import Loc, format_loc
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


class CatalogInvalid(GapError):
    """The catalog data breaks the format; ``problems`` holds (key path, message) pairs."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{format_loc(loc)}: {msg}" for loc, msg in problems))


class _Model(BaseModel):
    """The format's entries: unknown keys are errors (a misspelt key is not ignored)."""

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
    """A whole catalog file; its fields mirror :class:`gapcli.domain.catalog.Catalog`."""

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


def parse_catalog(data: Any) -> model.Catalog:
    """Validate plain data into a :class:`~gapcli.domain.catalog.Catalog`, or raise
    :class:`CatalogInvalid`."""
    if not isinstance(data, Mapping):
        raise CatalogInvalid([((), "the catalog must be a mapping of keys to values")])
    try:
        checked = Catalog.model_validate(data)
    except ValidationError as exc:
        raise CatalogInvalid(_validation_problems(exc.errors())) from None
    catalog = model.catalog_from_data(checked.model_dump())
    problems = model.reference_problems(catalog)
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
