import { Editor } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import StarterKit from "@tiptap/starter-kit";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { clauseBlockJSON } from "../../lib/clauses";
import { settle } from "../../test-support";
import { ClauseBoard } from "./views";

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
  document.body.replaceChildren();
});

const para = (text: string) => ({ type: "paragraph", content: [{ type: "text", text }] });

const STANDARD = ["Master agreement", "This agreement is between the parties.", "Signed for {{vendor.name}} by its director."];

const DEVIATION = { kind: "free_text", status: "non_standard", title: "Text outside the clauses", diff: [{ op: "insert", text: "x" }], reason: "differs" };

function setup(content: Record<string, unknown>[]) {
  const board = new ClauseBoard({ internal: true, mayRewrite: true, notify: () => {} });
  const host = document.createElement("div");
  document.body.append(host);
  editor = new Editor({ element: host, extensions: [StarterKit.configure({ undoRedo: false }), ...board.nodes], content: { type: "doc", content } });
  const computed = new Y.Doc().getMap<unknown>("computed");
  board.bind(editor, computed);
  return { host, computed };
}

const marked = (host: HTMLElement) => Array.from(host.querySelectorAll<HTMLElement>(".free-text-changed")).map((el) => el.textContent);

describe("marks on text outside the clauses", () => {
  it("mark a changed paragraph, not a standard one, nor text inside a clause block", async () => {
    const { host, computed } = setup([
      { type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: "Master agreement" }] },
      para("This   agreement is between the parties. "),
      para("The Vendor's liability is unlimited."),
      clauseBlockJSON({ id: "cl_liab", title: "Limitation of liability" }, 1, "Nothing here is in the standard terms."),
      { type: "paragraph", content: [{ type: "text", text: "Signed for " }, { type: "variable", attrs: { name: "vendor.name" } }, { type: "text", text: " by its director." }] },
      { type: "paragraph" },
    ]);
    computed.set("standard_terms", STANDARD);
    computed.set("free_text", DEVIATION);
    await settle(2);
    expect(marked(host)).toEqual(["The Vendor's liability is unlimited."]);
    const mark = host.querySelector<HTMLElement>(".free-text-changed")!;
    expect(mark.tagName).toBe("P");
    expect(mark.dataset.freeText).toBe("changed");
    expect(host.querySelector("section.clause .free-text-changed")).toBeNull();
  });

  it("follow the document and the standard terms live", async () => {
    const { host, computed } = setup([para("This agreement is between the parties.")]);
    computed.set("standard_terms", STANDARD);
    computed.set("free_text", DEVIATION);
    await settle(2);
    expect(marked(host)).toEqual([]);
    editor!.commands.insertContentAt(editor!.state.doc.content.size, para("Also, payment is due in 90 days."));
    expect(marked(host)).toEqual(["Also, payment is due in 90 days."]);
    computed.set("standard_terms", [...STANDARD, "Also, payment is due in 90 days."]);
    await settle(2);
    expect(marked(host)).toEqual([]);
  });

  it("mark nothing while the server says the text outside the clauses is standard", async () => {
    const { host, computed } = setup([para("A paragraph the server has not seen yet.")]);
    computed.set("standard_terms", STANDARD);
    await settle(2);
    expect(marked(host)).toEqual([]);
    computed.set("free_text", DEVIATION);
    await settle(2);
    expect(marked(host)).toEqual(["A paragraph the server has not seen yet."]);
    computed.set("free_text", null);
    await settle(2);
    expect(marked(host)).toEqual([]);
  });

  it("mark paragraphs inside lists too; with no standard terms every paragraph outside the clauses is new", async () => {
    const { host, computed } = setup([{ type: "bulletList", content: [{ type: "listItem", content: [para("A new obligation.")] }] }, para("More.")]);
    computed.set("free_text", DEVIATION);
    await settle(2);
    expect(marked(host)).toEqual(["A new obligation.", "More."]);
  });

  it("write nothing to the Y document", async () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment("terms");
    const board = new ClauseBoard({ internal: false, mayRewrite: false, notify: () => {} });
    const host = document.createElement("div");
    document.body.append(host);
    editor = new Editor({ element: host, extensions: [StarterKit.configure({ undoRedo: false }), ...board.nodes, Collaboration.configure({ fragment })] });
    editor.commands.setContent([para("This agreement is between the parties."), para("The Vendor's liability is unlimited.")]);
    await settle(2);
    const before = Y.encodeStateAsUpdate(ydoc);
    let updates = 0;
    ydoc.on("update", () => updates++);
    const computed = new Y.Doc().getMap<unknown>("computed");
    board.bind(editor, computed);
    computed.set("standard_terms", STANDARD);
    computed.set("free_text", DEVIATION);
    await settle(2);
    expect(marked(host)).toEqual(["The Vendor's liability is unlimited."]);
    computed.set("standard_terms", ["Other."]);
    await settle(2);
    expect(marked(host)).toHaveLength(2);
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(ydoc)).toEqual(before);
    expect(fragment.toString()).not.toContain("free-text");
  });
});
