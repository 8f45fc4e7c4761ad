"""Two versions of the terms compared block by block (pure): pairing, word runs, and nothing lost or doubled."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from clauses.document import ClauseBlock, Heading, Paragraph, Rule, Run, Terms
from clauses.versions_diff import diff_blocks, terms_blocks


def clause(clause_id: str, text: str, title: str = "") -> dict[str, Any]:
    return {"kind": "clause", "clause_id": clause_id, "title": title or clause_id.title(), "text": text, "position": 0}


def text(value: str) -> dict[str, Any]:
    return {"kind": "text", "text": value, "position": 0}


def _shape(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(b.get("clause_id") or b.get("text") or b["diff"][-1]["text"], b["status"]) for b in blocks]


def test_the_terms_are_read_as_their_top_level_blocks() -> None:
    title = Heading(2, (Run("Limitation of liability"),))
    terms = Terms((
        Heading(1, (Run("Master agreement"),)),
        Rule(),
        ClauseBlock("liability", 2, (title, Paragraph((Run("Capped at 12 months."),)))),
        Paragraph((Run(""),)),
    ))  # fmt: skip
    assert terms_blocks(terms) == [
        {"kind": "text", "text": "Master agreement", "position": 0},
        {"kind": "clause", "clause_id": "liability", "title": "Limitation of liability", "text": "Capped at 12 months.",
         "position": 2},
    ]  # fmt: skip


def test_a_changed_clause_has_its_word_diff_and_the_rest_is_the_same() -> None:
    before = [text("Preamble"), clause("liability", "Capped at 12 months."), clause("law", "English law.")]
    after = [text("Preamble"), clause("liability", "Capped at 24 months."), clause("law", "English law.")]
    shown = diff_blocks(before, after)
    assert _shape(shown) == [("Preamble", "same"), ("liability", "changed"), ("law", "same")]
    assert shown[1]["diff"] == [
        {"op": "equal", "text": "Capped at"}, {"op": "delete", "text": "12"}, {"op": "insert", "text": "24"},
        {"op": "equal", "text": "months."},
    ]  # fmt: skip


def test_added_and_removed_blocks_show_where_they_are_or_were() -> None:
    before = [clause("a", "one"), clause("b", "two"), text("closing words")]
    after = [clause("a", "one"), clause("c", "three"), text("closing words, amended")]
    shown = diff_blocks(before, after)
    assert _shape(shown) == [("a", "same"), ("c", "added"), ("b", "removed"), ("words, amended", "changed")]
    assert shown[2]["clause_id"] == "b" and shown[2]["position"] is None


def test_a_clause_held_twice_pairs_with_its_own_occurrence() -> None:
    before = [clause("sla", "first"), clause("sla", "second")]
    after = [clause("sla", "first"), clause("sla", "second, edited")]
    assert [b["status"] for b in diff_blocks(before, after)] == ["same", "changed"]


def test_a_retitled_clause_is_changed_and_says_its_old_heading() -> None:
    [shown] = diff_blocks([clause("law", "English law.", "Governing law")], [clause("law", "English law.", "Law")])
    assert shown["status"] == "changed" and shown["title_before"] == "Governing law"


def test_whitespace_and_typography_are_no_change() -> None:
    assert diff_blocks([text("It\u2019s  agreed")], [text("It's agreed")])[0]["status"] == "same"


_blocks = st.lists(
    st.one_of(
        st.builds(clause, st.sampled_from(["a", "b", "c"]), st.sampled_from(["x y", "x z", "w"])),
        st.builds(text, st.sampled_from(["p q", "p r", "s"])),
    ),
    max_size=8,
)


@given(_blocks, _blocks)
def test_no_block_is_lost_or_doubled(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
    shown = diff_blocks(before, after)
    assert len([b for b in shown if b["status"] != "removed"]) == len(after)
    assert len([b for b in shown if b["status"] != "added"]) == len(before)
    if before == after:
        assert all(b["status"] == "same" for b in shown)
