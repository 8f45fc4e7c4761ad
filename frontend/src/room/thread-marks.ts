/**
 * Threads in the terms: a selection becomes a range anchor (two Yjs relative positions, which follow the
 * text as people edit), and every unresolved range thread is highlighted where its text is now, resolved
 * with Y on this device. A tap on a highlight opens its thread.
 */
import { Extension, type Editor } from "@tiptap/core";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import * as Y from "yjs";
import { base64, fromBase64, quoteOf, type Anchor, type Thread } from "./threads";

interface Marked {
  id: string;
  kind: string;
  from: string;
  to: string;
}

interface MarksState {
  marks: Marked[];
  active: string | null;
}

const key = new PluginKey<MarksState>("threadMarks");

interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> } | null;
}

function sync(state: EditorState): SyncState | null {
  const found = ySyncPluginKey.getState(state) as SyncState | undefined;
  return found && found.binding ? found : null;
}

/** The selection as a range anchor, or null (an empty selection, or the editor not bound to Y yet). */
export function selectionAnchor(editor: Editor): Extract<Anchor, { type: "range" }> | null {
  const { state } = editor;
  const { from, to, empty } = state.selection;
  const quote = quoteOf(state.doc.textBetween(from, to, " "));
  const y = sync(state);
  if (empty || !quote || !y) return null;
  const rel = (pos: number) => base64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, y.type, y.binding!.mapping as never)));
  return { type: "range", from: rel(from), to: rel(to), quote };
}

function resolve(state: EditorState, y: SyncState, encoded: string): number | null {
  try {
    const pos = relativePositionToAbsolutePosition(y.doc, y.type, Y.decodeRelativePosition(fromBase64(encoded)), y.binding!.mapping as never);
    return typeof pos === "number" && pos >= 0 && pos <= state.doc.content.size ? pos : null;
  } catch {
    return null;
  }
}

function decorations(state: EditorState): DecorationSet {
  const marks = key.getState(state);
  const y = sync(state);
  if (!marks || !marks.marks.length || !y) return DecorationSet.empty;
  const found: Decoration[] = [];
  for (const m of marks.marks) {
    const from = resolve(state, y, m.from);
    const to = resolve(state, y, m.to);
    if (from === null || to === null || to <= from) continue;
    const active = marks.active === m.id ? " thread-mark-active" : "";
    found.push(Decoration.inline(from, to, { class: `thread-mark thread-mark-${m.kind}${active}`, "data-thread-id": m.id, "data-testid": "thread-mark" }));
  }
  return DecorationSet.create(state.doc, found);
}

export interface ThreadMarksOptions {
  onOpen(id: string): void;
}

export const ThreadMarks = Extension.create<ThreadMarksOptions>({
  name: "threadMarks",
  addOptions() {
    return { onOpen: () => undefined };
  },
  addProseMirrorPlugins() {
    const onOpen = this.options.onOpen;
    return [
      new Plugin<MarksState>({
        key,
        state: {
          init: () => ({ marks: [], active: null }),
          apply: (tr, value) => (tr.getMeta(key) as MarksState | undefined) ?? value,
        },
        props: {
          decorations,
          handleClick(view, _pos, event) {
            const target = (event.target as HTMLElement | null)?.closest?.("[data-thread-id]");
            const id = target?.getAttribute("data-thread-id");
            if (!id || !view.state.selection.empty) return false;
            onOpen(id);
            return false;
          },
        },
      }),
    ];
  },
});

/** Show these threads' ranges (unresolved ones) in the editor; `active` is the one open in the sheet. */
export function setThreadMarks(editor: Editor, threads: Thread[], active: string | null): void {
  if (editor.isDestroyed) return;
  const marks: Marked[] = [];
  for (const t of threads) {
    if (t.anchor.type === "range" && t.state !== "resolved") marks.push({ id: t.id, kind: t.kind, from: t.anchor.from, to: t.anchor.to });
  }
  editor.view.dispatch(editor.state.tr.setMeta(key, { marks, active }).setMeta("addToHistory", false));
}
