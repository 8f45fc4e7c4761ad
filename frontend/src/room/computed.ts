/**
 * Server-computed values (the `computed` map, written by the server only): prices per line, the
 * total and its currency. Absent until the quote engine fills them; shown as "—" until then.
 * Money arrives as decimal strings ("1234.50"); it is only formatted here, never computed with.
 */
import * as Y from "yjs";

export const MISSING = "—";

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

export interface ComputedLine {
  net?: string;
  extended?: string;
}

export function computedLine(computed: Y.Map<unknown>, lineId: string): ComputedLine {
  const lines = plain(computed.get("lines"));
  if (!lines || typeof lines !== "object") return {};
  const entry = plain((lines as Record<string, unknown>)[lineId]);
  if (!entry || typeof entry !== "object") return {};
  const { net, extended } = entry as Record<string, unknown>;
  return { net: asMoney(net), extended: asMoney(extended) };
}

export function computedTotal(computed: Y.Map<unknown>): string | undefined {
  return asMoney(plain(computed.get("total")));
}

export function computedCurrency(computed: Y.Map<unknown>): string | undefined {
  const c = plain(computed.get("currency"));
  return typeof c === "string" && c ? c : undefined;
}

function asMoney(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim()) return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "1234.50" + "USD" → "$1,234.50"; "—" when absent; the raw text when it is not a number. */
export function formatMoney(amount: string | undefined, currency: string | undefined): string {
  if (amount === undefined) return MISSING;
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  const code = currency && /^[A-Z]{3}$/.test(currency) ? currency : "";
  const key = code || "plain";
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = code
        ? new Intl.NumberFormat(undefined, { style: "currency", currency: code })
        : new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      formatter = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(key, formatter);
  }
  return formatter.format(value);
}
