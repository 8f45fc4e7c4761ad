/** Pure helpers of the Guidance panel and the enablement page: labels, paragraphs, what changed. */
import type { CardKind, RoomCard } from "../lib/enablement-api";

export const KIND_LABELS: Record<CardKind, string> = {
  positioning: "Positioning",
  objection: "Objection",
  price_defense: "Price defense",
  clause_fallback: "Clause fallback",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as CardKind] ?? kind.replace(/_/g, " ");
}

/** A card's body as paragraphs: a blank line separates them; single line breaks stay inside one. */
export function paragraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** "1 card for this deal", "3 cards for this deal". */
export function headline(count: number): string {
  return count === 1 ? "1 card for this deal" : `${count} cards for this deal`;
}

/** The ids of cards in `next` that `previous` did not show (to say "new" and to announce them). */
export function newlyShown(previous: readonly RoomCard[], next: readonly RoomCard[]): number[] {
  const before = new Set(previous.map((c) => c.id));
  return next.filter((c) => !before.has(c.id)).map((c) => c.id);
}
