import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addLine, moveLine, readLines, removeLine, setLineField, setLocked, type Lines } from "./lines";

function setup(): { doc: Y.Doc; lines: Lines; updates: () => number } {
  const doc = new Y.Doc();
  const lines = doc.getArray("lines") as Lines;
  let n = 0;
  doc.on("update", () => n++);
  for (const [id, sku, qty] of [["l1", "PLAT-ENT", 250], ["l2", "SUP-PREM", 1], ["l3", "PS-ONBOARD", 40]] as const) {
    addLine(lines, { sku, qty }, id);
  }
  n = 0;
  return { doc, lines, updates: () => n };
}

describe("pricing lines in the Y doc", () => {
  it("adds a line with every field, numbers as numbers, in one update", () => {
    const { lines, updates } = setup();
    const id = addLine(lines, { sku: "ADD-ON", qty: 3 });
    expect(updates()).toBe(1);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.get(3).toJSON()).toEqual({ id, sku: "ADD-ON", qty: 3, discountPct: 0, locked: false, note: "" });
  });

  it("removes a line by id", () => {
    const { lines } = setup();
    expect(removeLine(lines, "l2")).toBe(true);
    expect(readLines(lines).map((l) => l.id)).toEqual(["l1", "l3"]);
    expect(removeLine(lines, "nope")).toBe(false);
  });

  it("moves a line up and down, keeping its id and fields, in one update", () => {
    const { lines, updates } = setup();
    setLineField(lines, "l3", "note", "kick-off in May");
    setLocked(lines, "l3", true);
    const before = updates();
    expect(moveLine(lines, "l3", -1)).toBe(true);
    expect(updates() - before).toBe(1);
    expect(readLines(lines).map((l) => l.id)).toEqual(["l1", "l3", "l2"]);
    expect(readLines(lines)[1]).toEqual({ id: "l3", sku: "PS-ONBOARD", qty: 40, discountPct: 0, locked: true, note: "kick-off in May" });
    expect(moveLine(lines, "l1", -1)).toBe(false);
    expect(moveLine(lines, "l2", 1)).toBe(false);
    expect(moveLine(lines, "l1", 1)).toBe(true);
    expect(readLines(lines).map((l) => l.id)).toEqual(["l3", "l1", "l2"]);
  });

  it("edits a field; an unchanged value writes nothing", () => {
    const { lines, updates } = setup();
    expect(setLineField(lines, "l1", "qty", 300)).toBe(true);
    expect(lines.get(0).get("qty")).toBe(300);
    expect(setLineField(lines, "l1", "qty", 300)).toBe(false);
    expect(setLocked(lines, "l1", false)).toBe(false);
    expect(updates()).toBe(1);
  });

  it("merges a concurrent edit of one line with a move of another", () => {
    const { doc, lines } = setup();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    setLineField(other.getArray("lines") as Lines, "l1", "discountPct", 15);
    moveLine(lines, "l3", -1);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
    expect(readLines(lines)).toEqual(readLines(other.getArray("lines") as Lines));
    expect(readLines(lines).map((l) => [l.id, l.discountPct])).toEqual([["l1", 15], ["l3", 0], ["l2", 0]]);
  });
});
