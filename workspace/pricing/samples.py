"""A realistic SaaS price book, incentive plan and deals of any size, for demo data, tests and the quote
benchmark."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workspace.pricing.catalog import PriceBook
from workspace.pricing.catalog_load import load_price_book
from workspace.pricing.deal_input import DealInput, DealLine
from workspace.pricing.incentive_plan import IncentivePlan, load_incentive_plan

CURRENCIES = ["USD", "EUR", "GBP", "JPY"]
PLATFORMS = ["PLAT-TEAM", "PLAT-PRO", "PLAT-ENT"]


def _money(usd: str, eur: str, gbp: str, jpy: str) -> dict[str, str]:
    return {"USD": usd, "EUR": eur, "GBP": gbp, "JPY": jpy}


def _tiers(*steps: tuple[int, str, str, str, str]) -> list[dict[str, Any]]:
    return [{"from_qty": start, "unit_price": _money(*prices)} for start, *prices in steps]


def _product(sku: str, name: str, unit: str, period: str, prices: dict[str, str], **more: Any) -> dict[str, Any]:
    return {"sku": sku, "name": name, "unit": unit, "billing_period": period, "prices": prices, **more}


SAMPLE_PRICE_BOOK: dict[str, Any] = {
    "version": 3,
    "name": "2027 list prices",
    "effective_from": "2027-01-01",
    "currencies": CURRENCIES,
    "products": [
        _product(
            "PLAT-TEAM", "Platform Team", "user", "monthly", _money("20.00", "19.00", "16.00", "3000"),
            description="Deal rooms for small teams: up to 50 users, standard approvals.",
            cost=_money("4.00", "3.70", "3.20", "600"), floor=_money("16.00", "15.00", "13.00", "2400"),
            rules={"max_qty": "50", "excludes": ["PLAT-PRO", "PLAT-ENT"]},
            facts={"often_bought_with": ["ADD-AI"]},
        ),
        _product(
            "PLAT-PRO", "Platform Professional", "user", "monthly", _money("45.00", "42.00", "36.00", "6800"),
            description="Deal rooms, clause library, approval chains and CPQ for growing sales teams.",
            cost=_money("7.50", "7.00", "6.00", "1100"), floor=_money("27.00", "25.00", "22.00", "4000"),
            tier_mode="graduated",
            tiers=_tiers(
                (1, "45.00", "42.00", "36.00", "6800"), (101, "40.00", "37.00", "32.00", "6000"),
                (501, "36.00", "33.00", "29.00", "5400"), (2001, "32.00", "30.00", "26.00", "4800"),
            ),
            rules={"min_qty": "10", "allowed_terms": [12, 24, 36], "excludes": ["PLAT-ENT"]},
            facts={
                "collateral": [
                    {"title": "Professional datasheet", "url": "https://example.com/pro-datasheet.pdf"},
                    {
                        "title": "Pro vs. QuoteWorks battlecard",
                        "url": "https://example.com/bc/quoteworks",
                        "internal": True,
                    },
                ],
                "competitor_notes": [{"competitor": "QuoteWorks", "note": "Cheaper per seat, no live co-editing."}],
                "often_bought_with": ["ADD-SSO", "ADD-AI", "SUP-PREM"],
            },
        ),
        _product(
            "PLAT-ENT", "Platform Enterprise", "user", "monthly", _money("75.00", "69.00", "60.00", "11300"),
            description="Everything in Professional plus SSO-ready security, audit trail and sandboxes.",
            cost=_money("9.50", "8.80", "7.60", "1400"), floor=_money("45.00", "42.00", "36.00", "6800"),
            tier_mode="graduated",
            tiers=_tiers(
                (1, "75.00", "69.00", "60.00", "11300"), (251, "68.00", "63.00", "54.00", "10200"),
                (1001, "60.00", "55.00", "48.00", "9000"), (5001, "52.00", "48.00", "42.00", "7800"),
            ),
            rules={"min_qty": "50", "allowed_terms": [12, 24, 36, 48, 60]},
            facts={
                "collateral": [
                    {"title": "Enterprise datasheet", "url": "https://example.com/ent-datasheet.pdf"},
                    {"title": "Security whitepaper", "url": "https://example.com/security.pdf"},
                    {"title": "Enterprise battlecard", "url": "https://example.com/bc/enterprise", "internal": True},
                ],
                "competitor_notes": [
                    {"competitor": "DealDesk Pro", "note": "Strong approvals; redlines get lost on Word round trips."},
                    {"competitor": "QuoteWorks", "note": "Slows past a few hundred lines; demo a 1,000-line quote."},
                ],
                "often_bought_with": ["ADD-SSO", "ADD-AUDIT", "SUP-ENT", "PS-ONBOARD"],
            },
        ),
        _product(
            "ADD-SSO", "SSO & SCIM add-on", "user", "monthly", _money("6.00", "5.50", "4.80", "900"),
            cost=_money("0.40", "0.37", "0.32", "60"),
            rules={"requires": [["PLAT-PRO", "PLAT-ENT"]]},
        ),
        _product(
            "ADD-AI", "AI Assistant add-on", "user", "monthly", _money("15.00", "14.00", "12.00", "2250"),
            description="Drafts clauses, explains redlines and suggests fallbacks.",
            cost=_money("4.20", "3.90", "3.30", "630"), floor=_money("9.00", "8.30", "7.10", "1350"),
            tier_mode="all_units",
            tiers=_tiers(
                (1, "15.00", "14.00", "12.00", "2250"), (100, "13.50", "12.60", "10.80", "2000"),
                (500, "12.00", "11.20", "9.60", "1800"),
            ),
            rules={"requires": [PLATFORMS]},
        ),
        _product(
            "ADD-AUDIT", "Audit log retention (7 years)", "workspace", "annual",
            _money("4800.00", "4400.00", "3800.00", "720000"), cost=_money("600.00", "550.00", "480.00", "90000"),
            rules={"requires": ["PLAT-ENT"], "max_qty": "1"},
        ),
        _product(
            "ADD-SANDBOX", "Sandbox environment", "environment", "annual",
            _money("9000.00", "8300.00", "7100.00", "1350000"), cost=_money("1800.00", "1650.00", "1420.00", "270000"),
            rules={"requires": [["PLAT-PRO", "PLAT-ENT"]], "max_qty": "5"},
        ),
        _product(
            "API-PACK", "API call pack (10 million calls)", "pack", "monthly",
            _money("250.00", "230.00", "200.00", "37500"), cost=_money("40.00", "37.00", "32.00", "6000"),
            tier_mode="all_units",
            tiers=_tiers(
                (1, "250.00", "230.00", "200.00", "37500"), (10, "225.00", "207.00", "180.00", "33750"),
                (50, "200.00", "184.00", "160.00", "30000"),
            ),
        ),
        _product(
            "STORAGE", "Extra document storage", "block of 100 GB", "monthly",
            _money("25.00", "23.00", "20.00", "3750"), cost=_money("3.00", "2.80", "2.40", "450"),
            unit_plural="blocks of 100 GB",
        ),
        _product(
            "SMS", "SMS approval notifications", "message", "monthly", _money("0.0079", "0.0073", "0.0062", "1.2"),
            cost=_money("0.0042", "0.0039", "0.0033", "0.63"),
        ),
        _product(
            "SUP-PREM", "Premium support", "subscription", "annual",
            _money("18000.00", "16500.00", "14200.00", "2700000"),
            cost=_money("6000.00", "5500.00", "4700.00", "900000"),
            rules={"requires": [PLATFORMS], "excludes": ["SUP-ENT"], "max_qty": "1"},
        ),
        _product(
            "SUP-ENT", "Enterprise support with a named TAM", "subscription", "annual",
            _money("48000.00", "44000.00", "38000.00", "7200000"),
            cost=_money("21000.00", "19300.00", "16600.00", "3150000"),
            rules={"requires": ["PLAT-ENT"], "max_qty": "1"},
        ),
        _product(
            "PS-ONBOARD", "Onboarding package", "package", "one_time",
            _money("7500.00", "6900.00", "5900.00", "1125000"), cost=_money("4200.00", "3860.00", "3300.00", "630000"),
            rules={"max_qty": "1"},
        ),
        _product(
            "PS-DAY", "Professional services", "day", "one_time", _money("1800.00", "1650.00", "1420.00", "270000"),
            cost=_money("950.00", "870.00", "750.00", "142500"),
            floor=_money("1400.00", "1290.00", "1100.00", "210000"),
        ),
        _product(
            "TRAIN-SEAT", "Live training", "attendee", "one_time", _money("350.00", "320.00", "280.00", "52000"),
            cost=_money("90.00", "83.00", "71.00", "13500"), tier_mode="all_units",
            tiers=_tiers(
                (1, "350.00", "320.00", "280.00", "52000"), (20, "300.00", "275.00", "240.00", "45000"),
                (50, "250.00", "230.00", "200.00", "37500"),
            ),
        ),
        _product(
            "LEGACY-ANALYTICS", "Analytics classic", "user", "monthly", _money("10.00", "9.20", "7.90", "1500"),
            active=False,
        ),
    ],
}  # fmt: skip

SAMPLE_INCENTIVE_PLAN: dict[str, Any] = {
    "name": "FY2027 account executive plan",
    "version": 1,
    "basis": "first_year",
    "base_rate_pct": "8",
    # Pushed: Enterprise and the AI add-on. De-emphasised: services and pass-through usage.
    "product_rates_pct": {"PLAT-ENT": "10", "ADD-AI": "12", "PS-DAY": "2", "PS-ONBOARD": "2", "SMS": "0"},
    "spifs": [
        {"name": "AI launch SPIF", "sku": "ADD-AI", "min_qty": "100", "bonus": {"USD": "1000.00", "EUR": "900.00"}},
        {"name": "Sandbox SPIF", "sku": "ADD-SANDBOX", "min_qty": "3", "bonus": {"USD": "500.00", "EUR": "450.00"}},
    ],
    "verticals": {"healthcare": "1.25", "financial_services": "1.1", "public_sector": "0.9"},
    "timing": [
        {"name": "Quarter-end push", "from_day": -14, "to_day": -1, "multiplier": "1.2"},
        {"name": "Early in the quarter", "from_day": 1, "to_day": 30, "multiplier": "0.9"},
    ],
    "fiscal_year_start_month": 2,
    "cap": {"USD": "60000.00", "EUR": "55000.00"},
    # The demo rep's quarterly quota; past 100 % and 150 % of it the rate commission pays more.
    "quotas": {"rep@demo.test": {"currency": "USD", "quarterly": "250000.00"}},
    "tiers": [
        {"from_pct": "0", "multiplier": "1"},
        {"from_pct": "100", "multiplier": "1.5"},
        {"from_pct": "150", "multiplier": "2"},
    ],
}

# The add-ons a large enterprise deal repeats per business unit, with a base quantity and a discount.
_ADD_ONS: list[tuple[str, str, str]] = [
    ("ADD-SSO", "400", "10"),
    ("ADD-AI", "120", "12.5"),
    ("ADD-SANDBOX", "1", "0"),
    ("API-PACK", "12", "15"),
    ("STORAGE", "8", "5"),
    ("SMS", "250000", "0"),
    ("PS-DAY", "5", "7.5"),
    ("TRAIN-SEAT", "25", "20"),
]


def sample_book() -> PriceBook:
    """The sample price book, validated like any uploaded one."""
    return load_price_book(SAMPLE_PRICE_BOOK)


def sample_incentive_plan() -> IncentivePlan:
    """The sample incentive plan, validated like any uploaded one."""
    return load_incentive_plan(SAMPLE_INCENTIVE_PLAN)


def sample_deal(n_lines: int, currency: str = "USD", term_months: int = 36) -> DealInput:
    """A valid enterprise deal of `n_lines` lines: a ramped Platform Enterprise line, support, onboarding,
    then add-ons, services and usage repeated per business unit with varied quantities and discounts."""
    lines = [
        DealLine("line-0001", "PLAT-ENT", Decimal(400), Decimal(18), (Decimal(400), Decimal(600), Decimal(800))),
        DealLine("line-0002", "SUP-ENT", Decimal(1), Decimal(10)),
        DealLine("line-0003", "PS-ONBOARD", Decimal(1), Decimal(0)),
        DealLine("line-0004", "ADD-AUDIT", Decimal(1), Decimal(5)),
    ][:n_lines]
    for index in range(len(lines), n_lines):
        sku, qty, discount = _ADD_ONS[index % len(_ADD_ONS)]
        extra = Decimal(index * 7 % 40) if qty != "1" else Decimal(0)
        lines.append(DealLine(f"line-{index + 1:04d}", sku, Decimal(qty) + extra, Decimal(discount)))
    return DealInput(currency=currency, term_months=term_months, lines=tuple(lines), billing="annual")
