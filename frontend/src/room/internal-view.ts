/**
 * What the rep panel shows of the internal doc's `computed`: margin, cost and floor breaches of the
 * internal quote, and the commission estimate. Pure; part of the internal chunk only.
 */
import type * as Y from "yjs";
import { formatMoney, formatPct, MISSING, plain, readQuote, type Quote } from "./computed";

export interface EconomicsView {
  priced: boolean;
  /** "$423,750.00 (62.22%)". */
  margin: string;
  cost: string;
  net: string;
  maxDiscount: string;
  /** One sentence per line under its floor price, in the order of the quote. */
  belowFloor: string[];
}

export interface CommissionLayerView {
  name: string;
  amount: string;
  negative: boolean;
  explanation: string;
}

export interface CommissionView {
  /** "absent": not computed yet; "none": no incentive plan; "estimate": figures below. */
  state: "absent" | "none" | "estimate";
  total: string;
  layers: CommissionLayerView[];
  hints: string[];
}

export function economicsView(quote: Quote | undefined): EconomicsView {
  if (!quote) return { priced: false, margin: MISSING, cost: MISSING, net: MISSING, maxDiscount: MISSING, belowFloor: [] };
  const c = quote.currency;
  const t = quote.totals;
  const margin = t.margin === undefined ? MISSING : t.margin_pct === undefined ? formatMoney(t.margin, c) : `${formatMoney(t.margin, c)} (${formatPct(t.margin_pct)})`;
  const flagged = new Set(t.below_floor);
  const belowFloor: string[] = [];
  quote.lines.forEach((line, i) => {
    if (!flagged.has(line.id) && line.below_floor !== true) return;
    const what = line.name && line.name !== line.sku ? `${line.name} (${line.sku})` : line.sku || "no SKU";
    const prices = line.net_unit !== undefined && line.floor_unit !== undefined ? `: net price ${formatMoney(line.net_unit, c)} is under the floor of ${formatMoney(line.floor_unit, c)}` : " is priced under its floor";
    belowFloor.push(`Line ${i + 1}, ${what}${prices}.`);
  });
  return {
    priced: true,
    margin,
    cost: formatMoney(t.cost_total, c),
    net: formatMoney(t.net_total, c),
    maxDiscount: formatPct(t.max_line_discount_pct),
    belowFloor,
  };
}

export function readEconomics(computed: Y.Map<unknown>): EconomicsView {
  return economicsView(readQuote(computed));
}

/** The commission estimate in `computed.commission` (null when there is no incentive plan). */
export function commissionView(raw: unknown): CommissionView {
  const value = plain(raw);
  if (value === undefined) return { state: "absent", total: MISSING, layers: [], hints: [] };
  if (!value || typeof value !== "object") return { state: "none", total: MISSING, layers: [], hints: [] };
  const r = value as Record<string, unknown>;
  const currency = typeof r.currency === "string" ? r.currency : undefined;
  const money = (v: unknown) => formatMoney(typeof v === "string" && v ? v : typeof v === "number" ? String(v) : undefined, currency);
  const layers = (Array.isArray(r.layers) ? r.layers : []).flatMap((l): CommissionLayerView[] => {
    if (!l || typeof l !== "object") return [];
    const layer = l as Record<string, unknown>;
    const amount = typeof layer.amount === "string" ? layer.amount : undefined;
    return [{ name: String(layer.name ?? ""), amount: money(amount), negative: !!amount?.startsWith("-"), explanation: typeof layer.explanation === "string" ? layer.explanation : "" }];
  });
  const hints = (Array.isArray(r.hints) ? r.hints : []).filter((h): h is string => typeof h === "string" && h !== "");
  return { state: "estimate", total: money(r.total), layers, hints };
}
