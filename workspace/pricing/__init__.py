"""Pricing: the price book, configuration rules, the quote engine and the rep's incentive estimate.

A pure core: plain values in, plain values out, Decimal money, no I/O. The deal room reads its Y docs into
a `DealInput`, calls `price_deal`, and writes `public_view` / `internal_view` of the `Quote` back."""

from workspace.pricing.catalog import BillingPeriod, PriceBook, PricePoint, Product, ProductFacts, ProductRules
from workspace.pricing.catalog_load import load_price_book
from workspace.pricing.deal_input import Billing, DealInput, DealLine
from workspace.pricing.errors import IncentivePlanInvalid, PriceBookInvalid, PricingDataInvalid
from workspace.pricing.incentive_plan import IncentivePlan, load_incentive_plan
from workspace.pricing.incentives import Estimate, Layer, estimate
from workspace.pricing.quote import price_deal
from workspace.pricing.quote_model import LineQuote, Quote, Totals
from workspace.pricing.tiers import TierMode
from workspace.pricing.views import internal_view, public_view
from workspace.pricing.violations import Rule, Violation

__all__ = [
    "Billing",
    "BillingPeriod",
    "DealInput",
    "DealLine",
    "Estimate",
    "IncentivePlan",
    "IncentivePlanInvalid",
    "Layer",
    "LineQuote",
    "PriceBook",
    "PriceBookInvalid",
    "PricePoint",
    "PricingDataInvalid",
    "Product",
    "ProductFacts",
    "ProductRules",
    "Quote",
    "Rule",
    "TierMode",
    "Totals",
    "Violation",
    "estimate",
    "internal_view",
    "load_incentive_plan",
    "load_price_book",
    "price_deal",
    "public_view",
]
