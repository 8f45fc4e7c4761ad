import { describe, expect, it } from "vitest";
import { formOf, placeErrors, planOf } from "./plan-form";

const stored = {
  name: "FY plan", version: 3, base_rate_pct: "8",
  quotas: { "rep@demo.test": { currency: "USD", quarterly: "250000.00", periods: { "2027-02": "300000.00" } } },
  tiers: [{ from_pct: "0", multiplier: "1" }, { from_pct: "100", multiplier: "1.5" }],
};

describe("incentive plan form", () => {
  it("round-trips quotas and tiers and keeps the plan's other layers", () => {
    const form = formOf(stored);
    expect(form.quotas).toEqual([{ email: "rep@demo.test", currency: "USD", quarterly: "250000.00", periods: { "2027-02": "300000.00" } }]);
    form.tiers.push({ from_pct: " 150 ", multiplier: "2" });
    const plan = planOf(stored, form);
    expect(plan.base_rate_pct).toBe("8");
    expect(plan.quotas).toEqual(stored.quotas);
    expect(plan.tiers).toEqual([...stored.tiers, { from_pct: "150", multiplier: "2" }]);
  });

  it("places the server's errors on the row they concern", () => {
    const form = formOf(stored);
    form.quotas.push({ email: "a@x.test", currency: "USD", quarterly: "0", periods: {} });
    const placed = placeErrors([
      "quotas.a@x.test.quarterly must be more than 0",
      "tiers[1].from_pct must be more than the tier before (100)",
      "tiers may have at most 20 tiers",
      "base_rate_pct is required",
    ], form);
    expect(placed[0]).toEqual({ section: "quotas", row: 1, message: "Quarterly quota must be more than 0" });
    expect(placed[1]).toEqual({ section: "tiers", row: 1, message: "From must be more than the tier before (100)" });
    expect(placed[2].section).toBeNull();
    expect(placed[3]).toEqual({ section: null, row: null, message: "base_rate_pct is required" });
  });
});
