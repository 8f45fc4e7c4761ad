/** Pure helpers of the `/enablement` page: an editor's form values to the card the API takes, and back. */
import type { CardInput, CardKind, CardTrigger, EnablementCard } from "../lib/enablement-api";

export const KINDS: CardKind[] = ["positioning", "objection", "price_defense", "clause_fallback"];
export const TRIGGERS: { value: CardTrigger; label: string; hint: string }[] = [
  { value: "new_product", label: "New product", hint: "a line of a product the rep has not sold before" },
  { value: "discount_threshold", label: "Discount threshold", hint: "a discount past a threshold of the approval policy" },
  { value: "competitor", label: "Competitor named", hint: "a competitor below named in the deal, terms or threads" },
  { value: "clause_dispute", label: "Clause dispute", hint: "a customer disputes a clause below" },
];
export const STAGES = ["draft", "negotiating", "in_approval", "approved", "exported"];

/** What the form holds, as text (lists comma-separated). */
export interface CardForm {
  title: string;
  body: string;
  kind: string;
  triggers: string[];
  products: string;
  competitors: string;
  clauses: string;
  stages: string[];
  minSize: string;
  maxSize: string;
}

/** "a, b ,, c" → ["a", "b", "c"] (also split on new lines). */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A deal-size bound: empty is none; anything else must be a number ≥ 0 (spaces and thousands commas allowed). */
export function parseBound(text: string): number | null | undefined {
  const clean = text.replace(/[\s,_]/g, "");
  if (!clean) return null;
  const n = Number(clean);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The card to send, or the first problem in words (the server checks again and has the last word). */
export function formToInput(form: CardForm): { input: CardInput } | { error: string } {
  if (!form.title.trim()) return { error: "Give the card a title." };
  if (!form.body.trim()) return { error: "Write what the card says." };
  if (!KINDS.includes(form.kind as CardKind)) return { error: "Choose what kind of card it is." };
  const min = parseBound(form.minSize);
  const max = parseBound(form.maxSize);
  if (min === undefined || max === undefined) return { error: "Deal sizes are numbers (or empty for no limit)." };
  if (min !== null && max !== null && min > max) return { error: "The smallest deal size is above the largest." };
  const competitors = splitList(form.competitors);
  if (form.triggers.includes("competitor") && !competitors.length) return { error: "Name the competitor(s) this card answers." };
  return {
    input: {
      title: form.title.trim(),
      body: form.body.trim(),
      kind: form.kind as CardKind,
      triggers: form.triggers as CardTrigger[],
      tags: {
        products: splitList(form.products).map((s) => s.toUpperCase()),
        stages: form.stages,
        deal_size: { min, max },
        competitors,
        clauses: splitList(form.clauses),
      },
    },
  };
}

export function cardToForm(card: EnablementCard | null): CardForm {
  const tags = card?.tags;
  const bound = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  return {
    title: card?.title ?? "",
    body: card?.body ?? "",
    kind: card?.kind ?? "positioning",
    triggers: card ? [...card.triggers] : [],
    products: tags?.products.join(", ") ?? "",
    competitors: tags?.competitors.join(", ") ?? "",
    clauses: tags?.clauses.join(", ") ?? "",
    stages: tags ? [...tags.stages] : [],
    minSize: bound(tags?.deal_size?.min),
    maxSize: bound(tags?.deal_size?.max),
  };
}

/** "Products: PLAT-ENT · Competitors: Globex": a card's tags in one line (empty tags left out). */
export function tagsLine(card: EnablementCard): string {
  const t = card.tags;
  const parts: string[] = [];
  if (t.products.length) parts.push(`Products: ${t.products.join(", ")}`);
  if (t.competitors.length) parts.push(`Competitors: ${t.competitors.join(", ")}`);
  if (t.clauses.length) parts.push(`Clauses: ${t.clauses.join(", ")}`);
  if (t.stages.length) parts.push(`Stages: ${t.stages.map((s) => s.replace(/_/g, " ")).join(", ")}`);
  const { min, max } = t.deal_size ?? { min: null, max: null };
  if (min !== null || max !== null) parts.push(`Deal size: ${min ?? 0}–${max ?? "any"}`);
  return parts.join(" · ");
}
