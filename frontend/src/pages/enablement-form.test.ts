import { describe, expect, it } from "vitest";
import type { EnablementCard } from "../lib/enablement-api";
import { cardToForm, formToInput, parseBound, splitList, tagsLine, type CardForm } from "./enablement-form";

const FORM: CardForm = {
  title: " When Globex comes up ",
  body: "Compare line by line.",
  kind: "objection",
  triggers: ["competitor"],
  products: "plat-ent, ",
  competitors: "Globex,\nInitech Cloud",
  clauses: "",
  stages: ["negotiating"],
  minSize: "10,000",
  maxSize: "",
};

describe("enablement form", () => {
  it("splits lists on commas and new lines", () => {
    expect(splitList(" a, b ,, c\nd ")).toEqual(["a", "b", "c", "d"]);
    expect(splitList("  ")).toEqual([]);
  });

  it("reads deal-size bounds, refusing what is not a number", () => {
    expect(parseBound("")).toBeNull();
    expect(parseBound("100 000")).toBe(100000);
    expect(parseBound("-5")).toBeUndefined();
    expect(parseBound("lots")).toBeUndefined();
  });

  it("turns the form into the card the API takes", () => {
    const result = formToInput(FORM);
    expect(result).toEqual({
      input: {
        title: "When Globex comes up",
        body: "Compare line by line.",
        kind: "objection",
        triggers: ["competitor"],
        tags: { products: ["PLAT-ENT"], stages: ["negotiating"], deal_size: { min: 10000, max: null }, competitors: ["Globex", "Initech Cloud"], clauses: [] },
      },
    });
  });

  it("says the first problem in words", () => {
    expect(formToInput({ ...FORM, title: "  " })).toEqual({ error: "Give the card a title." });
    expect(formToInput({ ...FORM, competitors: "" })).toEqual({ error: "Name the competitor(s) this card answers." });
    expect(formToInput({ ...FORM, minSize: "9", maxSize: "3" })).toEqual({ error: "The smallest deal size is above the largest." });
    expect(formToInput({ ...FORM, maxSize: "x" })).toEqual({ error: "Deal sizes are numbers (or empty for no limit)." });
  });

  it("round-trips a stored card through the form and names its tags", () => {
    const card: EnablementCard = {
      id: 3, version: 2, updated_at: "", retired: false, title: "T", body: "B", kind: "price_defense", triggers: ["discount_threshold"],
      tags: { products: ["PLAT-ENT"], stages: [], deal_size: { min: null, max: 50000 }, competitors: [], clauses: ["liability"] },
    };
    const back = formToInput(cardToForm(card));
    expect("input" in back && back.input.tags).toEqual(card.tags);
    expect(tagsLine(card)).toBe("Products: PLAT-ENT · Clauses: liability · Deal size: 0–50000");
  });
});
