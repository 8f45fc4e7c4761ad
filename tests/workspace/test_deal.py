"""Reading a room's shared document into the pricing core's plain values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pycrdt import Array, Map

from workspace.deal import deal_facts, deal_input
from workspace.pricing import price_deal
from workspace.pricing.samples import sample_book
from workspace.sync.documents import DocName, new_doc


def test_whatever_a_client_typed_becomes_a_value_the_core_can_judge() -> None:
    doc = new_doc(DocName.SHARED)
    deal, lines = doc.get("deal", type=Map), doc.get("lines", type=Array)
    deal.update({"currency": "USD", "termMonths": 24.0, "billing": "annual", "vertical": "healthcare",
                 "closeDate": "2027-03-28"})  # fmt: skip
    lines.append(Map({"id": "a", "sku": "PLAT-ENT", "qty": 250.0, "discountPct": 12.5}))
    lines.append(Map({"id": "b", "sku": "SUP-PREM", "qty": "lots", "discountPct": True}))
    lines.append(Map({"sku": "PS-DAY", "qty": 3, "ramp": [1, 2]}))
    lines.append("not a line")
    deal_in = deal_input(doc)
    assert deal_in.term_months == 24 and deal_in.currency == "USD"
    first, odd, unnamed = deal_in.lines
    assert (first.qty, first.discount_pct) == (Decimal("250.0"), Decimal("12.5"))
    assert odd.qty.is_nan() and odd.discount_pct.is_nan()
    assert unnamed.id == "#3" and unnamed.ramp == (Decimal(1), Decimal(2))
    quote = price_deal(deal_in, sample_book())
    assert any(v.line_id == "b" for v in quote.violations), "a quantity of 'lots' is a violation, not a crash"
    facts = deal_facts(doc, today=date(2027, 1, 1))
    assert facts.vertical == "healthcare" and facts.close_date == date(2027, 3, 28)


def test_missing_or_broken_deal_fields_fall_back_sensibly() -> None:
    doc = new_doc(DocName.SHARED)
    doc.get("deal", type=Map).update({"termMonths": "twelve", "closeDate": "soon"})
    deal_in = deal_input(doc)
    assert deal_in.term_months == 0 and deal_in.currency == "" and deal_in.lines == ()
    assert deal_facts(doc, today=date(2027, 1, 1)).close_date == date(2027, 1, 1)
    assert price_deal(deal_in, sample_book()).violations, "an unknown currency and a zero term are reported"
