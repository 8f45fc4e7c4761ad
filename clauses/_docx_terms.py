"""The terms section of the DOCX: the editor's blocks as Word paragraphs, clauses under numbered headings.

Sections are counted over clauses and the top-level headings that show a number: a clause's title, or a
heading the user already numbered ("2. Payment"), which sets the count, so typed and generated numbers carry
on from each other. A heading without a number (the agreement's own title) counts for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.document import Document
from docx.text.paragraph import Paragraph as DocxParagraph

from clauses._docx_lists import Numbering, list_style
from clauses._docx_text import add_rule, add_runs
from clauses.contract import ContractData
from clauses.deviation import Deviation, Verdict, check_terms
from clauses.document import Block, ClauseBlock, CodeBlock, Heading, ListBlock, Paragraph, Quote, Rule, Run, leaf_texts
from clauses.redline import Plan, Tracker, plan, standard_paragraphs
from clauses.variables import substitute

# "1. ", "1) " or "1.2 ": a number the user typed. A bare "2025 " is a year, not a section number.
_NUMBERED = re.compile(r"\s*(\d{1,3})(?:(?:\.\d+)*[.)]|(?:\.\d+)+)\s")


class _Redline:
    """The plan for one clause body, consumed paragraph by paragraph as the body is written."""

    def __init__(self, redline_plan: Plan, tracker: Tracker) -> None:
        self.plan = redline_plan
        self.tracker = tracker
        self.position = 0


class TermsWriter:
    """Writes the terms into a document, with tracked changes for deviating clauses when redlining."""

    def __init__(self, document: Document, contract: ContractData, tracker: Tracker | None) -> None:
        self._document = document
        self._contract = contract
        self._tracker = tracker
        self._numbering = Numbering(document)
        self._redline: _Redline | None = None
        self._style_ids: dict[str, str] = {}
        self._deviations: dict[int, Deviation] = {}
        if tracker is not None:
            found = check_terms(contract.terms, contract.library, contract.variables)
            self._deviations = {id(b): d for b, d in zip(contract.terms.clauses(), found, strict=True)}

    def write(self) -> None:
        """Every block of the terms, in order."""
        blocks = self._contract.terms.blocks
        section = 0
        titled = False  # the heading just written is the title of the clause that follows
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Heading) and block.level <= 2:
                typed = _number_in(block.text)
                titled = isinstance(following, ClauseBlock) and following.heading is None
                if typed is not None or titled:
                    section = typed or section + 1
                # A heading that shows no number (the agreement's title above the clauses, "Annexes") takes
                # none: the first clause after "Master Subscription Agreement" is 1, not 2.
                self._heading(block.runs, 2, section if titled else None)
            elif isinstance(block, ClauseBlock):
                if not titled:
                    section = self._clause_heading(block, section + 1)
                self._clause(block)
                titled = False
            else:
                self._block(block, 0)
                titled = False

    def _clause_heading(self, block: ClauseBlock, number: int) -> int:
        runs: Sequence[Run]
        if block.heading is not None:
            number = _number_in(block.heading.text) or number
            runs = block.heading.runs
        else:
            clause = self._contract.library.get(block.clause_id)
            runs = (Run(clause.title if clause else block.clause_id or "Clause"),)
        self._heading(runs, 2, number)
        return number

    def _heading(self, runs: Sequence[Run], level: int, number: int | None) -> None:
        paragraph = self._paragraph(f"Heading {level}")
        text = "".join(r.text for r in runs)
        if number is not None and not _NUMBERED.match(text):
            add_runs(paragraph, [Run(f"{number}. ")])
        add_runs(paragraph, runs)

    def _clause(self, block: ClauseBlock) -> None:
        deviation = self._deviations.get(id(block))
        if self._tracker is None or deviation is None or deviation.status is Verdict.STANDARD:
            self._blocks(block.body, 0)
            return
        edited = leaf_texts(block.body)  # in the order _leaf meets them: document order, depth first
        self._redline = _Redline(plan(self._standard(deviation), edited), self._tracker)
        self._blocks(block.body, 0)
        self._deleted_before(len(edited))
        self._redline = None

    def _standard(self, deviation: Deviation) -> list[str]:
        clause = self._contract.library.get(deviation.clause_id)
        version = clause.version(deviation.version) if clause and deviation.version is not None else None
        if version is None or deviation.status is Verdict.UNKNOWN:
            return []  # nothing in the library to compare with: the whole clause shows as inserted
        return standard_paragraphs(substitute(version.text, self._contract.variables).text)

    def _blocks(self, blocks: Sequence[Block], depth: int, style: str | None = None) -> None:
        for block in blocks:
            self._block(block, depth, style)

    def _block(self, block: Block, depth: int, style: str | None = None) -> None:
        if isinstance(block, Paragraph):
            self._leaf(block.runs, style)
        elif isinstance(block, Heading):
            self._leaf(block.runs, f"Heading {min(max(block.level, 3), 6)}")
        elif isinstance(block, CodeBlock):
            self._leaf((Run(block.text, frozenset({"code"})),), style)
        elif isinstance(block, ListBlock):
            self._list(block, depth)
        elif isinstance(block, Quote):
            self._blocks(block.blocks, depth, "Quote")
        elif isinstance(block, ClauseBlock):
            # A clause nested in a list or quote gets no numbered heading; inside a redlined clause it is
            # part of that clause's redline.
            if self._tracker is not None and self._redline is None:
                if block.heading is not None:
                    self._leaf(block.heading.runs, "Heading 3")
                self._clause(block)
            else:
                self._blocks(block.blocks, depth, style)
        elif isinstance(block, Rule):
            add_rule(self._paragraph(None))

    def _list(self, block: ListBlock, depth: int) -> None:
        style = list_style(block.ordered, depth)
        num_id = self._numbering.restart(style, block.start) if block.ordered else None
        continued = "List Continue" + (f" {min(depth, 2) + 1}" if depth else "")
        for item in block.items:
            first = True
            for child in item.blocks:
                if isinstance(child, Paragraph) and first:
                    self._leaf(child.runs, style, num_id)
                elif isinstance(child, ListBlock):
                    self._list(child, depth + 1)
                else:
                    self._block(child, depth + 1, continued)
                first = False

    def _leaf(self, runs: Sequence[Run], style: str | None, num_id: int | None = None) -> None:
        redline = self._redline
        if redline is not None:
            self._deleted_before(redline.position)
        paragraph = self._paragraph(style)
        if num_id is not None:
            Numbering.apply(paragraph, num_id)
        action = redline.plan.actions[redline.position] if redline is not None else "keep"
        if redline is None or action == "keep":
            add_runs(paragraph, runs)
        elif action == "insert":
            redline.tracker.inserted(paragraph, runs)
        elif not isinstance(action, str):
            redline.tracker.diff(paragraph, action)
        if redline is not None:
            redline.position += 1

    def _paragraph(self, style: str | None) -> DocxParagraph:
        """A new paragraph in `style`. Style ids are looked up once: python-docx resolves a style name by
        scanning every style of the document, which cost more than the rest of the terms together."""
        paragraph = self._document.add_paragraph()
        if style is not None:
            if style not in self._style_ids:
                self._style_ids[style] = self._document.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self._style_ids[style]
        return paragraph

    def _deleted_before(self, position: int) -> None:
        redline = self._redline
        if redline is None:
            return
        for text in redline.plan.deleted_before.pop(position, []):
            redline.tracker.deleted(self._paragraph(None), text)


def _number_in(text: str) -> int | None:
    match = _NUMBERED.match(text)
    return int(match.group(1)) if match else None
