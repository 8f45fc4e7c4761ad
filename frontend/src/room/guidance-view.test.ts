import { describe, expect, it } from "vitest";
import type { RoomCard } from "../lib/enablement-api";
import { headline, kindLabel, newlyShown, paragraphs } from "./guidance-view";

const card = (id: number): RoomCard => ({ id, title: `Card ${id}`, body: "", kind: "objection", triggers: [], why: [], helpful: false });

describe("guidance view", () => {
  it("splits a body into paragraphs on blank lines only", () => {
    expect(paragraphs("Trade, do not give.\r\n\r\nA longer term\nearns a step.\n\n\n  \n")).toEqual(["Trade, do not give.", "A longer term\nearns a step."]);
    expect(paragraphs("   ")).toEqual([]);
  });

  it("names kinds and counts in words", () => {
    expect(kindLabel("price_defense")).toBe("Price defense");
    expect(kindLabel("something_new")).toBe("something new");
    expect(headline(1)).toBe("1 card for this deal");
    expect(headline(3)).toBe("3 cards for this deal");
  });

  it("finds the cards that were not shown before", () => {
    expect(newlyShown([card(1), card(2)], [card(2), card(3)])).toEqual([3]);
    expect(newlyShown([], [card(1)])).toEqual([1]);
    expect(newlyShown([card(1)], [])).toEqual([]);
  });
});
