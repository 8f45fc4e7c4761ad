/**
 * A TipTap editor bound to a Y.XmlFragment (the terms, or the internal notes), with live carets.
 * Undo/redo come from the Collaboration extension (y-undo: only one's own changes), so StarterKit's
 * own history is off.
 */
import { Editor, Node, mergeAttributes, type AnyExtension } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import StarterKit from "@tiptap/starter-kit";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import { h, icon } from "../lib/dom";
import { ClickPlacesCaret } from "./click-caret";
import { Variable } from "./clauses/variable-node";

/**
 * A clause from the clause library (DESIGN.md: a `clause` node carries `clauseId`, `version`).
 * Declared so that an editor never drops such nodes from its schema, which would make it write
 * their removal back into the shared doc.
 */
export const Clause = Node.create({
  name: "clause",
  group: "block",
  content: "block+",
  defining: true,
  addAttributes() {
    return {
      clauseId: { default: null, parseHTML: (el) => el.getAttribute("data-clause-id"), renderHTML: (a) => (a.clauseId ? { "data-clause-id": a.clauseId } : {}) },
      version: { default: null, parseHTML: (el) => el.getAttribute("data-version"), renderHTML: (a) => (a.version ? { "data-version": a.version } : {}) },
    };
  },
  parseHTML() {
    return [{ tag: "section[data-clause-id]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["section", mergeAttributes(HTMLAttributes, { class: "clause" }), 0];
  },
});

/**
 * Links are not part of the terms: the server refuses a new link mark (workspace/sync/terms_schema.py),
 * so none is made, not from typing a URL, pasting a link or Markdown. The mark stays in the schema so
 * that text an older room holds with a link still shows (y-prosemirror deletes a whole text node whose
 * mark the schema lacks); such a link renders without its address.
 */
const NO_NEW_LINKS = { autolink: false, linkOnPaste: false, openOnClick: false, markdownLinks: false, isAllowedUri: () => false };

export interface CollabEditorOptions {
  element: HTMLElement;
  fragment: Y.XmlFragment;
  provider: WebsocketProvider;
  user: { name: string; color: string };
  editable: boolean;
  label: string;
  /** The terms' own nodes, `clause` and `variable`, with views (clauses/views.ts); default: plain ones. */
  nodes?: AnyExtension[];
  /** More behaviour (the terms' thread highlights, thread-marks.ts). */
  extensions?: AnyExtension[];
}

export function createCollabEditor(opts: CollabEditorOptions): Editor {
  return new Editor({
    element: opts.element,
    editable: opts.editable,
    extensions: [
      StarterKit.configure({ undoRedo: false, link: NO_NEW_LINKS }),
      ...(opts.nodes ?? [Clause, Variable]),
      ClickPlacesCaret,
      ...(opts.extensions ?? []),
      Collaboration.configure({ fragment: opts.fragment }),
      CollaborationCaret.configure({
        provider: opts.provider,
        user: opts.user,
        render: (user) => {
          const caret = document.createElement("span");
          caret.className = "collab-caret";
          caret.style.setProperty("--user-color", String(user.color ?? "#2f5bea"));
          const label = document.createElement("span");
          label.className = "collab-caret-label";
          label.textContent = String(user.name ?? "");
          caret.append(label);
          return caret;
        },
      }),
    ],
    editorProps: {
      attributes: {
        "aria-label": opts.label,
        "aria-multiline": "true",
        role: "textbox",
        "aria-readonly": String(!opts.editable),
        class: "prose",
        spellcheck: "true",
      },
    },
  });
}

interface ToolDef {
  name: string;
  label: string;
  icon: string;
  run(editor: Editor): void;
  active?(editor: Editor): boolean;
}

const TOOLS: ToolDef[] = [
  { name: "bold", label: "Bold", icon: "bold", run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive("bold") },
  { name: "italic", label: "Italic", icon: "italic", run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive("italic") },
  { name: "heading", label: "Heading", icon: "heading", run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), active: (e) => e.isActive("heading") },
  { name: "bullets", label: "Bulleted list", icon: "list", run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive("bulletList") },
  { name: "numbers", label: "Numbered list", icon: "olist", run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive("orderedList") },
  { name: "undo", label: "Undo", icon: "undo", run: (e) => e.chain().focus().undo().run() },
  { name: "redo", label: "Redo", icon: "redo", run: (e) => e.chain().focus().redo().run() },
];

/** A formatting toolbar (roving tabindex: one tab stop, arrow keys move between buttons). */
export function toolbar(editor: Editor, label: string): HTMLElement {
  const buttons = TOOLS.map((tool, i) => {
    const b = h("button", { type: "button", class: "tool", "aria-label": tool.label, title: tool.label, tabindex: i === 0 ? 0 : -1, "aria-pressed": tool.active ? "false" : undefined }, icon(tool.icon, 16));
    b.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the editor's selection
    b.addEventListener("click", () => tool.run(editor));
    return b;
  });
  const bar = h("div", { class: "toolbar", role: "toolbar", "aria-label": label }, buttons.slice(0, 3), h("span", { class: "tool-sep", "aria-hidden": "true" }), buttons.slice(3, 5), h("span", { class: "tool-sep", "aria-hidden": "true" }), buttons.slice(5));
  bar.addEventListener("keydown", (ev) => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const next = ev.key === "ArrowRight" ? i + 1 : ev.key === "ArrowLeft" ? i - 1 : ev.key === "Home" ? 0 : ev.key === "End" ? buttons.length - 1 : null;
    if (next === null) return;
    ev.preventDefault();
    const j = (next + buttons.length) % buttons.length;
    buttons[i].tabIndex = -1;
    buttons[j].tabIndex = 0;
    buttons[j].focus();
  });
  const sync = () => {
    TOOLS.forEach((tool, i) => {
      if (tool.active) buttons[i].setAttribute("aria-pressed", String(tool.active(editor)));
    });
  };
  editor.on("transaction", sync);
  editor.on("selectionUpdate", sync);
  sync();
  return bar;
}
