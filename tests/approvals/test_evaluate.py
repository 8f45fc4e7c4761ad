"""Which steps a deal needs: the rep sees who must approve, in which order, and why."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from approvals import CATALOGUE, DealFacts, Mode, by_order, facts_from_dict, load_policy, required_steps
from approvals.facts import Kind
from approvals.samples import demo_policy

from .helpers import deal

POLICY = demo_policy()


def summary(facts: DealFacts) -> list[tuple[int, str, str]]:
    return [(step.order, step.approvers.label, step.reason) for step in required_steps(POLICY, facts)]


def test_a_32_percent_discount_needs_the_sales_manager_then_the_vp() -> None:
    assert summary(deal(32)) == [
        (1, "sales manager", "Discount over 20%: max line discount 32% is over 20%"),
        (2, "vp sales", "Discount over 30%: max line discount 32% is over 30%"),
    ]
    manager, _ = required_steps(POLICY, deal(32))
    assert manager.tested == {"max_line_discount_pct": Decimal(32)}
    assert (manager.headline, manager.details) == ("Discount over 20%", ("max line discount 32% is over 20%",))
    assert (manager.mode, manager.rule_fingerprint) == (Mode.ANY, POLICY.rules[0].fingerprint)


def test_25_percent_needs_only_the_manager_and_20_nobody() -> None:
    assert [label for _, label, _ in summary(deal(25))] == ["sales manager"]
    assert summary(deal(20)) == []


def test_finance_and_legal_run_in_parallel_with_the_manager() -> None:
    facts = deal(
        32,
        payment_terms_days=60,
        non_standard_clauses=["liability"],
        non_standard_clause_texts=["liability:abc"],
    )
    assert summary(facts) == [
        (1, "sales manager", "Discount over 20%: max line discount 32% is over 20%"),
        (1, "finance", "Price below floor or payment terms over 45 days: payment terms 60 days is over 45 days"),
        (1, "legal", "Non-standard clause: non-standard clauses: Liability"),
        (2, "vp sales", "Discount over 30%: max line discount 32% is over 30%"),
    ]
    groups = by_order(required_steps(POLICY, facts))
    assert [(order, [step.rule_id for step in steps]) for order, steps in groups] == [
        (1, ["discount-over-20", "finance-terms", "legal-clauses"]),
        (2, ["discount-over-30"]),
    ]
    legal = required_steps(POLICY, facts)[2]
    assert legal.tested == {
        "non_standard_clauses": frozenset({"liability"}),
        "non_standard_clause_texts": frozenset({"liability:abc"}),
    }


def test_legal_reads_clause_categories_by_name_while_the_tested_facts_keep_their_keys() -> None:
    facts = deal(
        0,
        non_standard_clauses=["data_protection", "confidentiality"],
        non_standard_clause_texts=["data_protection:abc", "confidentiality:def"],
    )
    (legal,) = required_steps(POLICY, facts)
    assert legal.reason == "Non-standard clause: non-standard clauses: Confidentiality, Data protection"
    assert legal.details == ("non-standard clauses: Confidentiality, Data protection",)
    assert "data_protection" not in legal.reason
    # What an approval is bound to stays machine-readable.
    assert legal.tested["non_standard_clauses"] == frozenset({"data_protection", "confidentiality"})


def test_the_tested_facts_include_those_that_did_not_fire() -> None:
    finance = next(
        step for step in required_steps(POLICY, deal(0, below_floor=True)) if step.rule_id == "finance-terms"
    )
    # The 30 days were tested too: raising them later must ask finance again.
    assert finance.tested == {"below_floor": True, "payment_terms_days": Decimal(30)}
    assert finance.details == ("price below floor",)


def test_rules_are_ordered_by_order_then_as_written() -> None:
    def rule(rule_id: str, order: int) -> dict[str, Any]:
        return {"id": rule_id, "when": "total > 0", "step": {"approvers": {"role": "r"}, "order": order}}

    policy = load_policy({"version": 1, "rules": [rule("c", 3), rule("a", 1), rule("b", 3), rule("d", 1)]})
    steps = required_steps(policy, facts_from_dict({"total": 1}))
    assert [step.rule_id for step in steps] == ["a", "d", "c", "b"]


def _value(kind: Kind) -> st.SearchStrategy[object]:
    if kind is Kind.NUMBER:
        return st.one_of(
            st.integers(-(10**9), 10**9),
            st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9),
        )
    if kind is Kind.BOOL:
        return st.booleans()
    if kind is Kind.TEXT:
        return st.text(max_size=10)
    return st.lists(st.text(min_size=1, max_size=10), max_size=5)


# Any subset of the catalogue, each fact a value of its kind.
any_facts = st.fixed_dictionaries({}, optional={name: _value(spec.kind) for name, spec in CATALOGUE.items()})

RICH_POLICY = load_policy(
    {
        "version": 1,
        "rules": [
            {
                "id": "n",
                "when": "not (total > 5 and term_months in [12, 24]) or margin_pct <= 3",
                "step": {"approvers": {"role": "a"}},
                "covers": {"margin_pct": "higher", "total": "equal"},
            },
            {"id": "t", "when": "billing in [monthly, x] and currency != EUR", "step": {"approvers": {"group": "g"}}},
            {
                "id": "c",
                "when": "non_standard_clauses contains ip or not non_standard_clauses",
                "step": {"approvers": {"user": 1}},
                "covers": {"non_standard_clauses": "equal"},
            },
            {
                "id": "b",
                "when": "below_floor != false and below_floor_count >= 2",
                "step": {"approvers": {"role": "f"}, "order": 2},
            },
        ],
    }
)


@settings(max_examples=300)
@given(any_facts)
def test_evaluating_never_raises_on_facts_of_the_right_kinds(raw: dict[str, object]) -> None:
    facts = facts_from_dict(raw)
    for policy in (POLICY, RICH_POLICY):
        for step in required_steps(policy, facts):
            assert step.reason.startswith(step.headline)
            assert set(step.tested) <= set(step.directions)
