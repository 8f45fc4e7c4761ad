/**
 * Pure helpers of the what-if panel (internal chunk only): the request's address from the rep's inputs,
 * and the answer of `GET /api/rooms/{id}/whatif` as side-by-side rows. Tested in whatif-view.test.ts.
 */

export interface WhatIfSide {
  priceable: boolean;
  term_months: number;
  discount_pct: string;
  total: string;
  first_year: string;
  margin: string | null;
  margin_pct: string | null;
  commission: string | null;
  tier: string | null;
  attainment: { before_pct: string; after_pct: string; tier_before: string; tier_after: string; tier_changes: boolean; sentence: string } | null;
}

export interface WhatIfAnswer {
  room_id: string;
  currency: string;
  now: WhatIfSide;
  what_if: WhatIfSide;
}

/** The what-if's address, or an error in words for inputs the server would refuse. */
export function whatIfUrl(roomId: string, discount: string, term: string): { url: string } | { error: string } {
  const params = new URLSearchParams();
  const d = discount.trim();
  if (d) {
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(d) || Number(d) > 100) return { error: "A discount is a number from 0 to 100." };
    params.set("discount_pct", d);
  }
  const t = term.trim();
  if (t) {
    if (!/^\d{1,3}$/.test(t) || Number(t) < 1 || Number(t) > 120) return { error: "A term is 1 to 120 months." };
    params.set("term_months", t);
  }
  if (!d && !t) return { error: "Give a discount or a term to compare." };
  return { url: `/api/rooms/${encodeURIComponent(roomId)}/whatif?${params.toString()}` };
}

function amount(value: string | null, currency: string): string {
  if (value === null) return "—";
  const n = Number(value);
  if (!Number.isFinite(n)) return "—";
  const digits = (value.split(".")[1] ?? "").length;
  return `${currency} ${n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

export interface WhatIfRow {
  key: string;
  label: string;
  now: string;
  whatIf: string;
  /** Whether the what-if is more (1), less (-1) or the same (0); commission and margin only. */
  change: number;
}

function compare(a: string | null, b: string | null): number {
  if (a === null || b === null) return 0;
  return Math.sign(Number(b) - Number(a));
}

/** The rows of the side-by-side table: commission, margin, total, first year, tier. */
export function whatIfRows(answer: WhatIfAnswer): WhatIfRow[] {
  const { now, what_if: next, currency } = answer;
  const pct = (v: string | null) => (v === null ? "" : ` (${v} %)`);
  return [
    { key: "commission", label: "Commission", now: amount(now.commission, currency), whatIf: amount(next.commission, currency), change: compare(now.commission, next.commission) },
    { key: "margin", label: "Margin", now: amount(now.margin, currency) + pct(now.margin_pct), whatIf: amount(next.margin, currency) + pct(next.margin_pct), change: compare(now.margin, next.margin) },
    { key: "total", label: `Total (${next.term_months} mo)`, now: amount(now.total, currency), whatIf: amount(next.total, currency), change: 0 },
    { key: "first_year", label: "First year", now: amount(now.first_year, currency), whatIf: amount(next.first_year, currency), change: 0 },
    { key: "tier", label: "Tier", now: now.tier ?? "—", whatIf: next.tier ?? "—", change: 0 },
  ];
}

/** The tier change in words, or null when the tier stays (or there is no quota). */
export function tierChange(answer: WhatIfAnswer): string | null {
  const { now, what_if: next } = answer;
  if (!now.tier || !next.tier || now.tier === next.tier) return null;
  return `At this price the deal moves you from the ${now.tier} tier to the ${next.tier} tier.`;
}
