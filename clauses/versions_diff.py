"""Two versions of the terms compared block by block (pure): which clause blocks and which paragraphs outside
them were added, removed or changed, each changed one with its word diff (`deviation.word_diff`).

The terms are read as their top-level blocks: a clause block (its id, title and text) or a block of text
outside clauses (a paragraph, heading, list or quote). Clause blocks pair by clause id (the n-th block of a
clause with the n-th of the same clause in the other version, as a room may hold a clause twice); text
blocks pair by their place between the blocks both versions share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from clauses._normalise import normalise
from clauses.deviation import word_diff
from clauses.document import ClauseBlock, Terms, leaf_texts

Block = dict[str, Any]


def terms_blocks(terms: Terms) -> list[Block]:
    """The top-level blocks of the terms as plain data: `{"kind": "clause", "clause_id", "title", "text",
    "position"}` or `{"kind": "text", "text", "position"}` (`position`: the block's index among the terms'
    top-level blocks). Blocks without text (a rule, an empty paragraph) are left out."""
    shown: list[Block] = []
    for position, block in enumerate(terms.blocks):
        if isinstance(block, ClauseBlock):
            heading = block.heading
            shown.append({
                "kind": "clause", "clause_id": block.clause_id, "title": heading.text if heading else "",
                "text": block.text, "position": position,
            })  # fmt: skip
            continue
        text = "\n\n".join(t for t in leaf_texts([block]) if t.strip())
        if text.strip():
            shown.append({"kind": "text", "text": text, "position": position})
    return shown


def _keys(blocks: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, int] = {}
    keys: list[str] = []
    for block in blocks:
        if block["kind"] == "clause":
            clause_id = str(block["clause_id"])
            seen[clause_id] = seen.get(clause_id, 0) + 1
            keys.append(f"clause:{clause_id}#{seen[clause_id]}")
        else:
            keys.append("text:" + normalise(str(block["text"])))
    return keys


def _runs(before: str, after: str) -> list[dict[str, str]]:
    return [{"op": op, "text": text} for op, text in word_diff(before, after)]


def _same(block: Mapping[str, Any]) -> Block:
    return {**_about(block, block), "status": "same", "text": block["text"]}


def _about(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Block:
    shown = after if after is not None else before
    assert shown is not None
    about: Block = {"kind": shown["kind"], "position": after["position"] if after is not None else None}
    if shown["kind"] == "clause":
        about["clause_id"] = shown["clause_id"]
        about["title"] = shown["title"]
    return about


def _pair(before: Mapping[str, Any], after: Mapping[str, Any]) -> Block:
    same_text = normalise(str(before["text"])) == normalise(str(after["text"]))
    same_title = before.get("title", "") == after.get("title", "")
    if same_text and same_title:
        return _same(after)
    changed = {**_about(before, after), "status": "changed", "diff": _runs(str(before["text"]), str(after["text"]))}
    if not same_title:
        changed["title_before"] = before.get("title", "")
    return changed


def _added(block: Mapping[str, Any]) -> Block:
    return {**_about(None, block), "status": "added", "diff": [{"op": "insert", "text": normalise(str(block["text"]))}]}


def _removed(block: Mapping[str, Any]) -> Block:
    text = normalise(str(block["text"]))
    return {**_about(block, None), "status": "removed", "diff": [{"op": "delete", "text": text}]}


def diff_blocks(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> list[Block]:
    """Every block of both versions in the order of `after` (removed ones where they were), each with its
    `status`: same (with its `text`), changed, added or removed (each with `diff`, runs of equal / insert /
    delete words). A changed clause whose title changed also has `title_before`."""
    keys_before, keys_after = _keys(before), _keys(after)
    shown: list[Block] = []
    matcher = SequenceMatcher(None, keys_before, keys_after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            shown += [_pair(before[i], after[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        shown += _replaced(before[i1:i2], keys_before[i1:i2], after[j1:j2], keys_after[j1:j2])
    return shown


def _replaced(
    before: Sequence[Mapping[str, Any]], keys_before: list[str], after: Sequence[Mapping[str, Any]],
    keys_after: list[str],
) -> list[Block]:  # fmt: skip
    """A stretch where the versions differ: a clause in both is changed; text blocks pair in order; the rest
    was added or removed (a removed block is shown where it stood)."""
    clause_at = {key: i for i, key in enumerate(keys_before) if key.startswith("clause:")}
    texts = [i for i, key in enumerate(keys_before) if key.startswith("text:")]
    pairs: dict[int, int] = {}  # after -> before
    for j, key in enumerate(keys_after):
        if key in clause_at:
            pairs[j] = clause_at[key]
        elif key.startswith("text:") and texts:
            pairs[j] = texts.pop(0)
    paired = set(pairs.values())
    shown: list[Block] = []
    done: set[int] = set()

    def removed_up_to(limit: int) -> None:
        for i in range(limit):
            if i not in paired and i not in done:
                done.add(i)
                shown.append(_removed(before[i]))

    for j, block in enumerate(after):
        i = pairs.get(j)
        if i is None:
            shown.append(_added(block))
            continue
        removed_up_to(i)
        shown.append(_pair(before[i], block))
    removed_up_to(len(before))
    return shown
