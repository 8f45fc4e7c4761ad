import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import type { RoomRole } from "../lib/api";
import { addLine, moveLine, readLines, setLineField, setLocked, type Lines } from "./lines";
import type { Access } from "./permissions";
import { PricingTable } from "./pricing-table";

const REMOTE = Symbol("remote");

function seed(doc: Y.Doc): void {
  const lines = doc.getArray("lines") as Lines;
  addLine(lines, { sku: "PLAT-ENT", qty: 250, discountPct: 10 }, "l1");
  addLine(lines, { sku: "SUP-PREM", qty: 1 }, "l2");
  addLine(lines, { sku: "PS-ONBOARD", qty: 40, discountPct: 5 }, "l3");
  setLocked(lines, "l2", true);
}

function mountTable(role: RoomRole, customer_may_edit_pricing = false, delayMs = 300) {
  const doc = new Y.Doc();
  seed(doc);
  const access: Access = { role, customer_may_edit_pricing, customer_deal_fields: [] };
  const notices: string[] = [];
  const table = new PricingTable(
    { lines: doc.getArray("lines") as Lines, computed: doc.getMap("computed"), deal: doc.getMap("deal") },
    { access, notify: (m) => notices.push(m), delayMs },
  );
  document.body.replaceChildren(table.el);
  const lines = doc.getArray("lines") as Lines;
  const $ = <T extends Element = HTMLInputElement>(sel: string) => document.querySelector(sel) as T;
  const row = (id: string) => $<HTMLElement>(`[data-testid=line-row][data-line-id="${id}"]`);
  const input = (id: string, field: string) => row(id).querySelector(`[data-testid=line-${field}]`) as HTMLInputElement;
  const order = () => Array.from(document.querySelectorAll("[data-testid=line-row]")).map((r) => r.getAttribute("data-line-id"));
  return { doc, lines, table, notices, $, row, input, order };
}

/** A change made by someone else: a second doc, synced both ways like the server would. */
function remote(doc: Y.Doc, change: (lines: Lines, other: Y.Doc) => void): void {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  change(other.getArray("lines") as Lines, other);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), REMOTE);
}

function type(el: HTMLInputElement, value: string): void {
  el.focus();
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe("pricing table ↔ Y.Array binding (rep)", () => {
  it("renders one row per line, in order, with the doc's values", () => {
    const t = mountTable("rep");
    expect(t.order()).toEqual(["l1", "l2", "l3"]);
    expect(t.input("l1", "sku").value).toBe("PLAT-ENT");
    expect(t.input("l1", "qty").value).toBe("250");
    expect(t.input("l1", "discount").value).toBe("10");
    expect(t.row("l2").querySelector("[data-testid=line-lock]")!.getAttribute("aria-pressed")).toBe("true");
    expect(t.row("l1").querySelector("[data-testid=line-net]")!.textContent).toBe("—");
  });

  it("adds a line from the add form, qty as a number", () => {
    const t = mountTable("rep");
    t.$("[data-testid=new-line-sku]").value = "ADD-ON";
    t.$("[data-testid=new-line-qty]").value = "7";
    t.$<HTMLButtonElement>("[data-testid=add-line]").click();
    const added = readLines(t.lines)[3];
    expect(added).toMatchObject({ sku: "ADD-ON", qty: 7, discountPct: 0, locked: false, note: "" });
    expect(typeof t.lines.get(3).get("qty")).toBe("number");
    expect(t.order()).toEqual(["l1", "l2", "l3", added.id]);
  });

  it("removes, moves and locks lines with the row's buttons", () => {
    const t = mountTable("rep");
    t.row("l3").querySelector<HTMLButtonElement>("[data-testid=line-up]")!.click();
    expect(readLines(t.lines).map((l) => l.id)).toEqual(["l1", "l3", "l2"]);
    expect(t.order()).toEqual(["l1", "l3", "l2"]);
    t.row("l1").querySelector<HTMLButtonElement>("[data-testid=line-down]")!.click();
    expect(t.order()).toEqual(["l3", "l1", "l2"]);
    expect(t.row("l3").querySelector<HTMLButtonElement>("[data-testid=line-up]")!.disabled).toBe(true);
    t.row("l1").querySelector<HTMLButtonElement>("[data-testid=line-remove]")!.click();
    expect(readLines(t.lines).map((l) => l.id)).toEqual(["l3", "l2"]);
    expect(t.row("l1")).toBeNull();
    t.row("l3").querySelector<HTMLButtonElement>("[data-testid=line-lock]")!.click();
    expect(t.lines.get(0).get("locked")).toBe(true);
    expect(t.row("l3").querySelector("[data-testid=line-lock]")!.getAttribute("aria-pressed")).toBe("true");
  });

  it("commits typing after a short pause, and at once on change, writing numbers as numbers", () => {
    const t = mountTable("rep");
    type(t.input("l1", "qty"), "300");
    expect(t.lines.get(0).get("qty")).toBe(250);
    vi.advanceTimersByTime(300);
    expect(t.lines.get(0).get("qty")).toBe(300);
    const discount = t.input("l1", "discount");
    type(discount, "12.5");
    discount.dispatchEvent(new Event("change", { bubbles: true }));
    expect(t.lines.get(0).get("discountPct")).toBe(12.5);
    type(t.input("l1", "note"), "annual prepay");
    t.input("l1", "note").dispatchEvent(new Event("change"));
    expect(t.lines.get(0).get("note")).toBe("annual prepay");
    type(t.input("l1", "sku"), "PLAT-ENT-2");
    t.input("l1", "sku").dispatchEvent(new Event("change"));
    expect(t.lines.get(0).get("sku")).toBe("PLAT-ENT-2");
  });

  it("refuses an invalid number instead of writing it", () => {
    const t = mountTable("rep");
    const discount = t.input("l1", "discount");
    type(discount, "140");
    discount.dispatchEvent(new Event("change"));
    expect(t.lines.get(0).get("discountPct")).toBe(10);
    expect(discount.getAttribute("aria-invalid")).toBe("true");
  });

  it("re-renders a remote change without losing focus or typing in another row", () => {
    const t = mountTable("rep", false, 10_000);
    const note = t.input("l1", "note");
    type(note, "half-typed");
    note.setSelectionRange(4, 4);
    const l1 = t.row("l1");

    remote(t.doc, (lines) => {
      setLineField(lines, "l3", "qty", 55);
      moveLine(lines, "l3", -1);
      moveLine(lines, "l3", -1); // l3 goes to the top, l1 to the middle
      setLineField(lines, "l2", "discountPct", 4);
    });

    expect(t.order()).toEqual(["l3", "l1", "l2"]);
    expect(t.input("l3", "qty").value).toBe("55");
    expect(t.input("l2", "discount").value).toBe("4");
    expect(t.row("l1")).toBe(l1); // the same element, not a re-created one
    expect(document.activeElement).toBe(note);
    expect(note.value).toBe("half-typed");
    expect(note.selectionStart).toBe(4);
    // What was typed is still committed afterwards, to the right line.
    vi.advanceTimersByTime(10_000);
    expect(t.lines.toArray().find((l) => l.get("id") === "l1")!.get("note")).toBe("half-typed");
  });

  it("keeps focus and caret when the row being typed in is itself moved by someone else", () => {
    const t = mountTable("rep", false, 10_000);
    const note = t.input("l2", "note");
    type(note, "typing");
    note.setSelectionRange(2, 2);
    remote(t.doc, (lines) => moveLine(lines, "l2", -1));
    expect(t.order()).toEqual(["l2", "l1", "l3"]);
    expect(document.activeElement).toBe(note);
    expect(note.value).toBe("typing");
    expect(note.selectionStart).toBe(2);
  });

  it("does not overwrite what someone is typing with a remote value of the same field; shows it after", () => {
    const t = mountTable("rep", false, 10_000);
    const qty = t.input("l1", "qty");
    type(qty, "26");
    remote(t.doc, (lines) => setLineField(lines, "l1", "qty", 999));
    expect(qty.value).toBe("26");
    qty.dispatchEvent(new Event("change"));
    qty.blur();
    qty.dispatchEvent(new Event("blur"));
    expect(t.lines.get(0).get("qty")).toBe(26);
  });

  it("shows server-computed prices where they belong", () => {
    const t = mountTable("rep");
    const computed = t.doc.getMap("computed");
    t.doc.transact(() => {
      computed.set("currency", "USD");
      computed.set("lines", { l1: { net: "90.00", extended: "22500.00" } });
      computed.set("total", "22500.00");
    }, REMOTE);
    expect(t.row("l1").querySelector("[data-testid=line-net]")!.textContent).toContain("90.00");
    expect(t.row("l1").querySelector("[data-testid=line-extended]")!.textContent).toContain("22,500.00");
    expect(t.row("l2").querySelector("[data-testid=line-net]")!.textContent).toBe("—");
    expect(t.$<HTMLElement>("[data-testid=pricing-total]").textContent).toContain("22,500.00");
  });
});

describe("pricing table for a customer", () => {
  it("offers qty, discount and note on unlocked lines only, and no line management", () => {
    const t = mountTable("customer", true);
    expect(t.input("l1", "qty").readOnly).toBe(false);
    expect(t.input("l1", "discount").readOnly).toBe(false);
    expect(t.input("l1", "note").readOnly).toBe(false);
    expect(t.input("l1", "sku").readOnly).toBe(true);
    for (const f of ["sku", "qty", "discount", "note"]) expect(t.input("l2", f).readOnly).toBe(true);
    expect(t.row("l2").querySelector(".lock-badge")!.hasAttribute("hidden")).toBe(false);
    for (const hook of ["line-lock", "line-remove", "line-up", "line-down", "new-line-sku", "add-line"]) {
      expect(document.querySelector(`[data-testid=${hook}]`)).toBeNull();
    }
  });

  it("is entirely read-only when the room does not allow customer pricing", () => {
    const t = mountTable("customer", false);
    for (const id of ["l1", "l2", "l3"]) for (const f of ["sku", "qty", "discount", "note"]) expect(t.input(id, f).readOnly).toBe(true);
  });

  it("writes only the allowed field", () => {
    const t = mountTable("customer", true);
    const before = t.lines.get(0).toJSON();
    const qty = t.input("l1", "qty");
    type(qty, "260");
    qty.dispatchEvent(new Event("change"));
    expect(t.lines.get(0).toJSON()).toEqual({ ...before, qty: 260 });
  });

  it("drops a pending edit when the line gets locked before it is sent", () => {
    const t = mountTable("customer", true, 10_000);
    let writes = 0;
    t.doc.on("update", (_u: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) writes++;
    });
    const qty = t.input("l3", "qty");
    type(qty, "41");
    remote(t.doc, (lines) => setLocked(lines, "l3", true));
    expect(qty.readOnly).toBe(true);
    vi.advanceTimersByTime(10_000);
    qty.dispatchEvent(new Event("change"));
    expect(writes).toBe(0);
    expect(t.lines.get(2).get("qty")).toBe(40);
    expect(t.notices.some((n) => n.includes("locked"))).toBe(true);
  });
});

describe("pricing table for read-only roles", () => {
  it.each(["viewer", "approver", "legal"] as RoomRole[])("%s sees values but cannot edit or manage lines", (role) => {
    const t = mountTable(role, true);
    for (const f of ["sku", "qty", "discount", "note"]) expect(t.input("l1", f).readOnly).toBe(true);
    expect(document.querySelector("[data-testid=line-lock]")).toBeNull();
    expect(document.querySelector("[data-testid=add-line]")).toBeNull();
  });
});
