import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { DealFields } from "./deal-fields";
import type { Access } from "./permissions";

function mountDeal(access: Access, delayMs = 300) {
  const doc = new Y.Doc();
  const deal = doc.getMap<unknown>("deal");
  doc.transact(() => {
    deal.set("title", "Acme — Platform renewal");
    deal.set("customerName", "Acme Corp");
    deal.set("currency", "USD");
    deal.set("termMonths", 12);
    deal.set("paymentTermsDays", 30);
    deal.set("billing", "annual");
  });
  const view = new DealFields(deal, { access, delayMs });
  document.body.replaceChildren(view.el);
  const field = (key: string) => document.querySelector(`[data-testid=deal-${key}]`) as HTMLInputElement | HTMLSelectElement;
  return { doc, deal, view, field };
}

function type(el: HTMLInputElement | HTMLSelectElement, value: string): void {
  el.focus();
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

const rep: Access = { role: "rep", customer_may_edit_pricing: false, customer_deal_fields: [] };
const customer: Access = { role: "customer", customer_may_edit_pricing: true, customer_deal_fields: ["startDate"] };

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe("deal fields ↔ Y.Map binding", () => {
  it("offers a Discuss on every field, read-only ones too, only when threads may be opened", () => {
    const doc = new Y.Doc();
    const asked: string[] = [];
    const view = new DealFields(doc.getMap<unknown>("deal"), { access: customer, discuss: (f) => asked.push(f) });
    document.body.replaceChildren(view.el);
    expect(document.querySelectorAll(".field-discuss")).toHaveLength(7);
    const button = document.querySelector("[data-testid=deal-paymentTermsDays-discuss]") as HTMLButtonElement;
    expect(button.getAttribute("aria-label")).toBe("Discuss Payment terms");
    button.click();
    expect(asked).toEqual(["paymentTermsDays"]);
    view.destroy();
    mountDeal(rep);
    expect(document.querySelectorAll(".field-discuss")).toHaveLength(0);
  });

  it("shows the doc's values", () => {
    const d = mountDeal(rep);
    expect(d.field("title").value).toBe("Acme — Platform renewal");
    expect(d.field("termMonths").value).toBe("12");
    expect(d.field("billing").value).toBe("annual");
  });

  it("writes numbers as numbers, text as text, after a pause or on change", () => {
    const d = mountDeal(rep);
    type(d.field("termMonths"), "24");
    vi.advanceTimersByTime(300);
    expect(d.deal.get("termMonths")).toBe(24);
    const billing = d.field("billing");
    billing.value = "quarterly";
    billing.dispatchEvent(new Event("change"));
    expect(d.deal.get("billing")).toBe("quarterly");
    type(d.field("startDate"), "2027-01-01");
    d.field("startDate").dispatchEvent(new Event("change"));
    expect(d.deal.get("startDate")).toBe("2027-01-01");
  });

  it("does not write a fractional term, and says why next to the field", () => {
    const d = mountDeal(rep);
    type(d.field("termMonths"), "12.5");
    d.field("termMonths").dispatchEvent(new Event("change"));
    expect(d.deal.get("termMonths")).toBe(12);
    const problem = document.querySelector("[data-testid=deal-termMonths-problem]") as HTMLElement;
    expect(problem.hidden).toBe(false);
    expect(problem.textContent).toBe("Enter a whole number from 1 to 120, without decimals.");
    expect(d.field("termMonths").getAttribute("aria-describedby")).toBe(problem.id);
    expect(d.field("termMonths").value).toBe("12.5");
  });

  it("offers the currencies the room's price book prices, from the server's quote, live", () => {
    const d = mountDeal(rep);
    const options = () => Array.from((d.field("currency") as HTMLSelectElement).options, (o) => o.textContent);
    expect(options()).toContain("CHF"); // nothing priced yet: the usual list
    const price = (currencies: string[]) => d.doc.getMap("computed").set("quote", { currency: "USD", currencies, lines: [], totals: {}, violations: [] });
    price(["USD", "EUR", "GBP", "JPY"]);
    expect(options()).toEqual(["USD", "EUR", "GBP", "JPY"]);
    expect(d.field("currency").value).toBe("USD");
    // The room moved to a book without USD: the stored value stays visible, marked, and cannot be chosen again.
    price(["EUR", "GBP"]);
    expect(options()).toEqual(["EUR", "GBP", "USD (not in the price book)"]);
    expect(d.field("currency").value).toBe("USD");
    const select = d.field("currency") as HTMLSelectElement;
    select.value = "EUR";
    select.dispatchEvent(new Event("change"));
    expect(d.deal.get("currency")).toBe("EUR");
    expect(options()).toEqual(["EUR", "GBP"]);
  });

  it("lets a customer edit only the fields opened to them; the others are visibly read-only", () => {
    const d = mountDeal(customer);
    const start = d.field("startDate") as HTMLInputElement;
    expect(start.readOnly).toBe(false);
    for (const key of ["title", "customerName", "currency", "termMonths", "paymentTermsDays", "billing"]) {
      const el = d.field(key) as HTMLInputElement;
      expect(el.readOnly).toBe(true);
      expect(el.closest(".field")!.querySelector(".readonly-tag")).not.toBeNull();
    }
    let writes = 0;
    d.doc.on("update", () => writes++);
    const term = d.field("termMonths") as HTMLInputElement;
    term.value = "36";
    term.dispatchEvent(new Event("input"));
    term.dispatchEvent(new Event("change"));
    expect(writes).toBe(0);
    type(start, "2027-02-01");
    start.dispatchEvent(new Event("change"));
    expect(d.deal.get("startDate")).toBe("2027-02-01");
    expect(writes).toBe(1);
  });

  it("shows a remote change, except in the field someone is typing in", () => {
    const d = mountDeal(rep, 10_000);
    type(d.field("title"), "Acme — Renewal 2027");
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(d.doc));
    other.transact(() => {
      other.getMap("deal").set("title", "Remote title");
      other.getMap("deal").set("termMonths", 36);
    });
    Y.applyUpdate(d.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(d.doc)));
    expect(d.field("termMonths").value).toBe("36");
    expect(d.field("title").value).toBe("Acme — Renewal 2027");
    expect(document.activeElement).toBe(d.field("title"));
  });
});
