"""What conditions mean: every operator, unknown facts, plain-words reasons, canonical and compact forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.compact import parse_compact
from approvals.conditions import explain, fires_on, holds, referenced, to_compact, to_data
from approvals.facts import CATALOGUE, DealFacts, facts_from_dict
from approvals.grammar import AllOf, AnyOf, Compare, Condition, Not, Op, parse_condition

from .helpers import deal


def cond(source: object) -> Condition:
    errors: list[str] = []
    parsed = parse_condition(source, "when", CATALOGUE, errors)
    assert parsed is not None, errors
    return parsed


FACTS = deal(
    32,
    billing="monthly",
    below_floor=True,
    non_standard_clauses=["liability", "payment"],
    payment_terms_days=60,
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("max_line_discount_pct > 20", True),
        ("max_line_discount_pct > 32", False),
        ("max_line_discount_pct >= 32", True),
        ("max_line_discount_pct >= 32.01", False),
        ("max_line_discount_pct < 40", True),
        ("max_line_discount_pct < 32", False),
        ("max_line_discount_pct <= 32", True),
        ("max_line_discount_pct <= 31.99", False),
        ("max_line_discount_pct == 32.00", True),
        ("max_line_discount_pct == 31", False),
        ("max_line_discount_pct != 31", True),
        ("max_line_discount_pct != 32", False),
        ("max_line_discount_pct in [10, 32]", True),
        ("max_line_discount_pct in [10, 20]", False),
        ("billing == monthly", True),
        ("billing != monthly", False),
        ("billing in [quarterly, monthly]", True),
        ("billing in [annual]", False),
        ("below_floor", True),
        ("below_floor == true", True),
        ("below_floor == false", False),
        ("below_floor != true", False),
        ("non_standard_clauses", True),
        ("non_standard_clauses contains liability", True),
        ("non_standard_clauses contains ip", False),
        ("not below_floor", False),
        ("below_floor and payment_terms_days > 45", True),
        ("below_floor and payment_terms_days > 90", False),
        ("payment_terms_days > 90 or below_floor", True),
        ("payment_terms_days > 90 or not below_floor", False),
    ],
)
def test_every_operator(source: str, expected: bool) -> None:
    assert holds(cond(source), FACTS) is expected


def test_an_empty_category_set_is_not_a_deviation() -> None:
    assert holds(cond("non_standard_clauses"), deal(0)) is False


def test_an_unknown_fact_makes_its_comparison_false() -> None:
    empty = DealFacts()
    assert not holds(cond("margin_pct < 10"), empty)
    assert not holds(cond("margin_pct != 10"), empty)
    assert not holds(cond("below_floor"), empty)
    # `not` is plain negation: the rule author decides what an unknown means.
    assert holds(cond("not margin_pct >= 10"), empty)


def test_a_fact_of_another_kind_never_matches_and_never_raises() -> None:
    odd = DealFacts({"max_line_discount_pct": True, "below_floor": Decimal(1), "billing": frozenset({"x"})})
    for source in ("max_line_discount_pct > 0", "max_line_discount_pct == 1", "below_floor", "billing == x"):
        assert not holds(cond(source), odd)


@pytest.mark.parametrize(
    ("source", "reasons"),
    [
        ("max_line_discount_pct > 20", ["max line discount 32% is over 20%"]),
        ("max_line_discount_pct >= 32", ["max line discount 32% is at least 32%"]),
        ("payment_terms_days <= 60", ["payment terms 60 days is at most 60 days"]),
        ("billing in [monthly, quarterly]", ["billing monthly is one of monthly, quarterly"]),
        ("below_floor or payment_terms_days > 45", ["price below floor", "payment terms 60 days is over 45 days"]),
        ("below_floor or payment_terms_days > 90", ["price below floor"]),
        ("non_standard_clauses", ["non-standard clauses: Liability, Payment"]),
        ("non_standard_clauses contains payment", ["non-standard clauses include Payment"]),
        ("not non_standard_clauses contains ip", ["non-standard clauses do not include Ip"]),
        (
            "not (payment_terms_days > 90 or billing == annual)",
            [
                "payment terms 60 days is not over 90 days",
                "billing monthly is not annual",
            ],
        ),
        ("not (payment_terms_days > 45 and billing == annual)", ["billing monthly is not annual"]),
        ("not margin_pct >= 10", ["margin is unknown"]),
        ("term_months < 24", ["contract length 12 months is under 24 months"]),
        ("total > 50000", ["deal value 100000 is over 50000"]),
        ("max_line_discount_pct > 40", []),
    ],
)
def test_reasons_in_plain_words(source: str, reasons: list[str]) -> None:
    assert explain(cond(source), FACTS, CATALOGUE) == reasons


@pytest.mark.parametrize(
    ("source", "facts", "reasons"),
    [
        (
            "non_standard_clauses",
            {"non_standard_clauses": ["data_protection", "confidentiality"]},
            ["non-standard clauses: Confidentiality, Data protection"],
        ),
        (
            "non_standard_clauses contains data_protection",
            {"non_standard_clauses": ["data_protection"]},
            ["non-standard clauses include Data protection"],
        ),
        ("non_standard_clauses", {"non_standard_clauses": ["unknown"]}, ["non-standard clauses: Not in the library"]),
        (
            "clause_approvals contains vp_sales",
            {"clause_approvals": ["vp_sales", "legal"]},
            ["clause approvals include VP sales"],
        ),
        ("clause_approvals", {"clause_approvals": ["legal", "deal_desk"]}, ["clause approvals: Deal desk, Legal"]),
        (
            "non_standard_clause_texts",
            {"non_standard_clause_texts": ["data_protection:9f2c1a3b77aa"]},
            ["non-standard clause texts: Data protection (wording 9f2c1a3b)"],
        ),
    ],
)
def test_reasons_name_clause_categories_and_approvers_never_their_keys(
    source: str, facts: dict[str, list[str]], reasons: list[str]
) -> None:
    found = explain(cond(source), facts_from_dict(facts), CATALOGUE)
    assert found == reasons
    for key in ("data_protection", "vp_sales", "deal_desk", "unknown"):
        assert not any(key in reason for reason in found), key


def test_referenced_facts_in_first_use_order() -> None:
    assert referenced(cond("below_floor or (payment_terms_days > 45 and not below_floor)")) == (
        "below_floor",
        "payment_terms_days",
    )


def test_which_direction_fires() -> None:
    assert fires_on(cond("max_line_discount_pct > 20 and not term_months >= 12"), CATALOGUE) == {
        "max_line_discount_pct": {"higher"},
        "term_months": {"lower"},
    }
    assert fires_on(cond("below_floor != false or non_standard_clauses"), CATALOGUE) == {
        "below_floor": {"higher"},
        "non_standard_clauses": {"higher"},
    }
    assert fires_on(cond("billing == monthly and total in [1, 2] and total != 5"), CATALOGUE) == {}


def test_canonical_data_is_the_same_for_both_spellings() -> None:
    structured = cond({"any": [{"fact": "below_floor"}, {"fact": "payment_terms_days", "op": ">", "value": 45.0}]})
    assert to_data(structured) == to_data(cond("below_floor or payment_terms_days > 45"))
    assert to_data(structured) == {
        "any": [{"fact": "below_floor"}, {"fact": "payment_terms_days", "op": ">", "value": "45"}]
    }


# Conditions built from the catalogue, for round trips through the compact text.
_numbers = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
_words = st.sampled_from(["monthly", "annual", "liability", "a b", "it's"])
_compares = st.one_of(
    st.builds(
        Compare, st.sampled_from(["total", "term_months", "margin_pct"]), st.sampled_from(list(Op)[:6]), _numbers
    ),
    st.builds(lambda v: Compare("total", Op.IN, tuple(v)), st.lists(_numbers, min_size=1, max_size=3)),
    st.builds(lambda v: Compare("billing", Op.EQ, v), _words),
    st.builds(lambda v: Compare("billing", Op.IN, tuple(v)), st.lists(_words, min_size=1, max_size=3)),
    st.builds(lambda v: Compare("non_standard_clauses", Op.CONTAINS, v), _words),
    st.builds(lambda v: Compare("below_floor", Op.EQ, v), st.booleans()),
    st.just(Compare("below_floor")),
    st.just(Compare("non_standard_clauses")),
)
conditions = st.recursive(
    _compares,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(lambda items: AllOf(tuple(items)), st.lists(inner, min_size=2, max_size=3)),
        st.builds(lambda items: AnyOf(tuple(items)), st.lists(inner, min_size=2, max_size=3)),
    ),
    max_leaves=8,
)


@given(conditions)
def test_compact_text_reads_back_to_the_same_condition(condition: Condition) -> None:
    assert to_data(cond(to_compact(condition))) == to_data(condition)
    assert to_data(cond(parse_compact(to_compact(condition)))) == to_data(condition)
