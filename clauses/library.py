"""The clause library: clauses, their versions (draft → published → retired) and ranked fallbacks.

Everything is frozen: a lifecycle step returns a new Clause and leaves every other version as it was, so
rooms pinned to a version keep comparing against exactly the text they were drafted from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from clauses._fields import positive, string, unknown_fields
from clauses._normalise import normalise
from clauses.errors import ClauseInvalid, LifecycleConflict
from clauses.variables import PLACEHOLDER, unknown_names


class Status(StrEnum):
    """Where a clause version is in its lifecycle."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class Fallback:
    """An approved alternative wording: rank 1 is offered first; `when_to_use` is legal's guidance."""

    rank: int
    text: str
    when_to_use: str


@dataclass(frozen=True, slots=True)
class ClauseVersion:
    """One wording of a clause; `deviation_approval` is who must approve a non-standard edit of it."""

    number: int
    status: Status
    text: str
    fallbacks: tuple[Fallback, ...] = ()
    deviation_approval: str = "legal"

    def fallback(self, rank: int) -> Fallback | None:
        """The fallback of that rank, if there is one."""
        return next((f for f in self.fallbacks if f.rank == rank), None)


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of the library: `id` is what a `clause` node in the terms carries as `clauseId`."""

    id: str
    key: str
    title: str
    category: str
    versions: tuple[ClauseVersion, ...] = ()

    def version(self, number: int) -> ClauseVersion | None:
        """The version with that number, whatever its status."""
        return next((v for v in self.versions if v.number == number), None)

    @property
    def latest_published(self) -> ClauseVersion | None:
        """The version new rooms get (and rooms pinned to an older one are offered)."""
        published = [v for v in self.versions if v.status is Status.PUBLISHED]
        return max(published, key=lambda v: v.number, default=None)

    @property
    def draft(self) -> ClauseVersion | None:
        """The version legal is working on, if any (there is at most one)."""
        return next((v for v in self.versions if v.status is Status.DRAFT), None)


@dataclass(frozen=True, slots=True)
class ClauseLibrary:
    """All clauses, by id."""

    clauses: Mapping[str, Clause]

    def __iter__(self) -> Iterator[Clause]:
        return iter(self.clauses.values())

    def __len__(self) -> int:
        return len(self.clauses)

    def get(self, clause_id: str) -> Clause | None:
        """The clause with that id, if the library has it."""
        return self.clauses.get(clause_id)

    def with_clause(self, clause: Clause) -> ClauseLibrary:
        """A library with `clause` added or replaced; this one is unchanged."""
        return ClauseLibrary({**self.clauses, clause.id: clause})

    @staticmethod
    def of(clauses: Sequence[Clause]) -> ClauseLibrary:
        """A library of these clauses (ids are assumed unique; `library_from_dict` checks that)."""
        return ClauseLibrary({c.id: c for c in clauses})


def add_draft(
    clause: Clause, text: str, fallbacks: Sequence[Fallback] = (), deviation_approval: str = "legal"
) -> Clause:
    """The clause with a new draft version numbered after the highest one; refused while a draft exists."""
    if clause.draft is not None:
        raise LifecycleConflict(f"{clause.id}: version {clause.draft.number} is already a draft")
    number = max((v.number for v in clause.versions), default=0) + 1
    version = ClauseVersion(number, Status.DRAFT, text, tuple(fallbacks), deviation_approval)
    errors: list[str] = []
    _check_version(version, f"versions[{len(clause.versions)}]", errors)
    if errors:
        raise ClauseInvalid(errors)
    ranked = replace(version, fallbacks=tuple(sorted(version.fallbacks, key=lambda f: f.rank)))
    return replace(clause, versions=(*clause.versions, ranked))


def publish(clause: Clause, number: int) -> Clause:
    """The clause with draft `number` published; other versions, published ones included, stay as they are."""
    return _move(clause, number, Status.DRAFT, Status.PUBLISHED)


def retire(clause: Clause, number: int) -> Clause:
    """The clause with published version `number` retired: no new room gets it, pinned rooms keep it."""
    return _move(clause, number, Status.PUBLISHED, Status.RETIRED)


def _move(clause: Clause, number: int, source: Status, target: Status) -> Clause:
    version = clause.version(number)
    if version is None:
        raise LifecycleConflict(f"{clause.id}: no version {number}")
    if version.status is not source:
        raise LifecycleConflict(f"{clause.id}: version {number} is {version.status}, not {source}")
    moved = replace(version, status=target)
    return replace(clause, versions=tuple(moved if v.number == number else v for v in clause.versions))


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_CLAUSE_FIELDS = {"id", "key", "title", "category", "versions"}
_VERSION_FIELDS = {"number", "status", "text", "fallbacks", "deviation_approval"}
_FALLBACK_FIELDS = {"rank", "text", "when_to_use"}
_STATUSES = frozenset(s.value for s in Status)


def library_from_dict(data: object) -> ClauseLibrary:
    """A checked library from plain data (`{"clauses": [...]}`, as YAML or JSON gives it). Raise
    `ClauseInvalid` listing every problem, each with its path (`clauses[2].versions[0].fallbacks[1].rank`)."""
    errors: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("clauses"), list):
        raise ClauseInvalid(["clauses: expected a list of clauses"])
    unknown_fields(data, {"clauses"}, "", errors)
    clauses: list[Clause] = []
    seen_ids: set[str] = set()
    seen_keys: set[str] = set()
    for index, raw in enumerate(data["clauses"]):
        path = f"clauses[{index}]"
        if isinstance(raw, Mapping):
            for name, seen in (("id", seen_ids), ("key", seen_keys)):
                value = raw.get(name)
                if isinstance(value, str) and value in seen:
                    errors.append(f"{path}.{name}: duplicate {name} {value!r}")
                seen.add(value if isinstance(value, str) else "")
        clause = _clause(raw, path, errors)
        if clause is not None:
            clauses.append(clause)
    if errors:
        raise ClauseInvalid(errors)
    return ClauseLibrary.of(clauses)


def clause_from_dict(data: object) -> Clause:
    """One checked clause from plain data; raise `ClauseInvalid` with every problem and its path."""
    errors: list[str] = []
    clause = _clause(data, "", errors)
    if clause is None or errors:
        raise ClauseInvalid(errors)
    return clause


def library_to_dict(library: ClauseLibrary) -> dict[str, object]:
    """The library as plain data that `library_from_dict` reads back."""
    return {
        "clauses": [
            {
                "id": c.id,
                "key": c.key,
                "title": c.title,
                "category": c.category,
                "versions": [
                    {
                        "number": v.number,
                        "status": v.status.value,
                        "text": v.text,
                        "deviation_approval": v.deviation_approval,
                        "fallbacks": [
                            {"rank": f.rank, "text": f.text, "when_to_use": f.when_to_use} for f in v.fallbacks
                        ],
                    }
                    for v in c.versions
                ],
            }
            for c in library
        ]
    }


def _fields(raw: object, path: str, allowed: set[str], errors: list[str]) -> Mapping[object, object] | None:
    """`raw` as a mapping, its unknown fields recorded; None, with the error recorded, when it is not one."""
    if not isinstance(raw, Mapping):
        errors.append(f"{path or 'clause'}: expected a mapping")
        return None
    unknown_fields(raw, allowed, f"{path}." if path else "", errors)
    return raw


def _clause(data: object, path: str, errors: list[str]) -> Clause | None:
    raw = _fields(data, path, _CLAUSE_FIELDS, errors)
    if raw is None:
        return None
    at = f"{path}." if path else ""
    clause_id = string(raw, "id", at, errors, _ID)
    key = string(raw, "key", at, errors, _NAME)
    title = string(raw, "title", at, errors)
    category = string(raw, "category", at, errors, _NAME)
    versions: list[ClauseVersion] = []
    raw_versions = raw.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        errors.append(f"{at}versions: expected a non-empty list")
        raw_versions = []
    for index, item in enumerate(raw_versions):
        version = _version(item, f"{at}versions[{index}]", errors)
        if version is not None:
            versions.append(version)
    numbers = [v.number for v in versions]
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        errors.append(f"{at}versions: duplicate number {number}")
    if sum(v.status is Status.DRAFT for v in versions) > 1:
        errors.append(f"{at}versions: more than one draft")
    if clause_id is None or key is None or title is None or category is None:
        return None
    return Clause(clause_id, key, title, category, tuple(versions))


def _version(data: object, path: str, errors: list[str]) -> ClauseVersion | None:
    raw = _fields(data, path, _VERSION_FIELDS, errors)
    if raw is None:
        return None
    at = f"{path}."
    number = positive(raw, "number", at, errors)
    status_text = raw.get("status")
    status = Status(status_text) if isinstance(status_text, str) and status_text in _STATUSES else None
    if status is None:
        errors.append(f"{at}status: expected one of {', '.join(Status)}, got {status_text!r}")
    text = string(raw, "text", at, errors)
    approval = string(raw, "deviation_approval", at, errors, _NAME) if "deviation_approval" in raw else "legal"
    fallbacks: list[Fallback] = []
    raw_fallbacks = raw.get("fallbacks", [])
    if not isinstance(raw_fallbacks, list):
        errors.append(f"{at}fallbacks: expected a list")
        raw_fallbacks = []
    for index, item in enumerate(raw_fallbacks):
        fallback = _fallback(item, f"{at}fallbacks[{index}]", errors)
        if fallback is not None:
            fallbacks.append(fallback)
    if text is None:
        return None
    # Cross-field checks run even when another field failed, so one pass reports every problem; stand-ins
    # for the failed fields are valid and add no error of their own.
    provisional = ClauseVersion(number or 1, status or Status.DRAFT, text, tuple(fallbacks), approval or "legal")
    if len(fallbacks) == len(raw_fallbacks):  # else paths would not match indexes, and ranks repeat errors
        _check_version(provisional, path, errors)
    if number is None or status is None or approval is None:
        return None
    return replace(provisional, fallbacks=tuple(sorted(fallbacks, key=lambda f: f.rank)))


def _fallback(data: object, path: str, errors: list[str]) -> Fallback | None:
    raw = _fields(data, path, _FALLBACK_FIELDS, errors)
    if raw is None:
        return None
    at = f"{path}."
    rank = positive(raw, "rank", at, errors)
    text = string(raw, "text", at, errors)
    when = string(raw, "when_to_use", at, errors)
    return None if rank is None or text is None or when is None else Fallback(rank, text, when)


def _check_version(version: ClauseVersion, path: str, errors: list[str]) -> None:
    """What holds across a version's fields: known variables, ranks 1..n, wordings that can be told apart."""
    at = f"{path}." if path else ""
    if not _NAME.fullmatch(version.deviation_approval):
        errors.append(f"{at}deviation_approval: expected a lower-case name, got {version.deviation_approval!r}")
    texts = [(f"{at}text", version.text)] + [
        (f"{at}fallbacks[{i}].text", f.text) for i, f in enumerate(version.fallbacks)
    ]
    for where, text in texts:
        if not normalise(text):
            errors.append(f"{where}: must not be empty")
        for name in unknown_names(text):
            errors.append(f"{where}: unknown variable {{{{{name}}}}}")
        if "{{" in PLACEHOLDER.sub("", text):
            errors.append(f"{where}: malformed placeholder (write {{{{customer.name}}}})")
    ranks = sorted(f.rank for f in version.fallbacks)
    if ranks != list(range(1, len(ranks) + 1)):
        errors.append(f"{at}fallbacks: ranks must be 1..{len(ranks)} without gaps or repeats, got {ranks}")
    seen: dict[str, str] = {}
    for where, text in texts:
        norm = normalise(text)
        if norm and norm in seen:
            errors.append(f"{where}: same wording as {seen[norm]}")
        seen.setdefault(norm, where)
