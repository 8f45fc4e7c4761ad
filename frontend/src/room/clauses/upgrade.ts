/**
 * Upgrading a clause block to legal's newer version without erasing the negotiation: the room's own
 * edits to the old version are re-applied on top of the new one (a three-way merge over words, the
 * old library text being the common ancestor). Where legal and the room changed the same words, the
 * room's wording is kept and counted, so that the person can check it before anyone approves.
 *
 * Pure: texts in, texts and word diffs out. Clause text is the library's format (paragraphs separated
 * by a blank line, variables as `{{name}}`).
 */
import { diff3Merge, diffComm } from "node-diff3";
import type { Node as PMNode } from "@tiptap/pm/model";
import { paragraphsOf, type DiffOp } from "../../lib/clauses";

export interface UpgradePlan {
  /** What legal changed: the old version against the new one. */
  library: DiffOp[];
  /** What this room changed: the old version against the block as it reads now. */
  room: DiffOp[];
  /** Whether the room changed anything at all. */
  roomEdited: boolean;
  /** The new version with the room's edits re-applied. */
  merged: string;
  /** Places where both changed the same words; the room's wording is kept there. */
  conflicts: number;
}

const PARAGRAPH_BREAK = "\n\n";

/** Words, runs of spaces and paragraph breaks, each a token (a paragraph break never merges into a word). */
export function tokens(text: string): string[] {
  return text.replace(/\r\n?/g, "\n").match(/\n[ \t]*\n\s*|\s+|[^\s]+/g)?.map((t) => (/\n[ \t]*\n/.test(t) ? PARAGRAPH_BREAK : t)) ?? [];
}

/** Paragraphs separated by one blank line, runs of spaces as one: the deviation check compares the same way. */
function normalised(text: string): string {
  return paragraphsOf(text)
    .map((p) => p.replace(/\s+/g, " "))
    .join(PARAGRAPH_BREAK);
}

/** A word diff in the shape the server sends (`computed.clauses[n].diff`), so `diffView` draws it. */
export function wordDiff(from: string, to: string): DiffOp[] {
  const ops: DiffOp[] = [];
  const push = (op: DiffOp["op"], parts: string[]) => {
    const text = parts.join("");
    if (!text) return;
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.text += text;
    else ops.push({ op, text });
  };
  for (const part of diffComm(tokens(from), tokens(to))) {
    if (part.common) push("equal", part.common);
    else {
      push("delete", part.buffer1 ?? []);
      push("insert", part.buffer2 ?? []);
    }
  }
  return ops;
}

/** The paragraphs of a word diff that change something (a long clause shows only where it moved). */
export function changedParagraphs(ops: DiffOp[]): DiffOp[][] {
  const paragraphs: DiffOp[][] = [[]];
  for (const op of ops) {
    op.text.split(PARAGRAPH_BREAK).forEach((text, i) => {
      if (i > 0) paragraphs.push([]);
      if (text) paragraphs[paragraphs.length - 1].push({ op: op.op, text });
    });
  }
  return paragraphs.filter(changes);
}

function changes(ops: DiffOp[]): boolean {
  return ops.some((op) => op.op !== "equal" && op.text.trim() !== "");
}

/** Plan the upgrade of a block reading `current`, pinned to library text `base`, to library text `next`. */
export function planUpgrade(base: string, current: string, next: string): UpgradePlan {
  [base, current, next] = [base, current, next].map(normalised);
  const room = wordDiff(base, current);
  const roomEdited = changes(room);
  let conflicts = 0;
  const merged: string[] = [];
  for (const region of diff3Merge(tokens(current), tokens(base), tokens(next), { excludeFalseConflicts: true })) {
    if (region.ok) merged.push(...region.ok);
    else if (region.conflict) {
      conflicts += 1;
      merged.push(...region.conflict.a); // the room's negotiated wording wins; it is flagged for review
    }
  }
  return { library: wordDiff(base, next), room, roomEdited, merged: roomEdited ? merged.join("").trim() : next, conflicts };
}

/** The body of a clause block (everything after its heading) as clause text: paragraphs, `{{variables}}`. */
export function blockText(node: PMNode): string {
  const paragraphs: string[] = [];
  node.forEach((child, _offset, index) => {
    if (index === 0 && child.type.name === "heading") return;
    let text = "";
    child.descendants((inner) => {
      if (inner.isText) text += inner.text ?? "";
      else if (inner.type.name === "variable") text += `{{${String(inner.attrs.name ?? "")}}}`;
      else if (inner.isBlock && text && !text.endsWith(" ")) text += " ";
      return true;
    });
    if (text.trim()) paragraphs.push(text.trim());
  });
  return paragraphs.join(PARAGRAPH_BREAK);
}
