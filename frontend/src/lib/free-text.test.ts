import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { categoryLabel } from "./clauses";
import { freeTextEntry } from "./free-text.fixture";
import { excerptDiff, normaliseText, readFreeText, readStandardTerms, termKey, unmatched } from "./free-text";

const FREE_TEXT = freeTextEntry({
  diff: [
    { op: "equal", text: "The Vendor's liability is" },
    { op: "insert", text: "unlimited" },
    { op: "bogus", text: "x" },
  ],
  unknown_variables: ["deal.start_date", 3],
});

describe("computed.free_text", () => {
  it("reads the server's deviation", () => {
    const check = readFreeText(FREE_TEXT)!;
    expect(check).toMatchObject({ kind: "free_text", title: "Text outside the clauses", status: "non_standard", index: -1, clause_id: "" });
    expect(check.diff).toEqual([
      { op: "equal", text: "The Vendor's liability is" },
      { op: "insert", text: "unlimited" },
    ]);
    expect(check.unknown_variables).toEqual(["deal.start_date"]);
    expect(check.reason).toContain("differs from the standard terms");
  });

  it("reads the internal doc's category and approver, also from a nested Y map", () => {
    const doc = new Y.Doc();
    const computed = doc.getMap<unknown>("computed");
    const nested = new Y.Map<unknown>();
    computed.set("free_text", nested);
    for (const [k, v] of Object.entries({ ...FREE_TEXT, category: "free_text", approval: "legal" })) nested.set(k, v);
    expect(readFreeText(computed.get("free_text"))).toMatchObject({ category: "free_text", approval: "legal", status: "non_standard" });
  });

  it("reads nothing (no card) from absent, null or malformed values, or a standard verdict", () => {
    for (const raw of [undefined, null, "non_standard", 5, [FREE_TEXT], true]) expect(readFreeText(raw)).toBeNull();
    expect(readFreeText({ ...FREE_TEXT, status: "standard" })).toBeNull();
  });

  it("never hides a deviation behind an odd value: any other status is non-standard, a missing title is supplied", () => {
    expect(readFreeText({ status: "weird", diff: "nope" })).toMatchObject({ status: "non_standard", title: "Text outside the clauses", diff: [], reason: "" });
    expect(readFreeText({})).toMatchObject({ status: "non_standard" });
  });
});

describe("computed.standard_terms", () => {
  it("reads the paragraphs in order, dropping anything but text", () => {
    expect(readStandardTerms(["Preamble.", 3, null, "Signed by {{vendor.name}}."])).toEqual(["Preamble.", "Signed by {{vendor.name}}."]);
    const doc = new Y.Doc();
    const arr = doc.getArray<string>("a");
    arr.push(["One.", "Two."]);
    expect(readStandardTerms(arr)).toEqual(["One.", "Two."]);
  });

  it("reads absent or malformed values as no standard text", () => {
    for (const raw of [undefined, null, "Preamble.", { 0: "x" }, 7]) expect(readStandardTerms(raw)).toEqual([]);
  });
});

describe("comparing the text outside the clauses", () => {
  it("normalises as the server does: spaces, typographic quotes and dashes, invisible characters", () => {
    expect(normaliseText("  The \u201cVendor\u2019s\u201d  fee\u00ad \u2014 due\u200b.\n")).toBe("The \"Vendor's\" fee - due.");
  });

  it("matches placeholders as written or by their values", () => {
    const values = new Map([["vendor.name", "Vendor Inc."]]);
    const std = termKey("Signed for {{ vendor.name }} by its director.", values)!;
    expect(termKey("Signed for {{vendor.name}} by its director.", values)!.raw).toBe(std.raw);
    expect(termKey("Signed for Vendor Inc. by its director.", values)!.filled).toBe(std.filled);
    expect(termKey("Signed for Other Ltd. by its director.", values)!.filled).not.toBe(std.filled);
    expect(termKey("   ", values)).toBeNull();
  });

  it("marks paragraphs not in the standard, and a repeated or moved one", () => {
    const k = (t: string) => termKey(t, new Map())!;
    const standard = ["A.", "B.", "C."].map(k);
    expect(unmatched(["A.", "X.", "B.", "C."].map(k), standard)).toEqual([false, true, false, false]);
    expect(unmatched(["A.", "B.", "B.", "C."].map(k), standard)).toEqual([false, false, true, false]);
    expect(unmatched(["A.", "C."].map(k), standard)).toEqual([false, false]);
    expect(unmatched(["A."].map(k), [])).toEqual([true]);
  });

  it("cuts a long diff down to the changes and some words around them", () => {
    const words = (n: number, w: string) => Array.from({ length: n }, (_v, i) => `${w}${i}`).join(" ");
    const { ops, cut } = excerptDiff([{ op: "equal", text: words(40, "a") }, { op: "insert", text: "unlimited" }, { op: "equal", text: words(40, "b") }], 3);
    expect(cut).toBe(true);
    expect(ops).toEqual([
      { op: "equal", text: "… a37 a38 a39" },
      { op: "insert", text: "unlimited" },
      { op: "equal", text: "b0 b1 b2 …" },
    ]);
    expect(excerptDiff([{ op: "equal", text: "short text" }, { op: "delete", text: "x" }]).cut).toBe(false);
  });

  it("names the category as people say it", () => {
    expect(categoryLabel("free_text")).toBe("Text outside the clauses");
    expect(categoryLabel("data_protection")).toBe("Data protection");
  });
});
