"""Deal facts: a typed mapping, checked on the way in, plain on the way out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from approvals import CATALOGUE, Covers, DealFacts, FactsInvalid, Kind, facts_from_dict, facts_to_plain
from approvals.facts import approver_label, category_label, format_item, format_value


def test_values_are_coerced_to_their_kinds() -> None:
    facts = facts_from_dict(
        {
            "max_line_discount_pct": 32,
            "total_discount_pct": 12.5,
            "total": "250000.50",
            "payment_terms_days": Decimal(60),
            "below_floor": True,
            "billing": "monthly",
            "non_standard_clauses": ["liability", "payment", "liability"],
            "margin_pct": None,
        }
    )
    assert dict(facts) == {
        "max_line_discount_pct": Decimal(32),
        "total_discount_pct": Decimal("12.5"),
        "total": Decimal("250000.50"),
        "payment_terms_days": Decimal(60),
        "below_floor": True,
        "billing": "monthly",
        "non_standard_clauses": frozenset({"liability", "payment"}),
    }
    assert "margin_pct" not in facts  # None means unknown


def test_every_wrong_name_and_kind_is_reported() -> None:
    with pytest.raises(FactsInvalid) as caught:
        facts_from_dict(
            {
                "discount": 5,
                "below_floor": "yes",
                "total": True,
                "term_months": "NaN",
                "payment_terms_days": float("inf"),
                "billing": 5,
                "non_standard_clauses": "liability",
                "non_standard_clause_texts": [""],
                "max_line_discount_pct": "1" * 40,
            }
        )
    assert caught.value.errors == [
        "discount: unknown fact",
        "below_floor: expected true or false, got 'yes'",
        "total: expected a number, got True",
        "term_months: expected a number, got 'NaN'",
        "payment_terms_days: expected a number, got inf",
        "billing: expected a text, got 5",
        "non_standard_clauses: expected a list of category names, got 'liability'",
        "non_standard_clause_texts: expected a list of category names, got ['']",
        f"max_line_discount_pct: expected a number, got '{'1' * 40}'",
    ]
    assert caught.value.status == 422 and caught.value.code == "facts_invalid"


def test_plain_round_trip() -> None:
    facts = facts_from_dict(
        {
            "total": "1E+3",
            "max_line_discount_pct": "32.50",
            "below_floor": False,
            "non_standard_clauses": ["b", "a"],
            "billing": "annual",
        }
    )
    plain = facts_to_plain(facts)
    assert plain == {
        "total": "1000",
        "max_line_discount_pct": "32.5",
        "below_floor": False,
        "non_standard_clauses": ["a", "b"],
        "billing": "annual",
    }
    assert facts_from_dict(plain) == facts


def test_deal_facts_is_an_immutable_mapping() -> None:
    facts = DealFacts({"total": Decimal(1)})
    assert facts == {"total": Decimal(1)} and len(facts) == 1 and list(facts) == ["total"]
    assert facts.only(("total", "billing")) == facts and facts.only(()) == {}
    with pytest.raises(TypeError):
        facts["total"] = Decimal(2)  # type: ignore[index]


def test_the_catalogue_documents_each_facts_worse_direction() -> None:
    higher_is_worse = {name for name, spec in CATALOGUE.items() if spec.covers is Covers.LOWER}
    assert higher_is_worse == {
        "max_line_discount_pct",
        "total_discount_pct",
        "below_floor",
        "below_floor_count",
        "payment_terms_days",
        "term_months",
        "total",
        "first_year_value",
        "non_standard_clauses",
        "non_standard_clause_texts",
        "clause_approvals",
        "open_disputes",  # one more dispute than approved is worse (issue 12)
    }
    assert CATALOGUE["margin_pct"].covers is Covers.HIGHER
    assert {CATALOGUE[name].covers for name in ("billing", "currency")} == {Covers.EQUAL}
    assert CATALOGUE["non_standard_clauses"].kind is Kind.CATEGORIES


def test_values_read_as_reasons_show_them() -> None:
    spec = CATALOGUE
    assert format_value(spec["max_line_discount_pct"], Decimal("32.50")) == "32.5%"
    assert format_value(spec["payment_terms_days"], Decimal(60)) == "60 days"
    assert format_value(spec["below_floor"], True) == "yes"
    assert format_value(spec["non_standard_clauses"], frozenset()) == "none"
    assert format_value(spec["total"], None) == "unknown"
    # Category sets by their members' names, as the clause library shows them, sorted by name.
    assert format_value(spec["non_standard_clauses"], frozenset({"data_protection", "confidentiality"})) == (
        "Confidentiality, Data protection"
    )
    assert format_value(spec["non_standard_clauses"], frozenset({"unknown"})) == "Not in the library"
    assert format_value(spec["clause_approvals"], frozenset({"legal", "vp_sales"})) == "Legal, VP sales"
    assert format_item(spec["non_standard_clauses"], "term_termination") == "Term termination"
    assert format_item(spec["non_standard_clause_texts"], "liability:0123456789ab") == "Liability (wording 01234567)"


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("data_protection", "Data protection"),
        ("confidentiality", "Confidentiality"),
        ("term-termination", "Term termination"),
        ("ip__rights", "Ip rights"),
        ("_x_", "X"),
        ("", ""),
    ],
)
def test_category_labels_follow_the_clause_library_rule(key: str, label: str) -> None:
    assert category_label(key) == label  # frontend/src/lib/clauses.ts categoryLabel


@pytest.mark.parametrize(
    ("name", "label"),
    [("legal", "Legal"), ("vp_sales", "VP sales"), ("sales_manager", "Sales manager"), ("deal_desk", "Deal desk")],
)
def test_approver_labels_follow_the_clause_library_rule(name: str, label: str) -> None:
    assert approver_label(name) == label  # frontend/src/lib/clauses.ts approverLabel
