"""Redline planning: paragraph alignment and the placement of spaces between tracked changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clauses.deviation import DiffOp, word_diff
from clauses.redline import plan, spaced, standard_paragraphs


def _accept(ops: list[DiffOp]) -> str:
    return "".join(text for op, text in ops if op != "delete")


def _reject(ops: list[DiffOp]) -> str:
    return "".join(text for op, text in ops if op != "insert")


_WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=12)


@given(_WORDS, _WORDS)
def test_accepting_gives_the_edit_and_rejecting_the_standard_with_single_spaces(old: list[str], new: list[str]) -> None:
    ops = spaced(word_diff(" ".join(old), " ".join(new)))
    assert _accept(ops) == " ".join(new)
    assert _reject(ops) == " ".join(old)


def test_standard_paragraphs_split_on_blank_lines_and_are_normalised() -> None:
    assert standard_paragraphs("One  two.\n\n  \nThree\nfour.\n\n") == ["One two.", "Three four."]


def test_untouched_paragraphs_are_kept_and_removed_ones_deleted_whole() -> None:
    result = plan(["First.", "Second.", "Third."], ["First.", "Third."])
    assert result.actions == ("keep", "keep")
    assert result.deleted_before == {1: ["Second."]}


def test_a_new_paragraph_is_inserted_and_a_reworded_one_gets_a_word_diff() -> None:
    result = plan(["Pay in 30 days.", "Interest applies."], ["Pay in 60 days.", "Interest applies.", "New."])
    reworded, kept, added = result.actions
    assert reworded == (("equal", "Pay in"), ("delete", "30"), ("insert", "60"), ("equal", "days."))
    assert (kept, added) == ("keep", "insert")
    assert result.deleted_before == {}


def test_surplus_standard_paragraphs_of_a_replaced_run_are_deleted_after_it() -> None:
    result = plan(["A one.", "B two.", "C three."], ["A uno."])
    assert isinstance(result.actions[0], tuple)
    assert result.deleted_before == {1: ["B two.", "C three."]}
