"""Text outside clause blocks against the room's standard terms: any changed word is one deviation for legal,
bound to its exact wording; layout, filled-in variables and text inside clause blocks are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clauses.deviation import Verdict, approval_facts, check_terms
from clauses.document import parse_json
from clauses.free_text import FREE_TEXT, check_free_text, outside_texts
from clauses.samples import sample_library, sample_variables
from tests.clauses.nodes import clause, doc, items, para

LIBRARY = sample_library()
VARIABLES = sample_variables()
STANDARD = ("Master Subscription Agreement", "These terms govern the subscription set out in the pricing above.")
UNLIMITED = "The Vendor's liability under this Agreement is unlimited."


def _heading(text: str) -> dict[str, object]:
    return {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": text}]}


def _liability() -> dict[str, object]:
    liability = LIBRARY.get("liability")
    assert liability is not None and liability.latest_published is not None
    return clause("liability", 1, _heading(liability.title), para(liability.latest_published.text))


def _room(*between: dict[str, object]) -> dict[str, object]:
    """The standard frame, a clause, what is typed between clauses, another clause."""
    return doc(_heading(STANDARD[0]), para(STANDARD[1]), _liability(), *between, _liability())


def _check(terms: dict[str, object], standard: tuple[str, ...] = STANDARD):  # type: ignore[no-untyped-def]
    return check_free_text(parse_json(terms), standard, VARIABLES, index=2)


def test_the_standard_frame_is_no_deviation() -> None:
    assert _check(_room()) is None
    assert _check(doc(_liability()), ()) is None, "no text outside clauses, none standard"


def test_a_paragraph_typed_between_two_clauses_is_a_deviation_for_legal() -> None:
    found = _check(_room(para(UNLIMITED)))
    assert found is not None
    assert (found.kind, found.status, found.approval, found.category) == (
        FREE_TEXT,
        Verdict.NON_STANDARD,
        "legal",
        FREE_TEXT,
    )
    assert ("insert", "The Vendor's liability under this Agreement is unlimited.") in found.diff
    assert found.diff[0] == (
        "equal",
        "Master Subscription Agreement These terms govern the subscription set out in the pricing above.",
    )
    assert found.index == 2 and found.clause_id == ""
    # The clause blocks themselves are still standard: only the outside text deviates.
    assert [d.status for d in check_terms(parse_json(_room(para(UNLIMITED))), LIBRARY, VARIABLES)] == [
        Verdict.STANDARD
    ] * 2


def test_the_digest_binds_the_exact_wording() -> None:
    first = _check(_room(para(UNLIMITED)))
    same = _check(_room(para("  The Vendor\u2019s liability   under this Agreement is unlimited. ")))
    other = _check(_room(para(UNLIMITED.replace("unlimited", "capped at 500%"))))
    assert first is not None and same is not None and other is not None
    assert first.digest == same.digest, "layout and typography are not wording"
    assert first.digest != other.digest
    assert approval_facts([first]) == {
        "non_standard_clauses": [FREE_TEXT],
        "non_standard_clause_texts": [f"{FREE_TEXT}:{first.digest}"],
    }


def test_every_kind_of_block_outside_clauses_counts_and_text_inside_clauses_does_not() -> None:
    quote = {"type": "blockquote", "content": [para("Quoted promise")]}
    code = {"type": "codeBlock", "content": [{"type": "text", "text": "raw text"}]}
    listed = items("bulletList", [para("listed promise")])
    terms = parse_json(_room(quote, code, listed, _heading("Annex A")))
    assert outside_texts(terms) == [*STANDARD, "Quoted promise", "raw text", "listed promise", "Annex A"]
    for block in (quote, code, listed, _heading("Annex A")):
        assert _check(_room(block)) is not None, block


def test_deleting_or_rewording_the_standard_frame_is_a_deviation() -> None:
    deleted = _check(doc(_heading(STANDARD[0]), _liability()))
    reworded = _check(doc(_heading("Master Subscription Agreement (no liability)"), para(STANDARD[1])))
    assert deleted is not None and ("delete", STANDARD[1]) in deleted.diff
    assert reworded is not None and ("insert", "(no liability)") in reworded.diff


def test_variables_compare_by_their_values() -> None:
    standard = ("This Agreement is made with {{customer.name}}.",)
    filled = doc(para(f"This Agreement is made with {VARIABLES['customer.name']}."))
    assert check_free_text(parse_json(filled), standard, VARIABLES, index=0) is None


def test_no_standard_terms_means_any_text_outside_clauses_deviates() -> None:
    found = _check(doc(_heading("Terms"), _liability()), ())
    assert found is not None and found.diff == (("insert", "Terms"),)


def test_a_clause_retitled_is_an_edit_of_that_clause() -> None:
    liability = LIBRARY.get("liability")
    assert liability is not None and liability.latest_published is not None
    body = para(liability.latest_published.text)
    retitled = parse_json(doc(clause("liability", 1, _heading("Unlimited liability of the Vendor"), body)))
    numbered = parse_json(doc(clause("liability", 1, _heading(f"7. {liability.title}"), body)))
    [found] = check_terms(retitled, LIBRARY, VARIABLES)
    assert found.status is Verdict.NON_STANDARD and found.approval == "legal"
    inserted = " ".join(text for op, text in found.diff if op == "insert")
    assert inserted == "Unlimited liability the Vendor" and "retitled" in found.reason, found.diff
    assert [d.status for d in check_terms(numbered, LIBRARY, VARIABLES)] == [Verdict.STANDARD]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80))
def test_any_visible_text_added_outside_clauses_is_caught(typed: str) -> None:
    found = _check(_room(para(typed)))
    visible = outside_texts(parse_json(_room(para(typed))))[-1]
    from clauses._normalise import normalise

    assert (found is None) == (normalise(visible) == ""), repr(typed)
