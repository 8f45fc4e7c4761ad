import { describe, expect, it } from "vitest";
import type { Book, BookDiff } from "../lib/admin-api";
import { auditLine, describeChange, diffSummary, policyProblems, policyText, problemsByField, productProblems, ruleProblems, withMoney, withNewProduct } from "./model";

const book: Book = {
  currencies: ["USD", "EUR"],
  products: [
    { sku: "A", name: "Alpha", unit: "user", billing_period: "monthly", prices: { USD: "10.00", EUR: "9.00" }, floor: { USD: "8.00" } },
    { sku: "B", name: "Beta", unit: "user", billing_period: "monthly", prices: { USD: "5.00", EUR: "4.00" } },
  ],
};

describe("price book diff words", () => {
  it("names the currency and the field of a price change", () => {
    expect(describeChange({ field: "prices.USD", before: "20.00", after: "22.00" })).toBe("USD list price: 20.00 → 22.00");
    expect(describeChange({ field: "floor.EUR", before: null, after: "7.00" })).toBe("EUR floor: none → 7.00");
    expect(describeChange({ field: "name", before: "A", after: "B" })).toBe("Name: A → B");
    expect(describeChange({ field: "tiers", before: [], after: [{}] })).toBe("Volume tiers changed");
  });

  it("sums a diff up", () => {
    const diff: BookDiff = { added: [{ sku: "X", name: "" }], removed: [], changed: [{ sku: "A", name: "", changes: [] }, { sku: "B", name: "", changes: [] }], book: [], empty: false };
    expect(diffSummary(diff)).toBe("1 added · 2 changed");
    expect(diffSummary({ added: [], removed: [], changed: [], book: [], empty: true })).toBe("No changes");
  });
});

describe("validation problems", () => {
  it("go to the product and field they name", () => {
    const problems = problemsByField([
      "products[0].prices.USD is invalid: 'abc' is not a plain decimal number",
      "products[0].sku must be a non-empty string",
      "products[1] has no prices",
      "currencies: expected a list",
    ]);
    expect(problems.get("products[0].prices.USD")).toEqual(["is invalid: 'abc' is not a plain decimal number"]);
    expect(productProblems(problems, 0)).toEqual(["prices.USD: is invalid: 'abc' is not a plain decimal number", "sku: must be a non-empty string"]);
    expect(productProblems(problems, 1)).toEqual(["has no prices"]);
    expect(productProblems(problems, 10)).toEqual([]);
    expect(problems.get("")).toEqual(["currencies: expected a list"]);
  });
});

describe("editing a draft", () => {
  it("changes one price and leaves the book it came from alone", () => {
    const edited = withMoney(book, "A", "prices", "USD", " 12.50 ");
    expect(edited.products[0].prices).toEqual({ USD: "12.50", EUR: "9.00" });
    expect(book.products[0].prices.USD).toBe("10.00");
    expect(edited.products[1]).toBe(book.products[1]);
  });

  it("removes a floor left empty but never a list price", () => {
    expect(withMoney(book, "A", "floor", "USD", "").products[0].floor).toEqual({});
    expect(withMoney(book, "A", "prices", "USD", "").products[0].prices.USD).toBe("");
  });

  it("adds a product priced in every currency of the book", () => {
    expect(withNewProduct(book, "C", "Gamma").products[2]).toMatchObject({ sku: "C", prices: { USD: "0.00", EUR: "0.00" } });
  });
});

describe("audit lines", () => {
  it("say who did what", () => {
    const event = { id: 1, at: "", kind: "pricebook.saved", room_id: null, actor: { id: 1, name: "Ada Admin" }, data: { version: 2, products: 16 } };
    expect(auditLine(event)).toBe("Ada Admin saved price book version 2 (16 products)");
    expect(auditLine({ ...event, kind: "user.role_changed", data: { before: "rep", after: "sales_manager" } })).toBe("Ada Admin changed a role from rep to sales manager");
    expect(auditLine({ ...event, actor: null, kind: "odd.kind" })).toBe("Dealroom odd.kind");
  });
});

describe("policy problems", () => {
  const errors = ['rules[0].when: unknown operator "=>"', "rules[12].step.order: must be at least 1", "version: must be an integer"];
  it("go to their rule, and the rest to the document", () => {
    expect(ruleProblems(errors, 0)).toEqual(['when: unknown operator "=>"']);
    expect(ruleProblems(errors, 1)).toEqual([]);
    expect(ruleProblems(errors, 12)).toEqual(["step.order: must be at least 1"]);
    expect(policyProblems(errors)).toEqual(["version: must be an integer"]);
  });
  it("policy text is JSON, which YAML readers take", () => {
    expect(JSON.parse(policyText({ rules: [] }))).toEqual({ rules: [] });
  });
});
