import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { formatMoney, formatPct, readQuote } from "./computed";
import type { LineData } from "./lines";
import { LINES, publicQuote } from "./quote.fixture";
import { priceUnit } from "./products";
import { lineView, totalsView } from "./quote-view";

function rows(): LineData[] {
  return LINES.map((l) => ({ ...l, locked: false, note: "" }));
}

function computedWith(quote: unknown): Y.Map<unknown> {
  const doc = new Y.Doc();
  const computed = doc.getMap<unknown>("computed");
  if (quote !== undefined) computed.set("quote", quote);
  return computed;
}

const usd = (amount: string) => formatMoney(amount, "USD");

describe("reading computed.quote", () => {
  it("is undefined while the server has not priced, and every figure shows a dash", () => {
    const quote = readQuote(computedWith(undefined));
    expect(quote).toBeUndefined();
    const view = lineView(quote, rows()[0], "USD");
    expect(view).toMatchObject({ name: "", priced: true, net: "—", total: "—", firstYear: null, violations: [] });
    const totals = totalsView(quote, rows(), "USD");
    expect(totals).toMatchObject({ priced: false, net: "—", firstYear: "—", discount: "—", violations: [] });
    expect(totals.caption).toContain("Not priced yet");
    expect(totalsView(quote, [], "USD").caption).toBe("");
  });

  it("treats something that is not a quote object as absent", () => {
    expect(readQuote(computedWith("pricing…"))).toBeUndefined();
    expect(readQuote(computedWith([1, 2]))).toBeUndefined();
  });

  it("reads a quote stored as nested Y types as well as a plain object", () => {
    const doc = new Y.Doc();
    const computed = doc.getMap<unknown>("computed");
    const nested = new Y.Map<unknown>();
    computed.set("quote", nested);
    nested.set("currency", "EUR");
    nested.set("lines", [{ id: "l1", sku: "PLAT-ENT", name: "Platform Enterprise", priced: true, net_unit: "9.50" }]);
    nested.set("totals", { net_total: "9.50" });
    const quote = readQuote(computed)!;
    expect(quote.currency).toBe("EUR");
    expect(quote.lines[0].net_unit).toBe("9.50");
    expect(quote.totals.net_total).toBe("9.50");
  });
});

describe("row view models", () => {
  const quote = readQuote(computedWith(publicQuote()))!;
  const [l1, l2, l3, , l5] = rows();

  it("shows the product name, net unit price per period and the line total for the term", () => {
    const view = lineView(quote, l1, "USD");
    expect(view.name).toBe("Platform Enterprise");
    expect(view.net).toBe(usd("43.50"));
    expect(view.net).toContain("43.50");
    expect(view.per).toBe("per month");
    expect(view.total).toBe(usd("391500.00"));
    expect(view.total).toContain("391,500.00");
    expect(view.stale).toBe(false);
    expect(view.violations).toEqual([]);
  });

  it("adds the first year for a term over twelve months, but not to a one-time line", () => {
    expect(lineView(quote, l1, "USD").firstYear).toBe(usd("130500.00"));
    expect(lineView(quote, l2, "USD").firstYear).toBe(usd("18000.00"));
    expect(lineView(quote, l3, "USD").firstYear).toBeNull();
    const oneYear = readQuote(computedWith({ ...publicQuote(), term_months: 12 }))!;
    expect(lineView(oneYear, l1, "USD").firstYear).toBeNull();
  });

  it("puts each violation on its own line, in the server's words", () => {
    expect(lineView(quote, l3, "USD").violations).toEqual(["Onboarding package allows at most 1 package per line; this line has 40."]);
    expect(lineView(quote, l2, "USD").violations).toEqual([]);
  });

  it("marks a line whose SKU the price book does not know, without prices", () => {
    const view = lineView(quote, l5, "USD");
    expect(view.priced).toBe(false);
    expect(view.name).toBe(""); // the server names it by its SKU: nothing to add under the SKU
    expect(view.net).toBe("—");
    expect(view.total).toBe("—");
    expect(view.violations).toEqual(["NOPE-X is not in the price book (version 3)."]);
  });

  it("dims a line the quote was computed for with other values, and drops the name of a changed SKU", () => {
    expect(lineView(quote, { ...l1, qty: 300 }, "USD")).toMatchObject({ stale: true, name: "Platform Enterprise", net: usd("43.50") });
    const renamed = lineView(quote, { ...l1, sku: "PLAT-PRO" }, "USD");
    expect(renamed).toMatchObject({ stale: true, name: "", net: "—", total: "—" });
    expect(lineView(quote, { ...l1, sku: " plat-ent " }, "USD").stale).toBe(false);
  });

  it("shows a dash for a line added since the quote was computed", () => {
    const view = lineView(quote, { id: "new", sku: "ADD-AI", qty: 10, discountPct: 0, locked: false, note: "" }, "USD");
    expect(view).toMatchObject({ stale: true, net: "—", total: "—", violations: [] });
  });
});

describe("totals view model", () => {
  const quote = readQuote(computedWith(publicQuote()))!;

  it("shows the net total, first year and the total discount with its percentage", () => {
    const view = totalsView(quote, rows(), "USD");
    expect(view.priced).toBe(true);
    expect(view.stale).toBe(false);
    expect(view.net).toBe(usd("760200.00"));
    expect(view.firstYear).toBe(usd("443400.00"));
    expect(view.discount).toBe(`${usd("322800.00")} (29.81%)`);
    expect(view.caption).toBe("36-month term · price book v3"); // "weekly" is no billing we can name
  });

  it("lists the violations of the deal as a whole, and those of lines no longer in the table", () => {
    expect(totalsView(quote, rows(), "USD").violations).toEqual(["Billing must be monthly, quarterly, annual, upfront, not 'weekly'."]);
    const withoutL3 = rows().filter((r) => r.id !== "l3");
    const view = totalsView(quote, withoutL3, "USD");
    expect(view.violations).toContain("Onboarding package allows at most 1 package per line; this line has 40.");
    expect(view.stale).toBe(true);
  });

  it("names the billing in words", () => {
    const annual = readQuote(computedWith({ ...publicQuote(), billing: "annual", violations: [] }))!;
    expect(totalsView(annual, rows(), "USD").caption).toBe("36-month term · billed annually · price book v3");
  });
});

describe("a quote that cannot be priced", () => {
  it("reads the price book's currencies, priceable and the problems", () => {
    const quote = readQuote(
      computedWith({
        ...publicQuote(),
        currencies: ["USD", "EUR", "bad", 3],
        priceable: false,
        pricing_problems: [{ line_id: "l5", rule: "unknown_sku", message: "NOPE-X is not in the price book (version 3)." }],
      }),
    )!;
    expect(quote.currencies).toEqual(["USD", "EUR"]);
    expect(quote.priceable).toBe(false);
    expect(quote.pricing_problems.map((p) => p.line_id)).toEqual(["l5"]);
    expect(totalsView(quote, rows(), "USD").unpriceable).toBe("Incomplete: 1 line cannot be priced");
  });

  it("believes an older server's lines when it does not say", () => {
    const quote = readQuote(computedWith(publicQuote()))!; // l5 is not priced
    expect(quote.priceable).toBe(false);
    expect(readQuote(computedWith({ ...publicQuote(), lines: [] }))!.priceable).toBe(true);
  });

  it("names a deal-wide reason: a currency the price book does not price", () => {
    const problem = { line_id: null, rule: "currency", message: "The price book has no prices in CHF; it offers USD, EUR." };
    const quote = readQuote(computedWith({ ...publicQuote(), priceable: false, pricing_problems: [problem] }))!;
    expect(totalsView(quote, rows(), "USD").unpriceable).toBe("Incomplete: The price book has no prices in CHF; it offers USD, EUR");
    expect(totalsView(readQuote(computedWith({ ...publicQuote(), priceable: true }))!, rows(), "USD").unpriceable).toBe("");
  });
});

describe("formatting", () => {
  it("formats money strings in the quote's currency without going through a float", () => {
    expect(formatMoney("1234.5", "USD")).toContain("1,234.50");
    expect(formatMoney("123456789012345678.91", "USD")).toContain("123,456,789,012,345,678.91");
    expect(formatMoney("1235", "JPY")).toMatch(/1,235$/);
    expect(formatMoney("-17100.00", "USD")).toContain("17,100.00");
    expect(formatMoney("-17100.00", "USD")).toMatch(/^-|^−/);
  });

  it("rounds money to the currency's minor units for display; the string it got keeps its precision", () => {
    expect(formatMoney("50.206667", "USD")).toBe(usd("50.21"));
    expect(formatMoney("50.206667", "USD")).toContain("50.21");
    expect(formatMoney("64.604167", "EUR")).toContain("64.60");
    expect(formatMoney("1.875", "USD")).toContain("1.88");
    expect(formatMoney("11300.4", "JPY")).toMatch(/11,300$/);
    expect(formatMoney("97.20", "USD")).toContain("97.20");
  });

  it("keeps three significant digits of a price under one unit rather than showing a cent", () => {
    expect(formatMoney("0.0045", "USD")).toContain("0.0045");
    expect(formatMoney("0.0079", "USD")).toContain("0.0079");
    expect(formatMoney("0.006912", "USD")).toContain("0.00691");
    expect(formatMoney("0.125", "USD")).toContain("0.125");
    expect(formatMoney("0.50", "USD")).toContain("0.50");
    expect(formatMoney("1.2", "JPY")).toMatch(/1\.2$/);
  });

  it("shows a dash when absent and anything that is not a decimal as it came", () => {
    expect(formatMoney(undefined, "USD")).toBe("—");
    expect(formatMoney("n/a", "USD")).toBe("n/a");
    expect(formatMoney("12.00", "XX")).toBe("12.00");
  });

  it("trims percentages", () => {
    expect(formatPct("18.50")).toBe("18.5%");
    expect(formatPct("10")).toBe("10%");
    expect(formatPct("10.00")).toBe("10%");
    expect(formatPct(undefined)).toBe("—");
  });

  it("names a product's price unit", () => {
    expect(priceUnit("user", "monthly")).toBe("per user per month");
    expect(priceUnit("package", "one_time")).toBe("per package, one-time");
    expect(priceUnit("", "annual")).toBe("per year");
  });
});
