"""The compact one-line condition form: parsed by a tiny tokenizer, never evaluated as code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from approvals.compact import CompactSyntaxError, parse_compact


def test_a_comparison() -> None:
    assert parse_compact("max_line_discount_pct > 20") == {
        "fact": "max_line_discount_pct",
        "op": ">",
        "value": Decimal(20),
    }
    assert parse_compact("total>=250000.50") == {"fact": "total", "op": ">=", "value": Decimal("250000.50")}
    assert parse_compact("margin_pct < -5") == {"fact": "margin_pct", "op": "<", "value": Decimal(-5)}


def test_values_texts_words_bools_and_lists() -> None:
    assert parse_compact('billing == "monthly"')["value"] == "monthly"
    assert parse_compact("billing != 'monthly'")["value"] == "monthly"
    assert parse_compact("non_standard_clauses contains limitation-of-liability")["value"] == "limitation-of-liability"
    assert parse_compact("below_floor == false")["value"] is False
    assert parse_compact("billing in [monthly, 'quarterly']")["value"] == ["monthly", "quarterly"]
    assert parse_compact("term_months in [12, 24, 36]")["value"] == [Decimal(12), Decimal(24), Decimal(36)]
    assert parse_compact("billing in []")["value"] == []


def test_a_bare_fact_and_precedence_not_and_or() -> None:
    assert parse_compact("below_floor") == {"fact": "below_floor"}
    assert parse_compact("a or b and not c") == {
        "any": [{"fact": "a"}, {"all": [{"fact": "b"}, {"not": {"fact": "c"}}]}]
    }
    assert parse_compact("(a or b) and c") == {"all": [{"any": [{"fact": "a"}, {"fact": "b"}]}, {"fact": "c"}]}
    assert parse_compact("not not a") == {"not": {"not": {"fact": "a"}}}


@pytest.mark.parametrize(
    ("source", "column", "message"),
    [
        ("total => 5", 7, 'unknown operator "=>"'),
        ("total = 5", 7, 'unknown operator "=" (did you mean "=="?)'),
        ("total > ", 9, 'expected a value after ">", found the end'),
        ("total > 5 5", 11, 'expected "and", "or" or the end, found "5"'),
        ("(total > 5", 11, "expected ')', found the end"),
        ("> 5", 1, 'expected a fact name, found ">"'),
        ("and", 1, 'expected a fact name, found "and"'),
        ("total > 5 and", 14, "expected a fact name, found the end"),
        ("total > $5", 9, "unexpected character '$'"),
        ("billing in [a b]", 15, 'expected "," or "]", found "b"'),
        ("billing == 'open", 12, 'unexpected character "\'"'),
        ("   ", 1, "empty condition"),
        ("total > and", 9, 'expected a value after ">", found "and"'),
        ('billing == "a" "b"', 16, 'expected "and", "or" or the end, found the text "b"'),
    ],
)
def test_syntax_errors_name_the_column(source: str, column: int, message: str) -> None:
    with pytest.raises(CompactSyntaxError) as caught:
        parse_compact(source)
    assert (caught.value.column, caught.value.message) == (column, message)


def test_nesting_is_bounded() -> None:
    with pytest.raises(CompactSyntaxError, match="nested deeper than 32 levels"):
        parse_compact("not " * 40 + "below_floor")
    with pytest.raises(CompactSyntaxError, match="nested deeper than 32 levels"):
        parse_compact("(" * 40 + "below_floor" + ")" * 40)


def test_code_is_just_text() -> None:
    # What eval would run is, here, an unknown fact name or a syntax error.
    with pytest.raises(CompactSyntaxError):
        parse_compact("__import__('os').system('true')")
    assert parse_compact("__import__") == {"fact": "__import__"}
