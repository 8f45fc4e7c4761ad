import { afterEach, describe, expect, it } from "vitest";
import { ApiError, type ProductDetail } from "../lib/api";
import { openProductFacts } from "./product-facts";

const PRO: ProductDetail = {
  sku: "PLAT-PRO",
  name: "Platform Professional",
  unit: "user",
  billing_period: "monthly",
  description: "Deal rooms, clause library, approval chains and CPQ for growing sales teams.",
  facts: {
    collateral: [
      { title: "Professional datasheet", url: "https://example.com/pro-datasheet.pdf" },
      { title: "Pro vs. QuoteWorks battlecard", url: "https://example.com/bc/quoteworks", internal: true },
      { title: "Sneaky", url: "javascript:alert(1)" },
    ],
    competitor_notes: [{ competitor: "QuoteWorks", note: "Cheaper list price, no clause library." }],
    often_bought_with: ["ADD-SSO", "ADD-AI"],
  },
};

const $ = (hook: string) => document.querySelector(`[data-testid=${hook}]`) as HTMLElement | null;
const $$ = (hook: string) => Array.from(document.querySelectorAll<HTMLElement>(`[data-testid=${hook}]`));

function opener(): HTMLButtonElement {
  const b = document.createElement("button");
  document.body.append(b);
  b.focus();
  return b;
}

afterEach(() => document.body.replaceChildren());

describe("product facts dialog", () => {
  it("shows the description, collateral in a new tab, competitor notes and what is often bought with it", async () => {
    const names: Record<string, string> = { "ADD-SSO": "SSO & SCIM add-on" };
    const d = openProductFacts({ sku: "PLAT-PRO", facts: Promise.resolve(PRO), opener: opener(), nameOf: (s) => names[s] });
    expect(d.el.open).toBe(true);
    expect($("product-facts")!.getAttribute("aria-labelledby")).toBeTruthy();
    await d.ready;
    expect(document.getElementById(d.el.getAttribute("aria-labelledby")!)!.textContent).toBe("Platform Professional");
    expect(d.el.textContent).toContain("per user per month");
    expect($("product-description")!.textContent).toBe(PRO.description);
    const links = $$("product-collateral") as HTMLAnchorElement[];
    expect(links.map((a) => a.href)).toEqual(["https://example.com/pro-datasheet.pdf", "https://example.com/bc/quoteworks"]);
    for (const a of links) {
      expect(a.target).toBe("_blank");
      expect(a.rel).toBe("noopener noreferrer");
    }
    expect(links[1].parentElement!.textContent).toContain("Internal");
    expect($$("product-competitor-note").map((n) => n.textContent)).toEqual(["QuoteWorksCheaper list price, no clause library."]);
    expect($$("product-often-bought-item").map((n) => n.textContent)).toEqual(["ADD-SSO — SSO & SCIM add-on", "ADD-AI"]);
  });

  it("has no competitor notes section when the server sent none (a customer)", async () => {
    const forCustomer: ProductDetail = { ...PRO, facts: { collateral: [PRO.facts.collateral[0]], often_bought_with: [] } };
    const d = openProductFacts({ sku: "PLAT-PRO", facts: Promise.resolve(forCustomer) });
    await d.ready;
    expect($("product-competitor-notes")).toBeNull();
    expect($("product-often-bought")).toBeNull();
    expect($$("product-collateral")).toHaveLength(1);
  });

  it("says so when the SKU is not in the price book", async () => {
    const d = openProductFacts({ sku: "NOPE-X", facts: Promise.reject(new ApiError(404, "not_found", "no product NOPE-X")) });
    await d.ready;
    expect($("product-facts-error")!.textContent).toBe("NOPE-X is not in the price book.");
  });

  it("closes on Escape and on its close button, giving the focus back to the button that opened it", async () => {
    const button = opener();
    let d = openProductFacts({ sku: "PLAT-PRO", facts: Promise.resolve(PRO), opener: button });
    expect(document.activeElement).toBe($("product-facts-close"));
    d.el.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect($("product-facts")).toBeNull();
    expect(document.activeElement).toBe(button);

    d = openProductFacts({ sku: "PLAT-PRO", facts: Promise.resolve(PRO), opener: button });
    await d.ready;
    $("product-facts-close")!.click();
    expect($("product-facts")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("keeps Tab inside the dialog", async () => {
    const d = openProductFacts({ sku: "PLAT-PRO", facts: Promise.resolve(PRO), opener: opener() });
    await d.ready;
    const close = $("product-facts-close")!;
    const last = $$("product-collateral").at(-1)!;
    last.focus();
    d.el.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true }));
    expect(document.activeElement).toBe(close);
    d.el.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", shiftKey: true, bubbles: true }));
    expect(document.activeElement).toBe(last);
  });

  it("ignores facts that arrive after it was closed", async () => {
    let arrive!: (p: ProductDetail) => void;
    const d = openProductFacts({ sku: "PLAT-PRO", facts: new Promise((resolve) => (arrive = resolve)) });
    d.close();
    arrive(PRO);
    await d.ready;
    expect($("product-facts")).toBeNull();
  });
});
