import { afterEach, describe, expect, it } from "vitest";
import { clauseWordings, factList, factText, factValue, factView, splitReason } from "./approval-facts";

afterEach(() => document.body.replaceChildren());

describe("approval facts", () => {
  it("formats values by their kind, and keeps the server's own wording", () => {
    expect(factValue("max_line_discount_pct", "32.50")).toBe("32.5%");
    expect(factValue("max_line_discount_pct", 25)).toBe("25%");
    expect(factValue("max_line_discount_pct", "32%")).toBe("32%");
    expect(factValue("payment_terms_days", "60")).toBe("60 days");
    expect(factValue("below_floor", true)).toBe("yes");
    expect(factValue("non_standard_clauses", ["liability", "payment"])).toBe("liability, payment");
    expect(factValue("non_standard_clauses", [])).toBe("none");
    expect(factValue("non_standard_clauses", ["liability", "free_text"])).toBe("liability, Text outside the clauses");
    expect(factValue("total", null)).toBe("—");
  });

  it("shows what was approved before next to the value: the diff that matters", () => {
    const v = factView({ fact: "max_line_discount_pct", label: "max line discount", value: "32%", approved_value: "25%" });
    expect(v.label).toBe("Max line discount");
    expect(factText(v)).toBe("32% (approved before: 25%)");
    expect(factText(factView({ fact: "max_line_discount_pct", value: "32", approved_value: null }))).toBe("32%");
  });

  it("renders a list row per fact, or nothing without facts", () => {
    const el = factList([{ fact: "max_line_discount_pct", label: "max line discount", value: "32%", approved_value: "25%" }], "inbox-facts", "inbox-fact")!;
    const row = el.querySelector("[data-testid=inbox-fact]")!;
    expect(row.getAttribute("data-fact")).toBe("max_line_discount_pct");
    expect(row.querySelector("dd")!.textContent).toBe("32% (approved before: 25%)");
    expect(factList([], "x", "y")).toBeNull();
    expect(factList(undefined, "x", "y")).toBeNull();
  });

  it("splits a reason into its headline and sentences", () => {
    expect(splitReason("Discount over 20%: max line discount 32% is over 20%")).toEqual({ headline: "Discount over 20%", lines: ["max line discount 32% is over 20%"] });
    expect(splitReason("Price below floor: a; b", "Price below floor")).toEqual({ headline: "Price below floor", lines: ["a", "b"] });
    expect(splitReason("x: y", "Discount over 20%", ["given"])).toEqual({ headline: "Discount over 20%", lines: ["given"] });
    expect(splitReason("Non-standard clause")).toEqual({ headline: "Non-standard clause", lines: [] });
  });
});

describe("clauseWordings", () => {
  it("shows each clause's title and its diff as text, never as markup", () => {
    const el = clauseWordings(
      [{ title: "<b>Liability</b>", status: "non_standard", diff: [{ op: "equal", text: "limited to" }, { op: "delete", text: "12" }, { op: "insert", text: "<i>24</i>" }] }],
      "inbox-clauses",
    );
    expect(el).not.toBeNull();
    expect(el!.querySelector("h3")!.textContent).toBe("<b>Liability</b>");
    expect(el!.querySelector("del")!.textContent).toBe("12");
    expect(el!.querySelector("ins")!.textContent).toBe("<i>24</i>");
    expect(el!.querySelector("b, i")).toBeNull();
  });

  it("is nothing for steps that are not about clauses", () => {
    expect(clauseWordings(undefined, "x")).toBeNull();
    expect(clauseWordings([], "x")).toBeNull();
  });
});
