import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import type { RoomRole } from "../lib/api";
import { addLine, moveLine, readLines, setLineField, setLocked, type Lines } from "./lines";
import type { Access } from "./permissions";
import { PricingTable, type PricingOptions } from "./pricing-table";
import { ProductCatalog } from "./products";
import { LINES, publicQuote } from "./quote.fixture";

const REMOTE = Symbol("remote");

function seed(doc: Y.Doc): void {
  const lines = doc.getArray("lines") as Lines;
  addLine(lines, { sku: "PLAT-ENT", qty: 250, discountPct: 10 }, "l1");
  addLine(lines, { sku: "SUP-PREM", qty: 1 }, "l2");
  addLine(lines, { sku: "PS-ONBOARD", qty: 40, discountPct: 5 }, "l3");
  setLocked(lines, "l2", true);
}

function mountTable(role: RoomRole, customer_may_edit_pricing = false, delayMs = 300, more: Partial<PricingOptions> = {}) {
  const doc = new Y.Doc();
  seed(doc);
  const access: Access = { role, customer_may_edit_pricing, customer_deal_fields: [] };
  const notices: string[] = [];
  const table = new PricingTable(
    { lines: doc.getArray("lines") as Lines, computed: doc.getMap("computed"), deal: doc.getMap("deal") },
    { access, notify: (m) => notices.push(m), delayMs, ...more },
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
});

describe("values that cannot be stored are refused next to their field", () => {
  it("refuses a quantity of -5: says why, keeps what was typed, writes nothing", () => {
    const t = mountTable("customer", true);
    let writes = 0;
    t.doc.on("update", () => writes++);
    const qty = t.input("l1", "qty");
    type(qty, "-5");
    qty.dispatchEvent(new Event("change"));
    const problem = t.row("l1").querySelector("[data-testid=line-qty-problem]") as HTMLElement;
    expect(problem.hidden).toBe(false);
    expect(problem.textContent).toBe("The quantity must be at least 1.");
    expect(problem.closest(".field")).toBe(qty.closest(".field"));
    expect(qty.getAttribute("aria-invalid")).toBe("true");
    expect(qty.getAttribute("aria-describedby")!.split(" ")).toContain(problem.id);
    qty.blur();
    qty.dispatchEvent(new Event("blur"));
    remote(t.doc, (lines) => setLineField(lines, "l1", "note", "someone else typed"));
    expect(qty.value).toBe("-5");
    expect(t.lines.get(0).get("qty")).toBe(250);
    expect(writes).toBe(1); // only the remote note
    type(qty, "260");
    expect(problem.hidden).toBe(true);
    qty.dispatchEvent(new Event("change"));
    expect(t.lines.get(0).get("qty")).toBe(260);
  });

  it("refuses a discount of 150 % and one with three decimals", () => {
    const t = mountTable("rep");
    const discount = t.input("l1", "discount");
    const problem = t.row("l1").querySelector("[data-testid=line-discount-problem]") as HTMLElement;
    type(discount, "150");
    discount.dispatchEvent(new Event("change"));
    expect(problem.textContent).toBe("A discount can be at most 100%.");
    type(discount, "12.345");
    discount.dispatchEvent(new Event("change"));
    expect(problem.textContent).toBe("Use at most 2 decimals, like 12.5.");
    expect(t.lines.get(0).get("discountPct")).toBe(10);
  });

  it("waits for the pause in typing before refusing, and does not refuse a field just emptied", () => {
    const t = mountTable("rep", false, 300);
    const qty = t.input("l1", "qty");
    const problem = t.row("l1").querySelector("[data-testid=line-qty-problem]") as HTMLElement;
    type(qty, "");
    vi.advanceTimersByTime(300);
    expect(problem.hidden).toBe(true);
    type(qty, "0");
    vi.advanceTimersByTime(300);
    expect(problem.hidden).toBe(false);
    expect(t.lines.get(0).get("qty")).toBe(250);
  });

  it("refuses a SKU the price book does not have, on a line and in the add form", async () => {
    const products = new ProductCatalog(async () => ({ products: [{ sku: "PLAT-ENT", name: "Platform Enterprise", unit: "user", billing_period: "monthly", description: "" }] }));
    const t = mountTable("rep", false, 300, { products });
    await products.load();
    const sku = t.input("l1", "sku");
    type(sku, "PLAT-ENTERPRISE");
    sku.dispatchEvent(new Event("change"));
    expect(t.row("l1").querySelector("[data-testid=line-sku-problem]")!.textContent).toBe("PLAT-ENTERPRISE is not in the price book. Pick a product from the suggestions.");
    expect(t.lines.get(0).get("sku")).toBe("PLAT-ENT");

    const newSku = t.$("[data-testid=new-line-sku]");
    const newQty = t.$("[data-testid=new-line-qty]");
    newSku.value = "NOT-IN-BOOK";
    newQty.value = "0";
    t.$<HTMLButtonElement>("[data-testid=add-line]").click();
    const skuProblem = t.$<HTMLElement>("[data-testid=new-line-sku-problem]");
    const qtyProblem = t.$<HTMLElement>("[data-testid=new-line-qty-problem]");
    expect(skuProblem.textContent).toBe("NOT-IN-BOOK is not in the price book. Pick a product from the suggestions.");
    expect(qtyProblem.textContent).toBe("The quantity must be at least 1.");
    expect(newSku.getAttribute("aria-invalid")).toBe("true");
    expect(newSku.getAttribute("aria-describedby")!.split(" ")).toContain(skuProblem.id);
    expect(document.activeElement).toBe(newSku);
    expect(newSku.value).toBe("NOT-IN-BOOK");
    expect(t.lines.length).toBe(3);
    newSku.value = "plat-ent";
    newSku.dispatchEvent(new Event("input"));
    expect(skuProblem.hidden).toBe(true);
    newQty.value = "5";
    t.$<HTMLButtonElement>("[data-testid=add-line]").click();
    expect(readLines(t.lines)[3]).toMatchObject({ sku: "PLAT-ENT", qty: 5 });
  });

  it("checks the SKU once the product list has arrived when it was still on its way", async () => {
    let arrive: (value: { products: { sku: string; name: string; unit: string; billing_period: string; description: string }[] }) => void = () => undefined;
    const products = new ProductCatalog(() => new Promise((resolve) => (arrive = resolve)));
    const t = mountTable("rep", false, 300, { products });
    t.$("[data-testid=new-line-sku]").value = "NOPE";
    t.$<HTMLButtonElement>("[data-testid=add-line]").click();
    expect(t.lines.length).toBe(3);
    arrive({ products: [{ sku: "PLAT-ENT", name: "Platform Enterprise", unit: "user", billing_period: "monthly", description: "" }] });
    await vi.waitFor(() => expect(t.$<HTMLElement>("[data-testid=new-line-sku-problem]").hidden).toBe(false));
    expect(t.lines.length).toBe(3);
  });
});

describe("search", () => {
  it("appears from six lines on and filters the rows by SKU or product name", () => {
    const t = mountTable("rep");
    const box = t.$<HTMLElement>(".line-search");
    expect(box.hidden).toBe(true);
    for (const [id, sku] of [["a", "ADD-SSO"], ["b", "ADD-AI"], ["c", "SMS"]]) addLine(t.lines, { sku, qty: 1 }, id);
    expect(box.hidden).toBe(false);
    const search = t.$("[data-testid=line-search]");
    search.value = "add";
    search.dispatchEvent(new Event("input"));
    const shown = () => Array.from(document.querySelectorAll<HTMLElement>("[data-testid=line-row]")).filter((r) => !r.hidden).map((r) => r.dataset.lineId);
    expect(shown()).toEqual(["a", "b"]);
    expect(t.$<HTMLElement>("[data-testid=line-search-status]").textContent).toBe("2 of 6 lines");
    search.value = "plat ent";
    search.dispatchEvent(new Event("input"));
    expect(shown()).toEqual(["l1"]);
    search.value = "zzz";
    search.dispatchEvent(new Event("input"));
    expect(shown()).toEqual([]);
    expect(t.$<HTMLElement>("[data-testid=line-search-status]").textContent).toBe("No line matches “zzz”.");
    search.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(shown()).toHaveLength(6);
    // A line that arrives while searching is filtered too.
    search.value = "sms";
    search.dispatchEvent(new Event("input"));
    addLine(t.lines, { sku: "PLAT-PRO", qty: 1 }, "d");
    expect(shown()).toEqual(["c"]);
  });

  it("finds a line by the product name the quote gives it", () => {
    const t = mountTable("rep");
    for (const id of ["a", "b", "c"]) addLine(t.lines, { sku: "SMS", qty: 1 }, id);
    const quote = publicQuote();
    quote.lines = quote.lines.filter((l: { id: string }) => l.id === "l1");
    t.doc.getMap("computed").set("quote", quote);
    const search = t.$("[data-testid=line-search]");
    search.value = "enterprise";
    search.dispatchEvent(new Event("input"));
    expect(Array.from(document.querySelectorAll<HTMLElement>("[data-testid=line-row]")).filter((r) => !r.hidden).map((r) => r.dataset.lineId)).toEqual(["l1"]);
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

describe("pricing table ↔ computed.quote", () => {
  /** The fixture's lines, and a server doc that prices them (synced both ways, like the server). */
  function mountPriced(role: RoomRole = "rep") {
    const doc = new Y.Doc();
    const lines = doc.getArray("lines") as Lines;
    for (const l of LINES) addLine(lines, { sku: l.sku, qty: l.qty, discountPct: l.discountPct }, l.id);
    const access: Access = { role, customer_may_edit_pricing: true, customer_deal_fields: [] };
    const table = new PricingTable({ lines, computed: doc.getMap("computed"), deal: doc.getMap("deal") }, { access, notify: () => undefined, delayMs: 10_000 });
    document.body.replaceChildren(table.el);
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    /** The server writes `computed.quote` (or removes it) and the change arrives over the wire. */
    const price = (quote: Record<string, unknown> | undefined) => {
      const before = Y.encodeStateVector(doc);
      server.transact(() => {
        if (quote === undefined) server.getMap("computed").delete("quote");
        else server.getMap("computed").set("quote", quote);
      }, "server");
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, before), REMOTE);
    };
    const row = (id: string) => document.querySelector(`[data-testid=line-row][data-line-id="${id}"]`) as HTMLElement;
    const text = (el: ParentNode, hook: string) => el.querySelector(`[data-testid=${hook}]`)!.textContent;
    const all = (el: ParentNode, hook: string) => Array.from(el.querySelectorAll(`[data-testid=${hook}]`), (e) => e.textContent);
    const visible = (el: ParentNode, hook: string) => !el.querySelector(`[data-testid=${hook}]`)!.hasAttribute("hidden");
    return { doc, lines, table, price, row, text, all, visible };
  }

  it("shows dashes while there is no quote", () => {
    const t = mountPriced();
    for (const l of LINES) {
      expect(t.text(t.row(l.id), "line-net")).toBe("—");
      expect(t.text(t.row(l.id), "line-total")).toBe("—");
      expect(t.all(t.row(l.id), "line-violation")).toEqual([]);
    }
    expect(t.text(document, "quote-total")).toBe("—");
    expect(t.text(document, "quote-first-year")).toBe("—");
    expect(t.text(document, "quote-discount")).toBe("—");
    expect(t.all(document, "quote-violation")).toEqual([]);
  });

  it("fills names, prices, totals and violations when the server's quote arrives, and follows its changes", () => {
    const t = mountPriced();
    t.price(publicQuote());
    const l1 = t.row("l1");
    expect(t.text(l1, "line-name")).toBe("Platform Enterprise");
    expect(t.text(l1, "line-net")).toContain("43.50");
    expect(t.text(l1, "line-total")).toContain("391,500.00");
    expect(t.text(l1, "line-first-year")).toContain("130,500.00");
    expect(t.visible(l1, "line-first-year")).toBe(true);
    expect(t.visible(t.row("l3"), "line-first-year")).toBe(false); // one-time
    expect(t.all(t.row("l3"), "line-violation")).toEqual(["Onboarding package allows at most 1 package per line; this line has 40."]);
    expect(t.text(document, "quote-total")).toContain("760,200.00");
    expect(t.text(document, "quote-first-year")).toContain("443,400.00");
    expect(t.text(document, "quote-discount")).toContain("322,800.00");
    expect(t.text(document, "quote-discount")).toContain("29.81%");
    expect(t.all(document, "quote-violation")).toEqual(["Billing must be monthly, quarterly, annual, upfront, not 'weekly'."]);

    // The next pricing: the violation on l3 is gone, l2 got one, the total moved.
    const next = publicQuote();
    next.totals.net_total = "700000.00";
    next.violations = [{ line_id: "l2", rule: "requires", message: "Premium support requires a platform on the same quote" }];
    t.price(next);
    expect(t.row("l1")).toBe(l1); // updated in place
    expect(t.all(t.row("l3"), "line-violation")).toEqual([]);
    expect(t.row("l3").querySelector(".line-violations")!.hasAttribute("hidden")).toBe(true);
    expect(t.all(t.row("l2"), "line-violation")).toEqual(["Premium support requires a platform on the same quote"]);
    expect(t.row("l2").getAttribute("aria-label")).toContain("1 problem");
    expect(t.text(document, "quote-total")).toContain("700,000.00");
    expect(t.all(document, "quote-violation")).toEqual([]);

    // Pricing withdrawn (e.g. the price book went away): back to dashes.
    t.price(undefined);
    expect(t.text(l1, "line-net")).toBe("—");
    expect(t.text(document, "quote-total")).toBe("—");
    expect(t.all(document, "line-violation")).toEqual([]);
  });

  it("marks a row whose SKU is not priced", () => {
    const t = mountPriced();
    t.price(publicQuote());
    const l5 = t.row("l5");
    expect(l5.classList.contains("is-unpriced")).toBe(true);
    expect(t.visible(l5, "line-unpriced")).toBe(true);
    expect(t.text(l5, "line-net")).toBe("—");
    expect(t.all(l5, "line-violation")).toEqual(["NOPE-X is not in the price book (version 3)."]);
    expect(t.row("l1").classList.contains("is-unpriced")).toBe(false);
    expect(t.visible(t.row("l1"), "line-unpriced")).toBe(false);
  });

  it("dims the figures of a line changed since it was priced, until the new quote arrives", () => {
    const t = mountPriced();
    t.price(publicQuote());
    setLineField(t.lines, "l1", "qty", 300);
    expect(t.row("l1").classList.contains("is-stale")).toBe(true);
    expect(document.querySelector("[data-testid=quote-totals]")!.classList.contains("is-stale")).toBe(true);
    const next = publicQuote();
    next.lines[0].qty = "300";
    t.price(next);
    expect(t.row("l1").classList.contains("is-stale")).toBe(false);
    expect(document.querySelector("[data-testid=quote-totals]")!.classList.contains("is-stale")).toBe(false);
  });

  it("keeps the focus and what is being typed while the quote changes", () => {
    const t = mountPriced();
    const qty = t.row("l2").querySelector("[data-testid=line-qty]") as HTMLInputElement;
    type(qty, "12");
    t.price(publicQuote());
    expect(document.activeElement).toBe(qty);
    expect(qty.value).toBe("12");
  });

  it("sums a line up in one or two lines of text for the phone's compact row, and opens it on a tap", () => {
    const t = mountPriced("customer");
    t.price(publicQuote());
    const l1 = t.row("l1");
    expect(t.text(l1, "line-summary-name")).toBe("Platform Enterprise");
    expect(t.text(l1, "line-summary-total")).toContain("391,500.00");
    expect(t.text(l1, "line-summary-calc")).toMatch(/^PLAT-ENT · 250 × \$43\.50\/mo$/);
    expect(l1.querySelector(".ls-discount")!.textContent).toBe("−42%");
    expect(t.text(t.row("l3"), "line-summary-calc")).toContain("one-time");
    expect(t.row("l3").querySelector(".ls-problems")!.textContent).toBe("1 problem");
    const l5 = t.row("l5");
    expect(t.text(l5, "line-summary-total")).toBe("Not priced");
    expect(t.text(l5, "line-summary-calc")).toBe("NOPE-X · qty 3");
    const summary = l1.querySelector("[data-testid=line-summary]") as HTMLButtonElement;
    expect(summary.getAttribute("aria-expanded")).toBe("false");
    expect(document.getElementById(summary.getAttribute("aria-controls")!)!.contains(l1.querySelector("[data-testid=line-qty]"))).toBe(true);
    summary.click();
    expect(summary.getAttribute("aria-expanded")).toBe("true");
    expect(l1.classList.contains("is-open")).toBe(true);
    t.price({ ...publicQuote() }); // a re-pricing keeps it open
    expect(l1.classList.contains("is-open")).toBe(true);
    summary.click();
    expect(l1.classList.contains("is-open")).toBe(false);
  });

  it("says in the totals when the server cannot price the whole quote", () => {
    const t = mountPriced();
    t.price({ ...publicQuote(), priceable: true });
    expect(t.visible(document, "quote-unpriceable")).toBe(false);
    t.price({ ...publicQuote(), priceable: false, pricing_problems: [{ line_id: "l5", rule: "unknown_sku", message: "NOPE-X is not in the price book (version 3)." }] });
    expect(t.visible(document, "quote-unpriceable")).toBe(true);
    expect(t.text(document, "quote-unpriceable")).toBe("Incomplete: 1 line cannot be priced");
    expect(document.querySelector("[data-testid=quote-totals]")!.classList.contains("is-incomplete")).toBe(true);
  });

  it("shows the same figures to a customer", () => {
    const t = mountPriced("customer");
    t.price(publicQuote());
    expect(t.text(t.row("l1"), "line-total")).toContain("391,500.00");
    expect(t.text(document, "quote-total")).toContain("760,200.00");
  });
});

describe("SKU suggestions and product facts", () => {
  const PRODUCTS = [
    { sku: "PLAT-ENT", name: "Platform Enterprise", unit: "user", billing_period: "monthly", description: "" },
    { sku: "ADD-SSO", name: "SSO & SCIM add-on", unit: "user", billing_period: "monthly", description: "" },
  ];

  it("offers the price book's products as 'SKU — name' to the rep, and names the typed SKU", async () => {
    const products = new ProductCatalog(async () => ({ products: PRODUCTS }));
    const t = mountTable("rep", false, 300, { products });
    await products.load();
    const list = document.getElementById(t.$("[data-testid=new-line-sku]").getAttribute("list")!) as HTMLDataListElement;
    expect(list).not.toBeNull();
    expect(Array.from(list.options, (o) => [o.value, o.textContent])).toEqual([
      ["PLAT-ENT", "PLAT-ENT — Platform Enterprise"],
      ["ADD-SSO", "ADD-SSO — SSO & SCIM add-on"],
    ]);
    expect(t.input("l1", "sku").getAttribute("list")).toBe(list.id);
    const sku = t.$("[data-testid=new-line-sku]");
    sku.value = "add-sso";
    sku.dispatchEvent(new Event("input"));
    expect(t.$<HTMLElement>("[data-testid=new-line-product]").textContent).toBe("SSO & SCIM add-on · per user per month");
    t.$<HTMLButtonElement>("[data-testid=add-line]").click();
    expect(readLines(t.lines)[3].sku).toBe("ADD-SSO"); // the price book's spelling
    sku.value = "ADD-S"; // still being typed
    sku.dispatchEvent(new Event("input"));
    expect(t.$<HTMLElement>("[data-testid=new-line-product]").textContent).toBe("");
    sku.value = "NOPE";
    sku.dispatchEvent(new Event("input"));
    expect(t.$<HTMLElement>("[data-testid=new-line-product]").textContent).toContain("Not in the price book");
  });

  it("does not fetch the product list for a customer", () => {
    let fetched = 0;
    const products = new ProductCatalog(async () => {
      fetched++;
      return { products: PRODUCTS };
    });
    mountTable("customer", true, 300, { products });
    expect(fetched).toBe(0);
    expect(document.querySelector("datalist")).toBeNull();
  });

  it("opens the facts of the row's product from its button, and gives the focus back on Escape", async () => {
    vi.useRealTimers();
    const asked: string[] = [];
    const t = mountTable("customer", true, 300, {
      loadFacts: async (sku) => {
        asked.push(sku);
        return { sku, name: "Platform Enterprise", unit: "user", billing_period: "monthly", description: "Everything.", facts: { collateral: [], often_bought_with: [] } };
      },
    });
    const button = t.row("l1").querySelector("[data-testid=line-facts]") as HTMLButtonElement;
    expect(button.getAttribute("aria-haspopup")).toBe("dialog");
    button.focus();
    button.click();
    await vi.waitFor(() => expect(document.querySelector("[data-testid=product-description]")).not.toBeNull());
    expect(asked).toEqual(["PLAT-ENT"]);
    const dialog = document.querySelector("[data-testid=product-facts]") as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    expect(dialog.contains(document.activeElement)).toBe(true);
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(document.querySelector("[data-testid=product-facts]")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("has no facts button to press on a line without a SKU", () => {
    const t = mountTable("rep");
    setLineField(t.lines, "l1", "sku", "");
    expect((t.row("l1").querySelector("[data-testid=line-facts]") as HTMLButtonElement).disabled).toBe(true);
  });
});
