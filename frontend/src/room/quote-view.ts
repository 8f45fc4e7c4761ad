/**
 * What the pricing table shows of the server's quote: one view model per row and one for the totals,
 * every amount already formatted ("—" while there is no quote or no price for the line). Pure: the
 * table binds these to the DOM.
 */
import { formatMoney, formatPct, MISSING, type Quote, type QuoteLine } from "./computed";
import type { LineData } from "./lines";

export interface LineView {
  /** The product name, when the quote priced this line's current SKU. */
  name: string;
  /** False when the server could not price the SKU (unknown, inactive, no price). */
  priced: boolean;
  /** The quote was computed for other values than the row shows now (the server is re-pricing). */
  stale: boolean;
  net: string;
  /** "per month", "per year", "one-time" or "". */
  per: string;
  /** The same, short, for the compact row: "/mo", "/yr", " one-time" or "". */
  perShort: string;
  total: string;
  /** The first-year amount when the term is longer than a year, else null. */
  firstYear: string | null;
  violations: string[];
}

export interface TotalsView {
  priced: boolean;
  stale: boolean;
  net: string;
  firstYear: string;
  discount: string;
  /** "36-month term · billed annually · price book v3", or what is missing. */
  caption: string;
  violations: string[];
  /** "Incomplete: 1 line cannot be priced" when the server says the quote is not priceable, else "". */
  unpriceable: string;
}

const PER: Record<string, string> = { monthly: "per month", annual: "per year", one_time: "one-time" };
const PER_SHORT: Record<string, string> = { monthly: "/mo", annual: "/yr", one_time: " one-time" };
const BILLING: Record<string, string> = { annual: "billed annually", quarterly: "billed quarterly", monthly: "billed monthly", upfront: "billed upfront" };

function sameSku(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** Does the quote's line still describe the row's values? (Numbers are compared, not computed with.) */
function matches(q: QuoteLine, data: LineData): boolean {
  if (!sameSku(q.sku, data.sku)) return false;
  if (q.qty !== undefined && Number(q.qty) !== data.qty) return false;
  if (q.discount_pct !== undefined && Number(q.discount_pct) !== data.discountPct) return false;
  return true;
}

export function quoteCurrency(quote: Quote | undefined, dealCurrency: unknown): string | undefined {
  return quote?.currency ?? (typeof dealCurrency === "string" && dealCurrency ? dealCurrency : undefined);
}

interface Index {
  lines: Map<string, QuoteLine>;
  violations: Map<string | null, string[]>;
}

const indexes = new WeakMap<Quote, Index>();

/** Lines and violations by line id, once per quote (a table of n rows looks each up n times). */
function index(quote: Quote): Index {
  let found = indexes.get(quote);
  if (!found) {
    const violations = new Map<string | null, string[]>();
    for (const v of quote.violations) violations.set(v.line_id, [...(violations.get(v.line_id) ?? []), v.message]);
    found = { lines: new Map(quote.lines.map((l) => [l.id, l])), violations };
    indexes.set(quote, found);
  }
  return found;
}

const EMPTY: LineView = { name: "", priced: true, stale: false, net: MISSING, per: "", perShort: "", total: MISSING, firstYear: null, violations: [] };

/** The row of `data`, from the quote's line with the same id. */
export function lineView(quote: Quote | undefined, data: LineData, currency: string | undefined): LineView {
  if (!quote) return EMPTY;
  const { lines, violations: byLine } = index(quote);
  const violations = byLine.get(data.id) ?? [];
  const q = lines.get(data.id);
  if (!q) return { ...EMPTY, stale: true, violations };
  const skuChanged = !sameSku(q.sku, data.sku);
  const longTerm = (quote.term_months ?? 0) > 12;
  return {
    // A name under a SKU someone has since changed would name the wrong product.
    name: skuChanged || q.name === q.sku ? "" : q.name,
    priced: q.priced,
    stale: !matches(q, data),
    net: skuChanged || !q.priced ? MISSING : formatMoney(q.net_unit, currency),
    per: skuChanged || !q.priced ? "" : (PER[q.period ?? ""] ?? ""),
    perShort: skuChanged || !q.priced ? "" : (PER_SHORT[q.period ?? ""] ?? ""),
    total: skuChanged || !q.priced ? MISSING : formatMoney(q.net_total, currency),
    firstYear: longTerm && !skuChanged && q.priced && q.period !== "one_time" ? formatMoney(q.first_year, currency) : null,
    violations,
  };
}

/** The totals under the table, and the violations no current row shows. */
export function totalsView(quote: Quote | undefined, rows: readonly LineData[], currency: string | undefined): TotalsView {
  if (!quote) {
    return {
      priced: false,
      stale: false,
      net: MISSING,
      firstYear: MISSING,
      discount: MISSING,
      caption: rows.length ? "Not priced yet: prices appear here as soon as the server has priced the deal." : "",
      violations: [],
      unpriceable: "",
    };
  }
  const ids = new Set(rows.map((r) => r.id));
  const byId = index(quote).lines;
  const stale = rows.length !== quote.lines.length || rows.some((r) => !byId.has(r.id) || !matches(byId.get(r.id)!, r));
  const t = quote.totals;
  const discount = t.total_discount === undefined ? MISSING : `${formatMoney(t.total_discount, currency)} (${formatPct(t.total_discount_pct)})`;
  const caption = [
    quote.term_months ? `${quote.term_months}-month term` : "",
    BILLING[quote.billing ?? ""] ?? "",
    quote.book_version !== undefined ? `price book v${quote.book_version}` : "",
  ].filter(Boolean);
  return {
    priced: true,
    stale,
    net: formatMoney(t.net_total, currency),
    firstYear: formatMoney(t.first_year, currency),
    discount,
    caption: caption.join(" · "),
    // A violation of a line that is not (or no longer) in the table is shown here rather than lost.
    violations: quote.violations.filter((v) => v.line_id === null || !ids.has(v.line_id)).map((v) => v.message),
    unpriceable: quote.priceable ? "" : unpriceableText(quote),
  };
}

/** "Incomplete: 2 lines cannot be priced", or the deal-level reason (a currency the book lacks). */
function unpriceableText(quote: Quote): string {
  const lines = new Set(quote.lines.filter((l) => !l.priced).map((l) => l.id));
  const deal = quote.pricing_problems.find((p) => p.line_id === null);
  if (deal) return `Incomplete: ${deal.message.replace(/\.$/, "")}`;
  if (lines.size) return `Incomplete: ${lines.size} ${lines.size === 1 ? "line cannot" : "lines cannot"} be priced`;
  return "Incomplete: this quote cannot be priced";
}
