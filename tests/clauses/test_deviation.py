"""Deviation check: standard, fallback N, non-standard with a word diff, unknown; normalisation properties."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clauses._normalise import normalise
from clauses.deviation import Verdict, approval_facts, check_terms, word_diff
from clauses.document import ClauseBlock, Heading, Paragraph, Run, Terms, parse_json
from clauses.library import ClauseLibrary, add_draft, publish, retire
from clauses.samples import sample_library, sample_variables
from clauses.variables import substitute
from tests.clauses.nodes import clause, doc, items, para

LIBRARY = sample_library()
VARIABLES = sample_variables()


def _standard(clause_id: str, library: ClauseLibrary = LIBRARY) -> str:
    clause = library.get(clause_id)
    assert clause is not None and clause.latest_published is not None
    return clause.latest_published.text


def _block(text: str, clause_id: str = "liability", version: int | None = 1) -> ClauseBlock:
    paragraphs = tuple(Paragraph((Run(p),)) for p in text.split("\n\n"))
    clause = LIBRARY.get(clause_id)
    title = clause.title if clause is not None else "Limitation of liability"
    return ClauseBlock(clause_id, version, (Heading(2, (Run(title),)), *paragraphs))


def _check(text: str, clause_id: str = "liability", version: int | None = 1, library: ClauseLibrary = LIBRARY):  # type: ignore[no-untyped-def]
    (deviation,) = check_terms([_block(text, clause_id, version)], library, VARIABLES)
    return deviation


def _filled(text: str) -> str:
    return substitute(text, VARIABLES).text


def test_the_standard_text_with_variables_filled_in_is_standard() -> None:
    deviation = _check(_filled(_standard("liability")))
    assert deviation.status is Verdict.STANDARD
    assert (deviation.approval, deviation.diff, deviation.fallback_rank) == (None, (), None)
    assert deviation.category == "liability" and deviation.latest_version == 1


def test_placeholders_left_as_typed_are_not_a_deviation() -> None:
    assert _check(_standard("liability")).status is Verdict.STANDARD


def test_layout_quotes_and_dashes_are_not_deviations() -> None:
    text = _filled(_standard("liability")).replace("party's", "party\u2019s").replace(" ", "\n  \t", 3)
    assert _check(f"\u200b  {text}\u00a0 ").status is Verdict.STANDARD


def test_a_changed_word_is_non_standard_with_a_word_diff_and_the_clause_approval() -> None:
    text = _filled(_standard("liability")).replace("12 months", "24 months")
    deviation = _check(text)
    assert deviation.status is Verdict.NON_STANDARD
    assert deviation.approval == "legal" and deviation.category == "liability"
    assert ("delete", "12") in deviation.diff and ("insert", "24") in deviation.diff
    assert deviation.diff[0][0] == "equal"


def test_a_deviation_needs_the_approval_the_library_names_for_that_clause() -> None:
    text = _filled(_standard("payment")).replace("1% per month", "0% per month")
    assert _check(text, "payment").approval == "finance"


def test_each_ranked_fallback_is_recognised_and_needs_no_approval() -> None:
    clause = LIBRARY.get("liability")
    assert clause is not None and clause.latest_published is not None
    assert clause.latest_published.fallbacks, "the sample liability clause has fallbacks to recognise"
    for fallback in clause.latest_published.fallbacks:
        deviation = _check(_filled(fallback.text))
        assert deviation.status is Verdict.FALLBACK and deviation.fallback_rank == fallback.rank
        assert deviation.approval is None
        assert any(op != "equal" for op, _ in deviation.diff)  # still shown against the standard


def test_a_multi_paragraph_clause_compares_across_its_paragraphs() -> None:
    assert "\n\n" in _standard("term_termination")
    assert _check(_filled(_standard("term_termination")), "term_termination").status is Verdict.STANDARD


@pytest.mark.parametrize(
    ("clause_id", "version", "reason"),
    [
        ("made-up", 1, '"Limitation of liability" is not in the library'),  # by the heading it carries
        ("liability", 9, '"Limitation of liability" has no version 9'),
        ("liability", None, '"Limitation of liability" names no library version'),
    ],
)
def test_a_clause_the_library_cannot_vouch_for_is_unknown_and_needs_legal(
    clause_id: str, version: int | None, reason: str
) -> None:
    deviation = _check(_filled(_standard("liability")), clause_id, version)
    assert deviation.status is Verdict.UNKNOWN and deviation.approval == "legal"
    assert reason in deviation.reason
    assert f"{clause_id!r}" not in deviation.reason, "people read the clause's title, not its library key"


def test_a_clause_without_a_heading_that_the_library_does_not_know_is_this_clause() -> None:
    block = ClauseBlock("made_up_key", 1, (Paragraph((Run("Some hand-made text."),)),))
    (deviation,) = check_terms([block], LIBRARY, VARIABLES)
    assert deviation.reason == "this clause is not in the library"


def test_a_block_pinned_to_a_draft_is_not_approved_text() -> None:
    clause = LIBRARY.get("liability")
    assert clause is not None
    library = LIBRARY.with_clause(add_draft(clause, "Draft wording for {{customer.name}}."))
    deviation = _check(_filled("Draft wording for {{customer.name}}."), version=2, library=library)
    assert deviation.status is Verdict.UNKNOWN
    assert deviation.reason == 'version 2 of "Limitation of liability" is a draft, not approved text'


def test_a_room_pinned_to_a_retired_version_keeps_comparing_with_it_and_sees_the_upgrade() -> None:
    clause = LIBRARY.get("liability")
    assert clause is not None
    upgraded = retire(publish(add_draft(clause, "New wording for {{customer.name}}."), 2), 1)
    deviation = _check(_filled(_standard("liability")), library=LIBRARY.with_clause(upgraded))
    assert deviation.status is Verdict.STANDARD and (deviation.version, deviation.latest_version) == (1, 2)


def test_invisible_reordering_characters_count_as_a_deviation() -> None:
    # A bidi override changes what a reader sees; it must not pass as the standard wording.
    text = _filled(_standard("liability")).replace("12 months", "\u202e12 months\u202c")
    assert _check(text).status is Verdict.NON_STANDARD


def test_hostile_text_is_compared_as_text() -> None:
    text = _filled(_standard("liability")) + ' <w:p/> ]]> &amp; {{customer.name}} <script>alert("x")</script>'
    deviation = _check(text)
    assert deviation.status is Verdict.NON_STANDARD
    assert deviation.diff[-1] == ("insert", '<w:p/> ]]> &amp; Northwind Traders GmbH <script>alert("x")</script>')


def test_approval_facts_list_categories_and_bind_each_wording() -> None:
    edited = _filled(_standard("liability")).replace("12 months", "24 months")
    terms = Terms((
        _block(_filled(_standard("liability"))), _block(edited),
        _block(_filled(_standard("payment")), "payment"), _block("Anything at all.", "made-up"),
    ))  # fmt: skip
    deviations = check_terms(terms, LIBRARY, VARIABLES)
    assert [d.index for d in deviations] == [0, 1, 2, 3]
    facts = approval_facts(deviations)
    assert facts["non_standard_clauses"] == ["liability", "unknown"]
    assert facts["non_standard_clause_texts"] == sorted(
        [f"liability:{deviations[1].digest}", f"made-up:{deviations[3].digest}"]
    )
    again = check_terms([_block(edited.replace("24", "36"))], LIBRARY, VARIABLES)[0]
    assert again.digest != deviations[1].digest  # a new wording is a new fact: legal is asked again


def test_clauses_nested_in_lists_are_checked_too() -> None:
    terms = doc(items("bulletList", [clause("publicity", 1, para(_filled(_standard("publicity"))))]))

    assert [d.status for d in check_terms(parse_json(terms), LIBRARY, VARIABLES)] == [Verdict.STANDARD]


# --- properties ---

_SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2003", " \u200b"])
_CLAUSE_IDS = st.sampled_from([c.id for c in LIBRARY])


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "  " not in once and once == once.strip()


@given(_CLAUSE_IDS, st.data())
@settings(max_examples=60)
def test_the_standard_text_with_any_whitespace_between_words_is_standard(clause_id: str, data: st.DataObject) -> None:
    words = _filled(_standard(clause_id)).split()
    gaps = data.draw(st.lists(_SPACES, min_size=len(words) + 1, max_size=len(words) + 1))
    text = gaps[0] + "".join(w + g for w, g in zip(words, gaps[1:], strict=True))
    assert _check(text, clause_id).status is Verdict.STANDARD


_WORDS = st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1, max_size=12)


@given(_CLAUSE_IDS, _WORDS, st.data())
@settings(max_examples=80)
def test_inserting_any_word_makes_a_clause_non_standard_unless_it_is_a_fallback(
    clause_id: str, word: str, data: st.DataObject
) -> None:
    assume(normalise(word))
    words = _filled(_standard(clause_id)).split()
    at = data.draw(st.integers(0, len(words)))
    deviation = _check(" ".join([*words[:at], word, *words[at:]]), clause_id)
    if deviation.status is Verdict.FALLBACK:
        clause = LIBRARY.get(clause_id)
        assert clause is not None and clause.latest_published is not None
        fallback = clause.latest_published.fallback(deviation.fallback_rank or 0)
        assert fallback is not None
        assert normalise(_filled(fallback.text)) == normalise(" ".join([*words[:at], word, *words[at:]]))
    else:
        assert deviation.status is Verdict.NON_STANDARD and deviation.approval is not None


_SENTENCES = st.lists(
    st.sampled_from(["the", "fees", "are", "due", "within", "30", "days", "net", "of", "tax"]), max_size=15
)


@given(_SENTENCES, _SENTENCES)
def test_the_word_diff_rebuilds_both_texts(old: list[str], new: list[str]) -> None:
    ops = word_diff(" ".join(old), " ".join(new))
    assert " ".join(t for op, t in ops if op != "insert") == " ".join(old)
    assert " ".join(t for op, t in ops if op != "delete") == " ".join(new)


def test_memoised_results_do_not_leak_between_variable_sets() -> None:
    text = _filled(_standard("liability"))
    assert _check(text).status is Verdict.STANDARD
    (other,) = check_terms([_block(text)], LIBRARY, {**VARIABLES, "customer.name": "Someone Else AG"})
    assert other.status is Verdict.NON_STANDARD


def test_a_deviation_is_immutable() -> None:
    deviation = _check(_standard("liability"))
    with pytest.raises(AttributeError):
        deviation.status = Verdict.STANDARD  # type: ignore[misc]
    assert replace(deviation, index=5).index == 5
