"""A redline against the standard text as real Word tracked changes (`w:ins` / `w:del`, author, date).

Paragraphs are aligned first (so a deleted paragraph is deleted whole and an untouched one keeps the
editor's formatting), then changed paragraphs get a word diff. Accepting every change gives the text as
negotiated; rejecting every change gives the library's standard text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher

from docx.text.paragraph import Paragraph as DocxParagraph

from clauses._docx_text import add_runs, as_deleted, mark_paragraph, revision, safe
from clauses._normalise import normalise
from clauses.deviation import DiffOp, word_diff
from clauses.document import Run

_BLANK_LINE = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with each paragraph of the edited clause (`keep`, `insert`, or a word diff), and the
    standard paragraphs deleted before paragraph k (k = number of paragraphs: after the last)."""

    actions: tuple[str | tuple[DiffOp, ...], ...]
    deleted_before: dict[int, list[str]] = field(default_factory=dict)


def standard_paragraphs(text: str) -> list[str]:
    """The paragraphs of a library text (separated by blank lines), normalised."""
    return [p for p in (normalise(part) for part in _BLANK_LINE.split(text)) if p]


def plan(standard: Sequence[str], edited: Sequence[str]) -> Plan:
    """Align normalised standard paragraphs with the edited ones; pair replaced ones for a word diff."""
    actions: list[str | tuple[DiffOp, ...]] = []
    deleted: dict[int, list[str]] = {}
    matcher = SequenceMatcher(None, list(standard), [normalise(p) for p in edited], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            actions.extend("keep" for _ in range(j1, j2))
            continue
        paired = min(i2 - i1, j2 - j1)
        actions.extend(word_diff(standard[i1 + k], edited[j1 + k]) for k in range(paired))
        actions.extend("insert" for _ in range(j1 + paired, j2))
        if i1 + paired < i2:
            deleted.setdefault(j2, []).extend(standard[i1 + paired : i2])
    return Plan(tuple(actions), deleted)


def spaced(ops: Iterable[DiffOp]) -> list[DiffOp]:
    """Diff segments with the spaces between them placed so that accepting all changes gives the edited
    text and rejecting all gives the standard text, each with single spaces and no stray ones."""
    out: list[DiffOp] = []
    old_started = new_started = False
    for op, text in ops:
        if op == "equal":
            if old_started and new_started:
                out.append(("equal", " "))
            elif old_started:
                out.append(("delete", " "))
            elif new_started:
                out.append(("insert", " "))
            out.append(("equal", text))
            old_started = new_started = True
        elif op == "delete":
            out.append(("delete", f" {text}" if old_started else text))
            old_started = True
        else:
            out.append(("insert", f" {text}" if new_started else text))
            new_started = True
    return out


class Tracker:
    """Writes tracked changes with one author and date, and ids unique within the document."""

    def __init__(self, author: str, when: datetime) -> None:
        self.author = safe(author) or "Dealroom"
        self.date = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._ids = itertools.count(1)

    def _wrap(self, tag: str, paragraph: DocxParagraph, runs: Iterable[Run]) -> None:
        for run in add_runs(paragraph, runs):
            if tag == "w:del":
                as_deleted(run)
            change = revision(tag, next(self._ids), self.author, self.date)
            run._r.addprevious(change)
            change.append(run._r)

    def inserted(self, paragraph: DocxParagraph, runs: Sequence[Run]) -> None:
        """The paragraph's runs, and the paragraph itself, as inserted."""
        self._wrap("w:ins", paragraph, runs)
        mark_paragraph(paragraph, revision("w:ins", next(self._ids), self.author, self.date))

    def deleted(self, paragraph: DocxParagraph, text: str) -> None:
        """The paragraph's text, and the paragraph itself, as deleted."""
        self._wrap("w:del", paragraph, [Run(text)])
        mark_paragraph(paragraph, revision("w:del", next(self._ids), self.author, self.date))

    def diff(self, paragraph: DocxParagraph, ops: Iterable[DiffOp]) -> None:
        """A word diff as plain, inserted and deleted runs."""
        for op, text in spaced(ops):
            if op == "equal":
                add_runs(paragraph, [Run(text)])
            else:
                self._wrap("w:ins" if op == "insert" else "w:del", paragraph, [Run(text)])
