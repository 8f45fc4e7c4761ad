/**
 * The server's quote (the `computed` map, written by the server only; DESIGN.md "Documents of a
 * room"). `computed.quote` is one plain JSON object, absent until the first pricing. The same reader
 * serves the internal doc's `computed.quote`, which carries cost, margin and floor fields on top.
 *
 * Money arrives as decimal strings in the quote's currency ("1234.50"); it is only formatted here,
 * never computed with: every sum, discount and percentage is the server's.
 */
import * as Y from "yjs";

export const MISSING = "—";

export type Period = "annual" | "monthly" | "one_time";

export interface QuoteViolation {
  /** The line it concerns, or null for the deal as a whole. */
  line_id: string | null;
  rule: string;
  message: string;
}

export interface QuoteLine {
  id: string;
  sku: string;
  name: string;
  period: Period | null;
  unit: string;
  qty?: string;
  discount_pct?: string;
  priced: boolean;
  list_unit?: string;
  net_unit?: string;
  first_year?: string;
  annual_recurring?: string;
  list_total?: string;
  total_discount?: string;
  net_total?: string;
  // Internal doc only.
  cost_total?: string;
  margin?: string;
  margin_pct?: string;
  floor_unit?: string;
  below_floor?: boolean;
}

export interface QuoteTotals {
  list_total?: string;
  total_discount?: string;
  total_discount_pct?: string;
  net_total?: string;
  first_year?: string;
  annual_recurring?: string;
  // Internal doc only.
  cost_total?: string;
  margin?: string;
  margin_pct?: string;
  max_line_discount_pct?: string;
  below_floor: string[];
}

export interface Quote {
  currency?: string;
  term_months?: number;
  billing?: string;
  book_version?: number;
  /** The currencies the room's price book prices (what the deal may be switched to); empty when unknown. */
  currencies: string[];
  lines: QuoteLine[];
  totals: QuoteTotals;
  violations: QuoteViolation[];
  /** False when a line (or the deal as a whole) cannot be priced: the total is not a complete price. */
  priceable: boolean;
  /** Why it cannot be priced (a subset of `violations`). */
  pricing_problems: QuoteViolation[];
}

/** A value of a Y.Map as plain JSON (the server writes plain values; nested Y types are read too). */
export function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

function record(value: unknown): Record<string, unknown> | undefined {
  const v = plain(value);
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function list(value: unknown): unknown[] {
  const v = plain(value);
  return Array.isArray(v) ? v : [];
}

/** A decimal string as sent; a finite number is accepted as its text. */
function decimal(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim()) return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

const PERIODS: ReadonlySet<string> = new Set(["annual", "monthly", "one_time"]);
const LINE_DECIMALS = ["qty", "discount_pct", "list_unit", "net_unit", "first_year", "annual_recurring", "list_total", "total_discount", "net_total", "cost_total", "margin", "margin_pct", "floor_unit"] as const;
const TOTAL_DECIMALS = ["list_total", "total_discount", "total_discount_pct", "net_total", "first_year", "annual_recurring", "cost_total", "margin", "margin_pct", "max_line_discount_pct"] as const;

function readLine(raw: unknown): QuoteLine | undefined {
  const r = record(raw);
  if (!r || typeof r.id !== "string") return undefined;
  const line: QuoteLine = {
    id: r.id,
    sku: text(r.sku),
    name: text(r.name),
    period: typeof r.period === "string" && PERIODS.has(r.period) ? (r.period as Period) : null,
    unit: text(r.unit),
    priced: r.priced !== false,
  };
  for (const key of LINE_DECIMALS) line[key] = decimal(r[key]);
  if (typeof r.below_floor === "boolean") line.below_floor = r.below_floor;
  return line;
}

/** The quote in `computed` (shared or internal doc), or undefined while the server has not priced. */
export function readQuote(computed: Y.Map<unknown>, key = "quote"): Quote | undefined {
  const r = record(computed.get(key));
  if (!r) return undefined;
  const t = record(r.totals) ?? {};
  const totals: QuoteTotals = { below_floor: list(t.below_floor).filter((id): id is string => typeof id === "string") };
  for (const k of TOTAL_DECIMALS) totals[k] = decimal(t[k]);
  const lines = list(r.lines).map(readLine).filter((l): l is QuoteLine => l !== undefined);
  return {
    currency: typeof r.currency === "string" && r.currency ? r.currency : undefined,
    term_months: typeof r.term_months === "number" ? r.term_months : undefined,
    billing: typeof r.billing === "string" ? r.billing : undefined,
    book_version: typeof r.book_version === "number" ? r.book_version : undefined,
    currencies: currencies(r.currencies),
    lines,
    totals,
    violations: readViolations(r.violations),
    // A server that does not say (an older one) is believed about its lines.
    priceable: typeof r.priceable === "boolean" ? r.priceable : lines.every((l) => l.priced),
    pricing_problems: readViolations(r.pricing_problems),
  };
}

/** Only the currencies of the quote in `computed` (the deal fields need no more of a long quote). */
export function readCurrencies(computed: Y.Map<unknown>, key = "quote"): string[] {
  return currencies(record(computed.get(key))?.currencies);
}

function currencies(value: unknown): string[] {
  return list(value).filter((c): c is string => typeof c === "string" && /^[A-Z]{3}$/.test(c));
}

function readViolations(value: unknown): QuoteViolation[] {
  const violations: QuoteViolation[] = [];
  for (const raw of list(value)) {
    const v = record(raw);
    if (!v || typeof v.message !== "string" || !v.message) continue;
    violations.push({ line_id: typeof v.line_id === "string" ? v.line_id : null, rule: text(v.rule), message: v.message });
  }
  return violations;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** A formatter for `code` (a plain number without one) with `min`..`max` places (the currency's own by default). */
function formatter(code: string, min?: number, max = min): Intl.NumberFormat {
  const key = `${code}:${min ?? ""}:${max ?? ""}`;
  let f = formatters.get(key);
  if (!f) {
    const digits = min === undefined ? {} : { minimumFractionDigits: min, maximumFractionDigits: max };
    try {
      f = code ? new Intl.NumberFormat(undefined, { style: "currency", currency: code, ...digits }) : undefined;
    } catch {
      f = undefined; // a currency code the browser does not know
    }
    f ??= new Intl.NumberFormat(undefined, { minimumFractionDigits: min ?? 2, maximumFractionDigits: max ?? 2 });
    formatters.set(key, f);
  }
  return f;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Digits a price shows at least: a sub-cent unit price ("0.0079" per SMS) is not shown as "$0.01". */
const MIN_SIGNIFICANT = 3;
const MAX_PLACES = 6;

/** How many places `amount` (a plain decimal) needs beyond `base` to show MIN_SIGNIFICANT digits. */
function placesFor(amount: string, base: number): number {
  const [whole, fraction = ""] = amount.replace("-", "").split(".");
  if (fraction.length <= base) return base;
  const lead = whole.replace(/^0+/, "").length;
  let places = base;
  const significant = (p: number) => (lead ? lead + p : fraction.slice(0, p).replace(/^0+/, "").length);
  while (places < Math.min(fraction.length, MAX_PLACES) && significant(places) < MIN_SIGNIFICANT) places++;
  return places;
}

/**
 * "1234.50" + "USD" → "$1,234.50"; "—" when absent; the raw text when it is not a plain decimal.
 * Shown in the currency's minor units ("50.206667" → "$50.21"): the server keeps its precision, the
 * screen rounds. A price below one unit keeps three significant digits ("0.0079" → "$0.0079") rather
 * than rounding to "$0.01". The string itself is formatted (Intl.NumberFormat v3 rounds a decimal
 * string exactly), so a huge total is not rounded through a float.
 */
export function formatMoney(amount: string | undefined, currency: string | undefined): string {
  if (amount === undefined) return MISSING;
  if (!DECIMAL.test(amount)) return amount;
  const code = currency && /^[A-Z]{3}$/.test(currency) ? currency : "";
  const base = formatter(code, undefined).resolvedOptions().maximumFractionDigits ?? 2;
  const places = placesFor(amount, base);
  // Older engines take the string as a Number: exact for any amount below 2^53 minor units.
  return formatter(code, base, places).format(amount as unknown as number);
}

/** "18.50" → "18.5%"; "10" → "10%"; "—" when absent. */
export function formatPct(pct: string | undefined): string {
  if (pct === undefined) return MISSING;
  if (!DECIMAL.test(pct)) return `${pct}%`;
  const trimmed = pct.includes(".") ? pct.replace(/0+$/, "").replace(/\.$/, "") : pct;
  return `${trimmed}%`;
}

/**
 * A view's live link to a doc's `computed` map: `onChange` runs on bind and on every change inside
 * the map, until unbind (or the next bind).
 */
export class ComputedBinding {
  map: Y.Map<unknown> | null = null;
  private readonly observer = () => this.onChange();

  constructor(private readonly onChange: () => void) {}

  bind(map: Y.Map<unknown>): void {
    this.unbind();
    this.map = map;
    map.observeDeep(this.observer);
    this.onChange();
  }

  unbind(): void {
    this.map?.unobserveDeep(this.observer);
    this.map = null;
  }
}
