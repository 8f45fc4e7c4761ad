"""Deviation check (pure): each clause block of the terms against its pinned library version.

A block is compared after variable substitution and normalisation (whitespace, typographic quotes and
dashes, invisible characters), so layout and filled-in deal fields never count as edits; any changed
word does. Results are memoised by text, so re-checking 50 clauses after one edit costs one comparison.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from clauses._normalise import normalise, words
from clauses.document import Block, ClauseBlock, Terms
from clauses.library import Clause, ClauseLibrary, ClauseVersion, Status
from clauses.variables import substitute

Op = Literal["equal", "insert", "delete"]
DiffOp = tuple[Op, str]
_Values = tuple[tuple[str, str], ...]


class Verdict(StrEnum):
    """How a clause block relates to the library."""

    STANDARD = "standard"
    FALLBACK = "fallback"
    NON_STANDARD = "non_standard"
    UNKNOWN = "unknown"  # not in the library, no usable version, or pinned to an unpublished draft


@dataclass(frozen=True, slots=True)
class Deviation:
    """The verdict on one clause block (`index`: its position among the clause blocks of the terms).

    `diff` is a word diff from the standard text to the block's text (segments are joined by single
    spaces); `approval` is who must approve, None for standard text and approved fallbacks; `digest`
    identifies the exact wording, so an approval can be bound to it."""

    index: int
    clause_id: str
    version: int | None
    status: Verdict
    fallback_rank: int | None
    category: str | None
    approval: str | None
    diff: tuple[DiffOp, ...]
    digest: str
    latest_version: int | None
    reason: str
    unknown_variables: tuple[str, ...] = ()
    kind: str = "clause"  # or "free_text": the text outside clause blocks (`clauses.free_text`)


def check_terms(
    terms: Terms | Iterable[Block],
    library: ClauseLibrary,
    variables: Mapping[str, str],
    *,
    unknown_approval: str = "legal",
) -> list[Deviation]:
    """A Deviation for every clause block, in document order. A block the library cannot vouch for is
    `unknown` and needs `unknown_approval`: a hand-made clause node must not pass as standard."""
    clauses = (terms if isinstance(terms, Terms) else Terms(tuple(terms))).clauses()
    values: _Values = tuple(sorted(variables.items()))
    return [_check(i, block, library, values, unknown_approval) for i, block in enumerate(clauses)]


def word_diff(standard: str, edited: str) -> tuple[DiffOp, ...]:
    """Word-level diff between two texts (normalised first); a replaced run is a delete then an insert."""
    return _diff(normalise(standard), normalise(edited))


def approval_facts(deviations: Iterable[Deviation]) -> dict[str, list[str]]:
    """The approval facts these deviations raise (`non_standard_clauses`: categories, and
    `non_standard_clause_texts`: "clause:digest" of each wording that needs approval)."""
    needing = [d for d in deviations if d.approval is not None]
    return {
        "non_standard_clauses": sorted({d.category or "unknown" for d in needing}),
        "non_standard_clause_texts": sorted({f"{d.clause_id or d.category or 'unknown'}:{d.digest}" for d in needing}),
    }


def prepared_text(text: str, values: _Values) -> tuple[str, tuple[str, ...]]:
    """`text` with the variables' values substituted and normalised as the check compares it, and the
    names of the variables it uses that have no value (`values`: sorted (name, value) pairs)."""
    return _prepared(text, values)


def word_diff_of(standard: str, edited: str) -> tuple[DiffOp, ...]:
    """Word diff between two texts already prepared (`prepared_text`)."""
    return _diff(standard, edited)


def digest_of(text: str) -> str:
    """The digest that identifies a prepared wording (an approval is bound to it)."""
    return _digest(text)


def _check(index: int, block: ClauseBlock, library: ClauseLibrary, values: _Values, unknown_approval: str) -> Deviation:
    text, unknown_vars = _prepared(block.text, values)
    digest = _digest(text)
    clause = library.get(block.clause_id)
    version = clause.version(block.version) if clause is not None and block.version is not None else None
    problem = _unusable(block, clause, version)
    if problem is not None or clause is None or version is None:
        return Deviation(
            index, block.clause_id, block.version, Verdict.UNKNOWN, None, clause.category if clause else None,
            unknown_approval, (("insert", text),) if text else (), digest, _latest(clause), problem or "",
            unknown_vars,
        )  # fmt: skip
    standard, _ = _prepared(version.text, values)
    common = (index, block.clause_id, version.number)
    latest = _latest(clause)
    retitled = _retitled(block, clause)
    if retitled is not None:
        # The heading is printed as the clause's title: "Unlimited liability" over the standard text is an
        # edit of the clause, shown (and bound) with its title.
        heading, title = normalise(retitled), normalise(clause.title)
        diff = _diff(title, heading) + _diff(standard, text)  # title and body each against their own
        return Deviation(
            *common, Verdict.NON_STANDARD, None, clause.category, version.deviation_approval, diff,
            _digest(f"{heading}\n{text}"), latest, f'retitled: "{retitled.strip()}", not "{clause.title}"',
            unknown_vars,
        )  # fmt: skip
    if text == standard:
        return Deviation(
            *common, Verdict.STANDARD, None, clause.category, None, (), digest, latest, "standard text", unknown_vars
        )
    for fallback in version.fallbacks:
        if text == _prepared(fallback.text, values)[0]:
            return Deviation(
                *common, Verdict.FALLBACK, fallback.rank, clause.category, None, _diff(standard, text), digest,
                latest, f"approved fallback {fallback.rank}", unknown_vars,
            )  # fmt: skip
    return Deviation(
        *common, Verdict.NON_STANDARD, None, clause.category, version.deviation_approval, _diff(standard, text),
        digest, latest, f"edited: differs from version {version.number} and its fallbacks", unknown_vars,
    )  # fmt: skip


def _unusable(block: ClauseBlock, clause: Clause | None, version: ClauseVersion | None) -> str | None:
    # People read these: the clause by its title (or the heading it carries), never by its library key.
    if clause is None:
        heading = block.heading.text.strip() if block.heading is not None else ""
        return f'"{heading}" is not in the library' if heading else "this clause is not in the library"
    if block.version is None:
        return f'"{clause.title}" names no library version'
    if version is None:
        return f'"{clause.title}" has no version {block.version}'
    if version.status is Status.DRAFT:
        return f'version {version.number} of "{clause.title}" is a draft, not approved text'
    return None


_SECTION_NUMBER = re.compile(r"\s*\d+(?:\.\d+)*\.?\s+")


def _retitled(block: ClauseBlock, clause: Clause) -> str | None:
    """The block's heading when it says something other than the clause's title (a section number in
    front, "3. Liability", is layout, not an edit); None when it has no heading or the title's words."""
    heading = block.heading
    if heading is None:
        return None
    shown = _SECTION_NUMBER.sub("", heading.text, count=1) if _SECTION_NUMBER.match(heading.text) else heading.text
    return None if normalise(shown) == normalise(clause.title) else heading.text


def _latest(clause: Clause | None) -> int | None:
    latest = clause.latest_published if clause is not None else None
    return latest.number if latest is not None else None


@lru_cache(maxsize=4096)
def _prepared(text: str, values: _Values) -> tuple[str, tuple[str, ...]]:
    substitution = substitute(text, dict(values))
    return normalise(substitution.text), substitution.unknown


@lru_cache(maxsize=1024)
def _diff(standard: str, edited: str) -> tuple[DiffOp, ...]:
    a, b = words(standard), words(edited)
    ops: list[DiffOp] = []

    def add(op: Op, chunk: list[str]) -> None:
        if not chunk:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, f"{ops[-1][1]} {' '.join(chunk)}")
        else:
            ops.append((op, " ".join(chunk)))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return tuple(ops)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
