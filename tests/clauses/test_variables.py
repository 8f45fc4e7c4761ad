"""Variables: substitution from a plain dict, unknown and missing names, values as plain text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clauses.variables import VARIABLES, names_in, substitute, unset_names, variables_from_deal, with_placeholders


def test_known_variables_are_replaced_with_their_values() -> None:
    result = substitute("Payable by {{customer.name}} within {{ deal.payment_terms_days }} days.", {
        "customer.name": "Acme Ltd", "deal.payment_terms_days": "45",
    })  # fmt: skip
    assert result.text == "Payable by Acme Ltd within 45 days."
    assert result.unknown == () and result.missing == ()


def test_unknown_and_missing_names_are_reported_and_left_visible() -> None:
    result = substitute("{{customer.nmae}} starts {{deal.start_date}}", {})
    assert result.unknown == ("customer.nmae",)
    assert result.missing == ("deal.start_date",)
    assert result.text == "{{customer.nmae}} starts {{deal.start_date}}"


def test_a_value_that_looks_like_a_placeholder_or_markup_is_inserted_verbatim() -> None:
    hostile = "{{vendor.name}} <w:p/> ]]> &amp; <script>alert(1)</script>"
    result = substitute("Customer: {{customer.name}}.", {"customer.name": hostile, "vendor.name": "Vendor"})
    assert result.text == f"Customer: {hostile}."


def test_names_in_lists_each_name_once_in_order() -> None:
    assert names_in("{{b.x}} {{a.y}} {{b.x}} {{not a variable}}") == ("b.x", "a.y")


def test_variables_come_from_the_deal_map_and_vendor_settings() -> None:
    deal = {
        "customerName": " Acme Ltd ",
        "termMonths": 36.0,
        "paymentTermsDays": 30,
        "startDate": "2025-07-01",
        "currency": "EUR",
        "billing": "annually",
        "title": "",
        "locked": True,
    }
    vendor = {"name": "Dealroom Ltd", "governingLaw": "England and Wales", "venue": None}
    values = variables_from_deal(deal, vendor)  # fmt: skip
    assert values == {
        "customer.name": "Acme Ltd",
        "deal.term_months": "36",
        "deal.payment_terms_days": "30",
        "deal.start_date": "2025-07-01",
        "deal.currency": "EUR",
        "deal.billing": "annually",
        "vendor.name": "Dealroom Ltd",
        "contract.governing_law": "England and Wales",
    }
    assert set(values) <= set(VARIABLES)


def test_dates_decimals_and_fractions_read_as_text() -> None:
    values = variables_from_deal(
        {"startDate": date(2025, 1, 2), "termMonths": Decimal("12"), "paymentTermsDays": 7.5}, {}
    )
    assert values == {"deal.start_date": "2025-01-02", "deal.term_months": "12", "deal.payment_terms_days": "7.5"}


def test_enumerated_deal_values_read_as_words_in_a_sentence() -> None:
    cases = [("annual", "annually"), ("quarterly", "quarterly"), ("monthly", "monthly"),
             ("upfront", "for the whole term"), ("Annual", "annually"), ("fortnightly", "fortnightly")]  # fmt: skip
    for stored, shown in cases:
        values = variables_from_deal({"billing": stored}, {})
        assert values == {"deal.billing": shown}, stored
    sentence = substitute(
        "invoice the fees {{deal.billing}} in advance", variables_from_deal({"billing": "annual"}, {})
    )
    assert sentence.text == "invoice the fees annually in advance"


def test_unset_variables_get_readable_placeholders_never_their_keys() -> None:
    shown = with_placeholders({"customer.name": "Acme", "deal.start_date": ""})
    assert shown["customer.name"] == "Acme" and shown["deal.start_date"] == "[start date]"
    assert set(shown) == set(VARIABLES)
    assert all(value.startswith("[") and "." not in value for name, value in shown.items() if name != "customer.name")
    text = substitute("starts on {{deal.start_date}} for {{deal.term_months}} months", shown).text
    assert text == "starts on [start date] for [term] months"
    assert unset_names(["deal.start_date", "customer.name", "deal.start_date", "x.y"], {"customer.name": "A"}) == [
        "deal.start_date"
    ]
