"""Configuration rules: each broken rule is a violation in plain words on the line it concerns."""

from __future__ import annotations

from workspace.pricing.deal_input import DealLine
from workspace.pricing.quote import price_deal
from workspace.pricing.samples import sample_book
from workspace.pricing.violations import Rule, Violation

from ._deals import deal, line

BOOK = sample_book()


def _violations(*lines: DealLine, term: int = 12) -> list[tuple[str | None, str, str]]:
    quote = price_deal(deal(*lines, term=term), BOOK)
    return [(v.line_id, v.rule, v.message) for v in quote.violations]


def test_a_valid_configuration_has_no_violations() -> None:
    assert _violations(line("PLAT-ENT", 100), line("ADD-SSO", 100), line("SUP-ENT", 1), term=36) == []


def test_an_add_on_without_the_product_it_requires() -> None:
    assert _violations(line("PLAT-TEAM", 10), line("ADD-SSO", 10)) == [
        (
            "add-sso",
            Rule.REQUIRES,
            "SSO & SCIM add-on requires Platform Professional or Platform Enterprise on the same quote.",
        )
    ]


def test_a_zero_quantity_line_does_not_satisfy_a_requirement() -> None:
    found = _violations(line("PLAT-ENT", 0), line("ADD-AUDIT", 1))
    assert (
        "add-audit",
        Rule.REQUIRES,
        "Audit log retention (7 years) requires Platform Enterprise on the same quote.",
    ) in found


def test_exclusions_show_on_both_lines_even_when_declared_on_one() -> None:
    assert _violations(line("PLAT-PRO", 20), line("PLAT-ENT", 60)) == [
        ("plat-pro", Rule.EXCLUDES, "Platform Professional cannot be on the same quote as Platform Enterprise."),
        ("plat-ent", Rule.EXCLUDES, "Platform Enterprise cannot be on the same quote as Platform Professional."),
    ]


def test_quantity_limits_name_the_product_the_limit_and_the_unit() -> None:
    assert _violations(line("PLAT-ENT", 20), line("SUP-ENT", 2)) == [
        ("plat-ent", Rule.MIN_QTY, "Platform Enterprise needs at least 50 users; this line has 20."),
        (
            "sup-ent",
            Rule.MAX_QTY,
            "Enterprise support with a named TAM allows at most 1 subscription per line; this line has 2.",
        ),
    ]


def test_a_ramp_is_checked_year_by_year() -> None:
    assert _violations(line("PLAT-ENT", 40, ramp=(40, 60, 80)), term=36) == [
        ("plat-ent", Rule.MIN_QTY, "Platform Enterprise needs at least 50 users; year 1 has 40."),
    ]


def test_terms_a_product_is_not_sold_on() -> None:
    assert _violations(line("PLAT-ENT", 100), term=18) == [
        (
            "plat-ent",
            Rule.ALLOWED_TERMS,
            "Platform Enterprise is sold on 12, 24, 36, 48 or 60-month terms; this deal is 18 months.",
        ),
    ]


def test_unknown_and_retired_products() -> None:
    assert _violations(line("NOPE-1", 5), line("LEGACY-ANALYTICS", 5)) == [
        ("nope-1", Rule.UNKNOWN_SKU, "NOPE-1 is not in the price book (version 3)."),
        ("legacy-analytics", Rule.INACTIVE, "Analytics classic is no longer sold."),
    ]


def test_violations_come_in_line_order_with_each_lines_problems_together() -> None:
    quote = price_deal(deal(line("ADD-SSO", 10, id="a"), line("PLAT-TEAM", 60, id="b"), line("SMS", 1, id="c")), BOOK)
    assert [v.line_id for v in quote.violations] == ["a", "b"]
    assert quote.violations_of("b") == [
        Violation("b", Rule.MAX_QTY, "Platform Team allows at most 50 users per line; this line has 60.")
    ]
    assert quote.violations_of("c") == []
