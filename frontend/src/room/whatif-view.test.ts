import { describe, expect, it } from "vitest";
import { tierChange, whatIfRows, whatIfUrl, type WhatIfAnswer, type WhatIfSide } from "./whatif-view";

const side = (more: Partial<WhatIfSide>): WhatIfSide => ({
  priceable: true, term_months: 12, discount_pct: "10", total: "81000.00", first_year: "81000.00", margin: "60000.00",
  margin_pct: "74.07", commission: "8100.00", tier: "1x", attainment: null, ...more,
});

describe("what-if", () => {
  it("builds the address from the inputs and refuses what the server would", () => {
    expect(whatIfUrl("r 1", "5", "24")).toEqual({ url: "/api/rooms/r%201/whatif?discount_pct=5&term_months=24" });
    expect(whatIfUrl("r", "", "36")).toEqual({ url: "/api/rooms/r/whatif?term_months=36" });
    expect(whatIfUrl("r", "101", "")).toHaveProperty("error");
    expect(whatIfUrl("r", "-1", "")).toHaveProperty("error");
    expect(whatIfUrl("r", "5", "0")).toHaveProperty("error");
    expect(whatIfUrl("r", "", "")).toHaveProperty("error");
  });

  it("lays now and what-if side by side and says when the tier changes", () => {
    const answer: WhatIfAnswer = { room_id: "r", currency: "USD", now: side({}), what_if: side({ commission: "11250.00", margin: "69000.00", tier: "1.5x", first_year: "90000.00" }) };
    const rows = whatIfRows(answer);
    expect(rows.map((r) => [r.key, r.now, r.whatIf, r.change])[0]).toEqual(["commission", "USD 8,100.00", "USD 11,250.00", 1]);
    expect(rows.find((r) => r.key === "tier")).toMatchObject({ now: "1x", whatIf: "1.5x" });
    expect(tierChange(answer)).toBe("At this price the deal moves you from the 1x tier to the 1.5x tier.");
    expect(tierChange({ ...answer, what_if: side({}) })).toBeNull();
  });
});
