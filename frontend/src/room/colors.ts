/** Colours for people in a room: dark enough to carry white text (WCAG AA) and a caret. */
export const PALETTE = ["#2f5bea", "#c2410c", "#047857", "#7c3aed", "#be123c", "#0e7490", "#a16207", "#4d7c0f", "#9d174d", "#1d4ed8"];

export function colorFor(key: string | number): string {
  let hash = 0;
  for (const ch of String(key)) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

/** A colour another client chose is used only if it is a plain hex colour (it ends up in CSS). */
export function safeColor(value: unknown): string | undefined {
  return typeof value === "string" && /^#[0-9a-fA-F]{6}$/.test(value) ? value : undefined;
}
