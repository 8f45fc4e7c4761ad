import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { afterEach, describe, expect, it } from "vitest";
import { Clause } from "../editor";
import { KeepClausePins, clausePins } from "./pins";

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
});

function customerEditor(): Editor {
  editor = new Editor({
    extensions: [StarterKit.configure({ undoRedo: false }), Clause, KeepClausePins],
    content: {
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Preamble." }] },
        { type: "clause", attrs: { clauseId: "liability", version: "1" }, content: [{ type: "paragraph", content: [{ type: "text", text: "Capped at 12 months." }] }] },
      ],
    },
  });
  return editor;
}

describe("KeepClausePins (customers)", () => {
  it("lets the customer change the words inside a clause", () => {
    const ed = customerEditor();
    ed.commands.insertContentAt(ed.state.doc.content.size - 3, " Or so.");
    expect(ed.getText()).toContain("Or so.");
  });

  it("refuses removing a clause block, re-pinning it, or inserting one", () => {
    const ed = customerEditor();
    const before = ed.getJSON();
    ed.commands.setContent({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "All gone." }] }] });
    expect(ed.getJSON()).toEqual(before);
    let clauseAt = -1;
    ed.state.doc.descendants((node, pos) => {
      if (node.type.name === "clause") clauseAt = pos;
      return clauseAt < 0;
    });
    ed.view.dispatch(ed.state.tr.setNodeMarkup(clauseAt, undefined, { clauseId: "liability", version: "2" }));
    expect(ed.getJSON()).toEqual(before);
    ed.commands.insertContentAt(0, { type: "clause", attrs: { clauseId: "payment", version: "1" }, content: [{ type: "paragraph", content: [{ type: "text", text: "Pay." }] }] });
    expect(ed.getJSON()).toEqual(before);
    expect([...clausePins(ed.state.doc)]).toEqual([["liability@1", 1]]);
  });
});
