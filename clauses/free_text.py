"""The terms outside library clause blocks, against the room's standard terms (pure).

A paragraph typed between two clause blocks is contract text like any clause ("the Vendor's liability is
unlimited"), so it must not pass because no library clause vouches for it. Everything outside clause
blocks (paragraphs, headings, lists, quotes, code) is compared, after variable substitution and the same
normalisation as clause text, with the room's standard terms outside clauses (the text the room was
opened with). Any changed word makes one deviation of the whole outside text, with its word diff and a
digest of its exact wording, which `free_text_approval` (legal) must approve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from clauses.deviation import Deviation, Verdict, digest_of, prepared_text, word_diff_of
from clauses.document import Block, CodeBlock, Heading, ListBlock, Paragraph, Quote, Terms

FREE_TEXT = "free_text"
"""The category (and wording key) of the text outside clause blocks in deviations and approval facts."""

FREE_TEXT_TITLE = "Text outside the clauses"
FREE_TEXT_APPROVAL = "legal"


def outside_texts(terms: Terms | Iterable[Block]) -> list[str]:
    """The text of each paragraph-like block outside clause blocks, in document order."""
    blocks = terms.blocks if isinstance(terms, Terms) else tuple(terms)
    return list(_outside(blocks))


def _outside(blocks: Sequence[Block]) -> Iterable[str]:
    for block in blocks:
        if isinstance(block, Paragraph | Heading | CodeBlock):
            yield block.text
        elif isinstance(block, Quote):
            yield from _outside(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _outside(item.blocks)
        # A ClauseBlock is checked against the library (`clauses.deviation`); a Rule holds no text.


def check_free_text(
    terms: Terms | Iterable[Block],
    standard: Sequence[str],
    variables: Mapping[str, str],
    *,
    index: int,
    approval: str = FREE_TEXT_APPROVAL,
) -> Deviation | None:
    """The deviation of the text outside clause blocks from `standard` (the room's standard terms outside
    clauses, one entry per paragraph), or None when every word is the standard's. `index` follows the
    clause blocks' indexes (their count), so that the deviation sorts after them."""
    values = tuple(sorted(variables.items()))
    text, unknown = prepared_text("\n\n".join(outside_texts(terms)), values)
    standard_text, _ = prepared_text("\n\n".join(standard), values)
    if text == standard_text:
        return None
    return Deviation(
        index, "", None, Verdict.NON_STANDARD, None, FREE_TEXT, approval, word_diff_of(standard_text, text),
        digest_of(text), None, _reason(standard_text, text), unknown, kind=FREE_TEXT,
    )  # fmt: skip


def _reason(standard: str, text: str) -> str:
    # Everyone reads this, customers too: what differs, never who approves it.
    if not standard:
        return "text outside the library clauses, where the standard terms have none"
    return "the text outside the library clauses differs from the standard terms"
