/**
 * Marks, inside the terms editor, each paragraph outside clause blocks that is not in the room's
 * standard terms (`computed.standard_terms`): a node decoration (class `free-text-changed`), so the
 * person sees which words the server's "Text outside the clauses" deviation is about. Decorations are
 * view-only: nothing is written to the document, so nothing reaches the Y doc.
 *
 * Paragraph-like blocks are compared as the server reads them (`clauses/free_text.py`: paragraphs,
 * headings and code blocks, also inside lists and quotes), variables as `{{name}}` or with their value.
 * Marks show only while the server says the text outside the clauses deviates (`computed.free_text`),
 * so that they never contradict it (it compares the whole text, not paragraph by paragraph).
 */
import { Extension, type Editor } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type * as Y from "yjs";
import { readVariables } from "../../lib/clauses";
import { readFreeText, readStandardTerms, termKey, unmatched, type TermKey } from "../../lib/free-text";

export const CHANGED_CLASS = "free-text-changed";

/** What the marks compare against; `standard: null` marks nothing (the server sees no deviation). */
export interface StandardTerms {
  standard: readonly string[] | null;
  values: ReadonlyMap<string, string>;
}

interface MarksState extends StandardTerms {
  decorations: DecorationSet;
}

export const freeTextMarksKey = new PluginKey<MarksState>("freeTextMarks");

/** The paragraph-like blocks outside clause nodes: position and text (variables as `{{name}}`). */
export function outsideBlocks(doc: PMNode): { pos: number; node: PMNode; text: string }[] {
  const out: { pos: number; node: PMNode; text: string }[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === "clause") return false;
    if (!node.isTextblock) return true;
    const text = node.textBetween(0, node.content.size, " ", (leaf) => (leaf.type.name === "variable" ? `{{${String(leaf.attrs.name ?? "")}}}` : " "));
    out.push({ pos, node, text });
    return false;
  });
  return out;
}

/** The positions of the blocks outside clause nodes whose text is not in `standard`, in document order. */
export function changedBlocks(doc: PMNode, terms: StandardTerms): number[] {
  if (!terms.standard) return [];
  const standard = terms.standard.map((p) => termKey(p, terms.values)).filter((k): k is TermKey => k !== null);
  const blocks = outsideBlocks(doc)
    .map((b) => ({ pos: b.pos, key: termKey(b.text, terms.values) }))
    .filter((b): b is { pos: number; key: TermKey } => b.key !== null);
  const marks = unmatched(
    blocks.map((b) => b.key),
    standard,
  );
  return blocks.filter((_b, i) => marks[i]).map((b) => b.pos);
}

function decorate(doc: PMNode, terms: StandardTerms): DecorationSet {
  const decorations = changedBlocks(doc, terms).map((pos) => {
    const node = doc.nodeAt(pos)!;
    return Decoration.node(pos, pos + node.nodeSize, { class: CHANGED_CLASS, "data-free-text": "changed" });
  });
  return decorations.length ? DecorationSet.create(doc, decorations) : DecorationSet.empty;
}

export const FreeTextMarks = Extension.create({
  name: "freeTextMarks",
  addProseMirrorPlugins() {
    return [
      new Plugin<MarksState>({
        key: freeTextMarksKey,
        state: {
          init: () => ({ standard: null, values: new Map(), decorations: DecorationSet.empty }),
          apply(tr: Transaction, value: MarksState, _old: EditorState, state: EditorState): MarksState {
            const next = tr.getMeta(freeTextMarksKey) as StandardTerms | undefined;
            if (next) return { ...next, decorations: decorate(state.doc, next) };
            if (tr.docChanged) return { ...value, decorations: decorate(state.doc, value) };
            return value;
          },
        },
        props: {
          decorations: (state) => freeTextMarksKey.getState(state)?.decorations,
        },
      }),
    ];
  },
});

/** Give the editor's marks new standard terms (a meta transaction: it changes no content). */
export function setStandardTerms(editor: Editor, terms: StandardTerms): void {
  if (editor.isDestroyed) return;
  const { state, view } = editor;
  if (!freeTextMarksKey.getState(state)) return;
  view.dispatch(state.tr.setMeta(freeTextMarksKey, terms).setMeta("addToHistory", false));
}

/**
 * Follow `computed` (standard terms, whether the server sees a deviation, variable values) and pass
 * changes on to the editor's marks. The dispatch waits for the current Y transaction to finish: the
 * editor must have taken in a remote change to the terms before it dispatches anything, or the sync
 * plugin would write its older document back. Returns the unsubscribe.
 */
export function feedStandardTerms(editor: Editor, computed: Y.Map<unknown>): () => void {
  let sent = "";
  let queued = false;
  let alive = true;
  const push = () => {
    queued = false;
    if (!alive) return;
    const deviates = readFreeText(computed.get("free_text")) !== null;
    const standard = deviates ? readStandardTerms(computed.get("standard_terms")) : null;
    const values = readVariables(computed.get("variables"));
    const key = JSON.stringify([standard, [...values]]);
    if (key === sent) return;
    sent = key;
    setStandardTerms(editor, { standard, values });
  };
  const observer = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(push);
  };
  computed.observeDeep(observer);
  observer();
  return () => {
    alive = false;
    computed.unobserveDeep(observer);
  };
}
