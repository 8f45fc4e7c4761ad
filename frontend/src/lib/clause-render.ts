/**
 * Clause text and word diffs as DOM, for the library page and the room. Every piece of text from the
 * library, the server or a user goes in as a text node (never as HTML).
 */
import type { DiffOp } from "./clauses";
import { paragraphsOf, segmentsOf, variablePlaceholder } from "./clauses";
import { h } from "./dom";

export interface TextOptions {
  /** The current value of a variable; without one the variable shows its name. */
  valueFor?(name: string): string | undefined;
  /** A human label for a variable name ("customer.name" → "Customer name"). */
  labelOf?(name: string): string | undefined;
}

/** A variable as an inline chip: its current value, else a readable placeholder ("[start date]"), never its key. */
export function variableChip(name: string, opts: TextOptions = {}): HTMLElement {
  const value = opts.valueFor?.(name);
  const label = opts.labelOf?.(name) ?? variablePlaceholder(name);
  return h("span", { class: `var-chip${value ? "" : " is-empty"}`, "data-variable": name, title: value ? label : `${label} (no value yet)` }, value || label);
}

/** Text with its `{{variables}}` as chips. */
function withChips(text: string, opts: TextOptions): (string | HTMLElement)[] {
  return segmentsOf(text).map((s) => ("variable" in s ? variableChip(s.variable, opts) : s.text));
}

/** Clause text as paragraphs, with its `{{variables}}` as chips. */
export function clauseText(text: string, opts: TextOptions = {}): HTMLElement {
  const paragraphs = paragraphsOf(text);
  return h(
    "div",
    { class: "clause-text" },
    paragraphs.length
      ? paragraphs.map((p) => h("p", {}, withChips(p, opts)))
      : h("p", { class: "muted" }, "(no text)"),
  );
}

/**
 * A word diff: deletions struck through, insertions underlined, the rest as is. The server's runs are
 * words joined by single spaces, without the space between one run and the next: it goes back in here.
 */
export function diffView(ops: DiffOp[], opts: TextOptions = {}): HTMLElement {
  const el = h("p", { class: "diff", "data-testid": "clause-diff" });
  let previous = "";
  for (const op of ops) {
    if (!op.text) continue;
    if (previous && !/\s$/.test(previous) && !/^\s/.test(op.text)) el.append(document.createTextNode(" "));
    previous = op.text;
    const parts = withChips(op.text, opts);
    if (op.op === "insert") el.append(h("ins", { class: "diff-ins", title: "Added" }, parts));
    else if (op.op === "delete") el.append(h("del", { class: "diff-del", title: "Removed" }, parts));
    else el.append(...parts);
  }
  return el;
}

/** Whether a diff changes anything. */
export function diffChanges(ops: DiffOp[]): boolean {
  return ops.some((op) => op.op !== "equal" && op.text.trim() !== "");
}
