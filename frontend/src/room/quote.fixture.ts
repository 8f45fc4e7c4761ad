/**
 * Test data: what the server writes into `computed` for a 36-month deal, produced by the pricing core
 * (workspace/pricing: price_deal + public_view / internal_view, and the incentive estimate) for
 * l1 PLAT-ENT 250 @ 42 %, l2 SUP-PREM 1, l3 PS-ONBOARD 40 @ 5 %, l4 ADD-SSO 250 @ 45 %, l5 NOPE-X 3
 * (not in the price book), billed "weekly" (a deal-wide violation). l1 is under its floor.
 */

export const LINES = [
  { id: "l1", sku: "PLAT-ENT", qty: 250, discountPct: 42 },
  { id: "l2", sku: "SUP-PREM", qty: 1, discountPct: 0 },
  { id: "l3", sku: "PS-ONBOARD", qty: 40, discountPct: 5 },
  { id: "l4", sku: "ADD-SSO", qty: 250, discountPct: 45 },
  { id: "l5", sku: "NOPE-X", qty: 3, discountPct: 0 },
] as const;

export function publicQuote(): Record<string, any> {
  return {
    "currency": "USD",
    "term_months": 36,
    "billing": "weekly",
    "book_version": 3,
    "months": [
      12,
      12,
      12
    ],
    "lines": [
      {
        "id": "l1",
        "sku": "PLAT-ENT",
        "name": "Platform Enterprise",
        "period": "monthly",
        "unit": "users",
        "qty": "250",
        "year_qty": [
          "250",
          "250",
          "250"
        ],
        "discount_pct": "42",
        "priced": true,
        "list_unit": "75.00",
        "tier_unit": "75.00",
        "net_unit": "43.50",
        "per_period": "10875.00",
        "years": [
          "130500.00",
          "130500.00",
          "130500.00"
        ],
        "first_year": "130500.00",
        "annual_recurring": "130500.00",
        "list_total": "675000.00",
        "volume_discount": "0.00",
        "negotiated_discount": "283500.00",
        "total_discount": "283500.00",
        "net_total": "391500.00"
      },
      {
        "id": "l2",
        "sku": "SUP-PREM",
        "name": "Premium support",
        "period": "annual",
        "unit": "subscription",
        "qty": "1",
        "year_qty": [
          "1",
          "1",
          "1"
        ],
        "discount_pct": "0",
        "priced": true,
        "list_unit": "18000.00",
        "tier_unit": "18000.00",
        "net_unit": "18000.00",
        "per_period": "18000.00",
        "years": [
          "18000.00",
          "18000.00",
          "18000.00"
        ],
        "first_year": "18000.00",
        "annual_recurring": "18000.00",
        "list_total": "54000.00",
        "volume_discount": "0.00",
        "negotiated_discount": "0.00",
        "total_discount": "0.00",
        "net_total": "54000.00"
      },
      {
        "id": "l3",
        "sku": "PS-ONBOARD",
        "name": "Onboarding package",
        "period": "one_time",
        "unit": "packages",
        "qty": "40",
        "year_qty": [
          "40"
        ],
        "discount_pct": "5",
        "priced": true,
        "list_unit": "7500.00",
        "tier_unit": "7500.00",
        "net_unit": "7125.00",
        "per_period": "285000.00",
        "years": [
          "285000.00",
          "0.00",
          "0.00"
        ],
        "first_year": "285000.00",
        "annual_recurring": "0.00",
        "list_total": "300000.00",
        "volume_discount": "0.00",
        "negotiated_discount": "15000.00",
        "total_discount": "15000.00",
        "net_total": "285000.00"
      },
      {
        "id": "l4",
        "sku": "ADD-SSO",
        "name": "SSO & SCIM add-on",
        "period": "monthly",
        "unit": "users",
        "qty": "250",
        "year_qty": [
          "250",
          "250",
          "250"
        ],
        "discount_pct": "45",
        "priced": true,
        "list_unit": "6.00",
        "tier_unit": "6.00",
        "net_unit": "3.30",
        "per_period": "825.00",
        "years": [
          "9900.00",
          "9900.00",
          "9900.00"
        ],
        "first_year": "9900.00",
        "annual_recurring": "9900.00",
        "list_total": "54000.00",
        "volume_discount": "0.00",
        "negotiated_discount": "24300.00",
        "total_discount": "24300.00",
        "net_total": "29700.00"
      },
      {
        "id": "l5",
        "sku": "NOPE-X",
        "name": "NOPE-X",
        "period": null,
        "unit": "",
        "qty": "3",
        "year_qty": [],
        "discount_pct": "0",
        "priced": false,
        "list_unit": "0.00",
        "tier_unit": "0.00",
        "net_unit": "0.00",
        "per_period": "0.00",
        "years": [
          "0.00",
          "0.00",
          "0.00"
        ],
        "first_year": "0.00",
        "annual_recurring": "0.00",
        "list_total": "0.00",
        "volume_discount": "0.00",
        "negotiated_discount": "0.00",
        "total_discount": "0.00",
        "net_total": "0.00"
      }
    ],
    "totals": {
      "list_total": "1083000.00",
      "volume_discount": "0.00",
      "negotiated_discount": "322800.00",
      "total_discount": "322800.00",
      "total_discount_pct": "29.81",
      "net_total": "760200.00",
      "years": [
        "443400.00",
        "158400.00",
        "158400.00"
      ],
      "first_year": "443400.00",
      "annual_recurring": "158400.00"
    },
    "violations": [
      {
        "line_id": null,
        "rule": "billing",
        "message": "Billing must be monthly, quarterly, annual, upfront, not 'weekly'."
      },
      {
        "line_id": "l3",
        "rule": "max_qty",
        "message": "Onboarding package allows at most 1 package per line; this line has 40."
      },
      {
        "line_id": "l5",
        "rule": "unknown_sku",
        "message": "NOPE-X is not in the price book (version 3)."
      }
    ]
  };
}

/** What the internal view adds per line: cost, margin and the floor check. */
const INTERNAL_LINES: Record<string, Record<string, unknown>> = {
  l1: { cost_total: "85500.00", margin: "306000.00", margin_pct: "78.16", floor_unit: "45.00", below_floor: true },
  l2: { cost_total: "18000.00", margin: "36000.00", margin_pct: "66.67", floor_unit: null, below_floor: false },
  l3: { cost_total: "168000.00", margin: "117000.00", margin_pct: "41.05", floor_unit: null, below_floor: false },
  l4: { cost_total: "3600.00", margin: "26100.00", margin_pct: "87.88", floor_unit: null, below_floor: false },
  l5: { cost_total: "0.00", margin: "0.00", margin_pct: null, floor_unit: null, below_floor: false },
};

/** The internal view: the public quote with cost, margin and floor fields on top. */
export function internalQuote(): Record<string, any> {
  const q = publicQuote();
  return {
    ...q,
    lines: q.lines.map((line: Record<string, any>) => ({ ...line, ...INTERNAL_LINES[line.id] })),
    totals: {
      ...q.totals,
      cost_total: "275100.00",
      margin: "485100.00",
      margin_pct: "63.81",
      max_line_discount_pct: "45",
      below_floor: ["l1"],
    },
  };
}

export function commission(): Record<string, any> {
  return {
    "currency": "USD",
    "total": "20982.00",
    "layers": [
      {
        "name": "Base rate",
        "amount": "35472.00",
        "explanation": "8% of USD 443,400.00 first-year value."
      },
      {
        "name": "Platform Enterprise rate",
        "amount": "2610.00",
        "explanation": "Platform Enterprise pays 10% instead of 8%: 2% more on USD 130,500.00."
      },
      {
        "name": "Onboarding package rate",
        "amount": "-17100.00",
        "explanation": "Onboarding package pays 2% instead of 8%: 6% less on USD 285,000.00."
      }
    ],
    "hints": [
      "AI launch SPIF: sell 100 of ADD-AI for a bonus of USD 1,000.00; this quote has 0.",
      "Sandbox SPIF: sell 3 of ADD-SANDBOX for a bonus of USD 500.00; this quote has 0."
    ]
  };
}
