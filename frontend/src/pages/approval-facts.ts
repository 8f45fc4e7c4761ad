/**
 * The facts an approval rule tested, as an approver reads them: "Highest line discount: 32%
 * (approved before: 25%)" — the difference that matters. Values are the server's; they are only
 * formatted (a "_pct" fact gets its "%", a "_days" fact its "days"), never computed with.
 */
import type { ApprovalFact, ClauseWording } from "../lib/api";
import { diffView } from "../lib/clause-render";
import { FREE_TEXT, categoryLabel } from "../lib/clauses";
import "../lib/clause-render.css";
import { h } from "../lib/dom";

const LABELS: Record<string, string> = {
  max_line_discount_pct: "Highest line discount",
  total_discount_pct: "Total discount",
  margin_pct: "Margin",
  payment_terms_days: "Payment terms",
  term_months: "Term",
  below_floor: "Priced below floor",
  below_floor_count: "Lines below floor",
  total: "Net total",
  first_year_value: "First-year value",
  non_standard_clauses: "Non-standard clauses",
  clause_approvals: "Clause approvals",
  billing: "Billing",
  currency: "Currency",
};

const DECIMAL = /^-?\d+(\.\d+)?$/;

function trimDecimal(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

export function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

function factLabel(fact: ApprovalFact): string {
  if (typeof fact.label === "string" && fact.label.trim()) return capitalize(fact.label.trim());
  return LABELS[fact.fact] ?? fact.fact.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}

/** One value of a fact as text: "32%", "60 days", "yes", "liability, payment"; "—" when unknown. */
export function factValue(name: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map((v) => (name === "non_standard_clauses" ? categoryItem(v) : String(v))).join(", ") : "none";
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : typeof value === "string" ? value.trim() : JSON.stringify(value);
  if (!DECIMAL.test(text)) return text; // the server's own wording ("32%", "USD")
  const n = trimDecimal(text);
  if (name.endsWith("_pct")) return `${n}%`;
  if (name.endsWith("_days")) return `${n} days`;
  if (name.endsWith("_months")) return `${n} months`;
  return n;
}

/** A clause category as the server filed it; the text outside the clauses reads as such, not as its key. */
function categoryItem(v: unknown): string {
  return v === FREE_TEXT ? categoryLabel(FREE_TEXT) : String(v);
}

export interface FactView {
  fact: string;
  label: string;
  value: string;
  /** What was approved for this rule in this room before, or null when nothing was. */
  before: string | null;
}

export function factView(fact: ApprovalFact): FactView {
  const hasBefore = fact.approved_value !== null && fact.approved_value !== undefined;
  return {
    fact: fact.fact,
    label: factLabel(fact),
    value: factValue(fact.fact, fact.value),
    before: hasBefore ? factValue(fact.fact, fact.approved_value) : null,
  };
}

/** "32% (approved before: 25%)", or "32%" when nothing was approved before. */
export function factText(v: FactView): string {
  return v.before === null ? v.value : `${v.value} (approved before: ${v.before})`;
}

/** The facts as a definition list (`data-testid` is the list's; each row is `{rowTestid}`). */
export function factList(facts: readonly ApprovalFact[] | undefined, testid: string, rowTestid: string): HTMLElement | null {
  const views = (facts ?? []).filter((f) => f && typeof f.fact === "string").map(factView);
  if (!views.length) return null;
  return h(
    "dl",
    { class: "approval-facts", "data-testid": testid },
    views.map((v) =>
      h(
        "div",
        { class: `approval-fact${v.before !== null ? " has-before" : ""}`, "data-testid": rowTestid, "data-fact": v.fact },
        h("dt", {}, v.label),
        h("dd", {}, h("span", { class: "fact-value" }, v.value), v.before !== null ? h("span", { class: "fact-before" }, ` (approved before: ${v.before})`) : null),
      ),
    ),
  );
}

/**
 * What a step asks, in a headline and its sentences: "Discount over 20%" and ["max line discount 32%
 * is over 20%"]. The server's `reason` is "headline: sentence; sentence"; `headline` and `details` are
 * used when it sends them.
 */
export function splitReason(reason: string, headline?: string, details?: readonly unknown[]): { headline: string; lines: string[] } {
  const text = (reason ?? "").trim();
  let head = typeof headline === "string" ? headline.trim() : "";
  let rest = "";
  if (head && text.startsWith(`${head}: `)) rest = text.slice(head.length + 2);
  else if (!head) {
    const colon = text.indexOf(": ");
    head = colon > 0 ? text.slice(0, colon) : text;
    rest = colon > 0 ? text.slice(colon + 2) : "";
  } else if (text !== head) rest = text;
  const given = (details ?? []).filter((d): d is string => typeof d === "string" && d.trim() !== "");
  const lines = given.length ? given : rest ? rest.split("; ").filter(Boolean) : [];
  return { headline: head, lines };
}

/**
 * The clause wordings a step is about, each under its title with the word diff against the library
 * (deletions struck, insertions underlined): legal decides on words, not on a category name.
 */
export function clauseWordings(clauses: readonly ClauseWording[] | undefined, testid: string): HTMLElement | null {
  if (!clauses || clauses.length === 0) return null;
  return h(
    "div",
    { class: "approval-clauses", "data-testid": testid },
    clauses.map((clause) =>
      h("section", { class: "approval-clause" }, h("h3", { class: "approval-clause-title" }, clause.title), diffView(clause.diff)),
    ),
  );
}
