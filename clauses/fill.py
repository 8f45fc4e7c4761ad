"""Terms with every variable placeholder replaced by its value, for the exported document.

A room keeps placeholders (`{{customer.name}}`, the editor's variable chips) so that a renamed customer
updates every clause at once; the contract that leaves the room carries the values of that moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from clauses.document import Block, ClauseBlock, Heading, ListBlock, ListItem, Paragraph, Quote, Run, Terms
from clauses.variables import substitute


def fill_terms(terms: Terms, values: Mapping[str, str]) -> Terms:
    """`terms` with the placeholders in every run substituted (unknown or missing ones stay as written)."""
    return Terms(tuple(_block(block, values) for block in terms.blocks))


def _runs(runs: tuple[Run, ...], values: Mapping[str, str]) -> tuple[Run, ...]:
    return tuple(replace(run, text=substitute(run.text, values).text) if "{{" in run.text else run for run in runs)


def _block(block: Block, values: Mapping[str, str]) -> Block:
    if isinstance(block, Paragraph | Heading):
        return replace(block, runs=_runs(block.runs, values))
    if isinstance(block, ListBlock):
        items = tuple(ListItem(tuple(_block(inner, values) for inner in item.blocks)) for item in block.items)
        return replace(block, items=items)
    if isinstance(block, Quote | ClauseBlock):
        return replace(block, blocks=tuple(_block(inner, values) for inner in block.blocks))
    return block
