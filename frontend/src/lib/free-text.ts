/**
 * The text outside library clause blocks, as the server checks it (`clauses/free_text.py`): the
 * shared doc's `computed.standard_terms` (the room's standard text outside clauses, one entry per
 * paragraph or heading) and `computed.free_text` (one deviation for all of it, or null when it is the
 * standard). Pure: readers, the comparison's normalisation, and a short excerpt of a long word diff.
 */
import { FREE_TEXT, FREE_TEXT_TITLE, plainOf, readCheck, recordOf, type ClauseCheck, type DiffOp } from "./clauses";

/**
 * `computed.free_text`, read defensively: null when absent, null, not an object, or standard. Any other
 * status reads as non-standard: a deviation outside the clauses is never "unknown" or a fallback, and
 * an odd value must not hide it.
 */
export function readFreeText(raw: unknown): ClauseCheck | null {
  const r = recordOf(raw);
  if (!r) return null;
  const check = readCheck(r, -1);
  if (check.status === "standard") return null;
  return { ...check, kind: FREE_TEXT, title: check.title || FREE_TEXT_TITLE, status: "non_standard", fallback_rank: null };
}

/** `computed.standard_terms`: the standard paragraphs in order (anything but text is dropped). */
export function readStandardTerms(raw: unknown): string[] {
  const list = plainOf(raw);
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is string => typeof p === "string");
}

// Mirrors clauses/_normalise.py: what a reader cannot see is not an edit.
const INVISIBLE = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** Text as the check compares it: NFKC, plain quotes and dashes, no invisible characters, one space per run. */
export function normaliseText(text: string): string {
  return text
    .replace(INVISIBLE, "")
    .normalize("NFKC")
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/** A paragraph's two comparable forms: `{{name}}` placeholders as written, and with known values put in. */
export interface TermKey {
  raw: string;
  filled: string;
}

/** The comparable forms of a paragraph (variables written `{{name}}`); null when it holds no text. */
export function termKey(text: string, values: ReadonlyMap<string, string>): TermKey | null {
  const raw = normaliseText(text.replace(PLACEHOLDER, (_m, name: string) => `{{${name}}}`));
  if (!raw) return null;
  const filled = normaliseText(text.replace(PLACEHOLDER, (_m, name: string) => values.get(name) ?? `{{${name}}}`));
  return { raw, filled };
}

export function sameTerm(a: TermKey, b: TermKey): boolean {
  return a.raw === b.raw || a.filled === b.filled;
}

/**
 * Which of `blocks` are not the standard: those left out of the longest run they share, in order,
 * with `standard`. A paragraph that is not a standard one is always marked; a standard one only when
 * it is out of place or repeated.
 */
export function unmatched(blocks: readonly TermKey[], standard: readonly TermKey[]): boolean[] {
  const n = blocks.length;
  const m = standard.length;
  // lcs[i][j]: the longest common run of blocks[i..] and standard[j..] (small: paragraphs, not words).
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = sameTerm(blocks[i], standard[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = new Array<boolean>(n).fill(true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (sameTerm(blocks[i], standard[j]) && lcs[i][j] === lcs[i + 1][j + 1] + 1) {
      out[i] = false;
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return out;
}

/**
 * A long word diff cut down to the changes and `context` words around each ("… the fees paid in"):
 * the whole text outside the clauses is one diff, and on a phone only the changes matter.
 */
export function excerptDiff(ops: readonly DiffOp[], context = 12): { ops: DiffOp[]; cut: boolean } {
  let cut = false;
  const out = ops.map((op, i): DiffOp => {
    if (op.op !== "equal") return op;
    const words = op.text.trim().split(/\s+/).filter(Boolean);
    const first = i === 0;
    const last = i === ops.length - 1;
    const keep = (first ? 0 : context) + (last ? 0 : context);
    if (words.length <= keep + 3) return op;
    cut = true;
    const head = first ? [] : words.slice(0, context);
    const tail = last ? [] : words.slice(words.length - context);
    return { op: "equal", text: [...head, "…", ...tail].join(" ") };
  });
  return { ops: out, cut };
}
