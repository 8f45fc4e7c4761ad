/**
 * What the room's editor writes into the Y document, for the server's tests (tests/workspace/sync/
 * test_editor_output.py): every node and mark the terms editor makes, converted by y-prosemirror (the
 * `@tiptap/y-tiptap` the editor binds with) into a Y document, then an edit of it as the sync plugin writes
 * one. Prints both updates as base64 JSON. The schema is the editor's: StarterKit configured as in
 * src/room/editor.ts, and the `clause` and `variable` nodes with their attributes (their views do not
 * change what is written).
 */
import { getSchema, Node } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { prosemirrorJSONToYDoc, updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";

const Clause = Node.create({
  name: "clause", group: "block", content: "block+", defining: true,
  addAttributes: () => ({ clauseId: { default: null }, version: { default: null } }),
});
const Variable = Node.create({
  name: "variable", group: "inline", inline: true, atom: true,
  addAttributes: () => ({ name: { default: "" } }),
});
const NO_NEW_LINKS = { autolink: false, linkOnPaste: false, openOnClick: false, markdownLinks: false, isAllowedUri: () => false };
const schema = getSchema([StarterKit.configure({ undoRedo: false, link: NO_NEW_LINKS }), Clause, Variable]);

const text = (words, marks = []) => ({ type: "text", text: words, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });
const paragraph = (...content) => ({ type: "paragraph", content });
const item = (...content) => ({ type: "listItem", content });
const terms = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 1 }, content: [text("Master agreement")] },
    paragraph(text("bold", ["bold"]), text(" "), text("italic", ["italic"]), text(" "), text("struck", ["strike"]), text(" "),
      text("underlined", ["underline"]), text(" "), text("code", ["code"]), text(" both", ["bold", "italic"])),
    paragraph(text("line one"), { type: "hardBreak" }, text("for "), { type: "variable", attrs: { name: "customer.name" } }),
    { type: "bulletList", content: [item(paragraph(text("point")),
      { type: "orderedList", attrs: { start: 3 }, content: [item(paragraph(text("numbered")))] })] },
    { type: "blockquote", content: [paragraph(text("quoted"))] },
    { type: "codeBlock", attrs: { language: "js" }, content: [text("let x = 1;\nx++")] },
    { type: "horizontalRule" },
    { type: "clause", attrs: { clauseId: "payment", version: 1 }, content: [
      { type: "heading", attrs: { level: 2 }, content: [text("Fees")] }, paragraph(text("Pay within 30 days."))] },
    { type: "paragraph" },
  ],
};

const doc = prosemirrorJSONToYDoc(schema, terms, "terms");
const full = Y.encodeStateAsUpdate(doc);
const before = Y.encodeStateVector(doc);
const edited = structuredClone(terms);
edited.content[2].content[0] = text("line one", ["bold"]); // a word made bold
edited.content[1].content.push(text(" typed"));             // typing at the end of a paragraph
edited.content.splice(4, 1);                                // a quote removed
updateYFragment(doc, doc.getXmlFragment("terms"), schema.nodeFromJSON(edited), { mapping: new Map(), isOMark: new Map() });
const edit = Y.encodeStateAsUpdate(doc, before);
const base64 = (bytes) => Buffer.from(bytes).toString("base64");
console.log(JSON.stringify({ full: base64(full), edit: base64(edit) }));
