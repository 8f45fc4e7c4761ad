/**
 * Pure helpers of the compare view and the "since you last looked" banner: what changed, in words a reader
 * scans ("Limitation of liability", "Platform Enterprise: discount 10% → 25%"), cell text for the lines table,
 * and the banner's sentence. No DOM.
 */
import { clockTime } from "../lib/when";
import { formatMoney, formatPct, MISSING } from "./computed";
import { DEAL_FIELDS } from "./deal-fields";
import type { CompareBlock, CompareLine, CompareResult, LineValues, SinceLastSeen, VersionSummary } from "./versions-api";

/** The columns of the lines table, in order, with how each value reads. */
export const LINE_COLUMNS: { key: keyof LineValues; label: string; money?: boolean; pct?: boolean }[] = [
  { key: "qty", label: "Qty" },
  { key: "discount_pct", label: "Discount", pct: true },
  { key: "net_unit", label: "Net unit", money: true },
  { key: "net_total", label: "Line total", money: true },
];

export function cellText(values: LineValues | null, key: keyof LineValues, currency: string | null): string {
  if (!values) return MISSING;
  const raw = values[key];
  if (raw === null || raw === undefined || raw === "") return MISSING;
  const column = LINE_COLUMNS.find((c) => c.key === key);
  if (column?.money) return formatMoney(raw, currency ?? undefined);
  if (column?.pct) return formatPct(raw);
  return raw;
}

export function productOf(line: CompareLine): string {
  const values = line.after ?? line.before;
  return values ? values.product || values.sku : line.id;
}

export function fieldLabel(field: string): string {
  return (DEAL_FIELDS as Record<string, { label: string } | undefined>)[field]?.label ?? field;
}

export function blockTitle(block: CompareBlock): string {
  if (block.kind === "clause") return block.title || block.clause_id || "Clause";
  const first = (block.diff?.find((op) => op.op !== "delete")?.text ?? block.diff?.[0]?.text ?? block.text ?? "").trim();
  return first.length > 48 ? `${first.slice(0, 47)}…` : first || "Text";
}

const STATUS_WORD: Record<string, string> = { changed: "changed", added: "added", removed: "removed" };

/** One line per thing that changed: terms blocks, lines, deal fields. */
export function changeList(result: CompareResult): string[] {
  const out: string[] = [];
  for (const block of result.terms) {
    if (block.status === "same") continue;
    out.push(`${blockTitle(block)} (${STATUS_WORD[block.status]})`);
  }
  const currency = result.totals.currency_after ?? result.totals.currency_before;
  for (const line of result.lines) {
    if (line.status === "same") continue;
    if (line.status !== "changed") {
      out.push(`${productOf(line)} (${STATUS_WORD[line.status]})`);
      continue;
    }
    const parts = LINE_COLUMNS.filter((c) => line.changed.includes(c.key) && (c.key === "qty" || c.key === "discount_pct")).map(
      (c) => `${c.label.toLowerCase()} ${cellText(line.before, c.key, currency)} → ${cellText(line.after, c.key, currency)}`,
    );
    out.push(parts.length ? `${productOf(line)}: ${parts.join(", ")}` : `${productOf(line)} (re-priced)`);
  }
  for (const field of result.deal) {
    if (field.changed) out.push(`${fieldLabel(field.field)}: ${field.before ?? MISSING} → ${field.after ?? MISSING}`);
  }
  return out;
}

/** "Since you last looked (3 Dec, 14:02): 2 changes by Rita Rep"; "" when there is nothing to say. */
export function bannerText(seen: SinceLastSeen, now = Date.now()): string {
  if (seen.first_visit || !seen.changes) return "";
  const when = clockTime(seen.since, now);
  const count = seen.changes === 1 ? "1 change" : `${seen.changes} changes`;
  const names = seen.who.map((p) => p.name).filter(Boolean);
  const by = names.length ? ` by ${names.length > 2 ? `${names.slice(0, 2).join(", ")} and others` : names.join(" and ")}` : "";
  return `Since you last looked${when ? ` (${when})` : ""}: ${count}${by}`;
}

const REASON_WORD: Record<string, string> = {
  submitted: "Sent for approval",
  decided: "Decision",
  exported: "Exported",
  manual: "Saved",
  restored: "Restored",
};

export function reasonLabel(version: VersionSummary): string {
  return REASON_WORD[version.reason] ?? version.reason;
}

/** Which two versions a pick compares: one picked → it against the room now; two → older against newer. */
export function comparePair(picked: number[]): { from: number; to: number | "current" } | null {
  if (picked.length === 1) return { from: picked[0], to: "current" };
  if (picked.length === 2) {
    const [a, b] = [...picked].sort((x, y) => x - y);
    return { from: a, to: b };
  }
  return null;
}

export function sideName(side: { number: number | null; label: string; current: boolean }): string {
  return side.current ? "Now" : `Version ${side.number}`;
}
