"""Facts from what the workspace has: the priced quote, the deal fields, the clause deviations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from approvals import FactsInvalid, derive_facts, required_steps
from approvals.samples import demo_policy


def quote(*lines: dict[str, Any], **totals: Any) -> dict[str, Any]:
    return {
        "currency": "EUR",
        "billing": "annual",
        "term_months": 36,
        "lines": list(lines),
        "totals": {
            "net_total": "120000.00",
            "first_year": "40000.00",
            "total_discount_pct": "28.50",
            "margin_pct": "61.20",
            **totals,
        },
    }


def line(discount: str, below_floor: bool = False, priced: bool = True) -> dict[str, Any]:
    return {"discount_pct": discount, "below_floor": below_floor, "priced": priced}


def test_facts_from_a_quote_view_deal_fields_and_clauses() -> None:
    facts = derive_facts(
        quote(line("10"), line("32", below_floor=True), line("50", priced=False), line("5", below_floor=True)),
        {"payment_terms_days": 60},
        [
            {"category": "liability", "status": "non_standard", "text": "Liability is  unlimited."},
            {"category": "payment", "status": "fallback"},
            {"category": "ip", "status": "standard"},
        ],
    )
    texts = facts["non_standard_clause_texts"]
    assert isinstance(texts, frozenset) and len(texts) == 1 and next(iter(texts)).startswith("liability:")
    assert {name: value for name, value in facts.items() if name != "non_standard_clause_texts"} == {
        "max_line_discount_pct": Decimal(32),  # the unpriced 50% line adds nothing, as in the quote's totals
        "below_floor_count": Decimal(2),
        "below_floor": True,
        "term_months": Decimal(36),
        "total": Decimal("120000.00"),
        "first_year_value": Decimal("40000.00"),
        "total_discount_pct": Decimal("28.50"),
        "margin_pct": Decimal("61.20"),
        "billing": "annual",
        "currency": "EUR",
        "payment_terms_days": Decimal(60),
        "non_standard_clauses": frozenset({"liability"}),
        "clause_approvals": frozenset(),
    }
    assert [step.rule_id for step in required_steps(demo_policy(), facts)] == [
        "discount-over-20",
        "finance-terms",
        "legal-clauses",
        "discount-over-30",
    ]


def test_a_new_wording_of_the_same_clause_is_a_new_fact_whitespace_is_not() -> None:
    def texts(text: str) -> object:
        clause = {"category": "liability", "status": "non_standard", "text": text}
        return derive_facts(quote(), None, [clause])["non_standard_clause_texts"]

    assert texts("Liability is unlimited.") == texts("Liability  is\nunlimited. ")
    assert texts("Liability is unlimited.") != texts("Liability is capped at 2x fees.")


def test_deviations_as_the_clause_check_reports_them() -> None:
    # Shaped like `clauses.deviation.Deviation`: `approval` (None for standard text and approved fallbacks) decides.
    deviations = [
        {"clause_id": "lol", "category": "liability", "status": "non_standard", "approval": "legal", "digest": "aa"},
        {"clause_id": "pay", "category": "payment", "status": "non_standard", "approval": "finance", "digest": "bb"},
        {"clause_id": "sla", "category": "sla", "status": "fallback", "approval": None, "digest": "cc"},
        {"clause_id": "odd", "category": None, "status": "unknown", "approval": "legal", "digest": "dd"},
    ]
    facts = derive_facts(quote(), None, deviations)
    assert facts["non_standard_clauses"] == frozenset({"liability", "payment", "unknown"})
    assert facts["non_standard_clause_texts"] == frozenset({"lol:aa", "pay:bb", "odd:dd"})
    assert facts["clause_approvals"] == frozenset({"legal", "finance"})


def test_an_empty_deal_and_unknowns() -> None:
    facts = derive_facts({"lines": []})
    assert dict(facts) == {
        "max_line_discount_pct": Decimal(0),
        "below_floor_count": Decimal(0),
        "below_floor": False,
        "non_standard_clauses": frozenset(),
        "non_standard_clause_texts": frozenset(),
        "clause_approvals": frozenset(),
    }
    assert "margin_pct" not in derive_facts(quote(margin_pct=None))  # cost unknown: margin unknown


def test_malformed_input_is_reported_not_guessed() -> None:
    with pytest.raises(FactsInvalid) as caught:
        derive_facts(
            {"lines": [line("abc"), "x"], "totals": {"net_total": "lots"}, "billing": 3},
            {"payment_terms_days": "net 30"},
            [{"status": "non_standard", "category": 5}, "clause"],
        )
    assert caught.value.errors == [
        "quote.lines[0].discount_pct: expected a number; got 'abc'",
        "quote.lines[1]: expected a mapping",
        "quote.totals.net_total: expected a number; got 'lots'",
        "quote.billing: expected a text",
        "deal.payment_terms_days: expected a number; got 'net 30'",
        "clauses[0]: category, clause_id and digest must be texts",
        "clauses[1]: expected a mapping",
    ]
    with pytest.raises(FactsInvalid, match=r"quote\.lines: expected a list"):
        derive_facts({"lines": "none", "totals": {}})
