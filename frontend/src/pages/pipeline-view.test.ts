import { describe, expect, it } from "vitest";
import { approvalText, attainmentChart, compact, customerActivity, money, openThreads, stageChart, waited, type PipelineDeal, type Quarter, type StageRow } from "./pipeline-view";

const quarter: Quarter = {
  period: "2026-11",
  label: "FY2027 Q4",
  starts: "2026-11-01",
  ends: "2027-01-31",
  tiers: [
    { from_pct: "0", multiplier: "1", label: "1x" },
    { from_pct: "100", multiplier: "1.5", label: "1.5x" },
    { from_pct: "150", multiplier: "2", label: "2x" },
  ],
  quota: "250000.00",
  currency: "USD",
  closed: "50000.00",
  attainment_pct: "20.0",
  tier: "1x",
};

function deal(stage: PipelineDeal["stage"], firstYear: string, more: Partial<PipelineDeal> = {}): PipelineDeal {
  return {
    room_id: stage, title: stage, customer: "C", owner: { id: 1, name: "R", email: "r@x" }, stage, currency: "USD",
    first_year: firstYear, total: firstYear, approval: { state: "none", request_id: null, waiting: [] }, open_questions: 0,
    open_disputes: 0, days_since_customer_activity: null, close_date: "2026-12-04", quarter: "FY2027 Q4", commission: null,
    attainment: null, ...more,
  };
}

describe("pipeline words", () => {
  it("formats money with its currency and the server's decimals", () => {
    expect(money("242925.00", "USD")).toBe("USD 242,925.00");
    expect(money("1200", "JPY")).toBe("JPY 1,200");
    expect(money(null, "USD")).toBe("—");
  });

  it("says how long ago the customer acted and what is open", () => {
    expect(customerActivity(null)).toBe("No customer activity yet");
    expect(customerActivity(0)).toBe("Customer active today");
    expect(customerActivity(3)).toBe("Customer last active 3 days ago");
    expect(openThreads({ open_questions: 1, open_disputes: 2 })).toBe("1 open question, 2 open disputes");
    expect(openThreads({ open_questions: 0, open_disputes: 0 })).toBe("");
  });

  it("names whom a pending approval waits on, once each", () => {
    const w = { request_id: "r", step_id: "s", name: "Discount", since: "", hours_waited: 3 };
    const pending = { state: "pending", request_id: "r", waiting: [{ ...w, waiting_on: [{ id: 2, name: "Mo" }] }, { ...w, waiting_on: [{ id: 2, name: "Mo" }, { id: 3, name: "Vi" }] }] };
    expect(approvalText(pending)).toBe("Waiting on Mo, Vi");
    expect(approvalText({ state: "none", request_id: null, waiting: [] })).toBe("Not submitted");
    expect(approvalText({ state: "approved", request_id: "r", waiting: [] })).toBe("Approved");
    expect(waited(0.5)).toBe("under an hour");
    expect(waited(50)).toBe("2 d 2 h");
    expect(compact(242925)).toBe("243k");
    expect(compact(1_250_000)).toBe("1.3M");
  });
});

describe("charts", () => {
  it("puts closed attainment, open deals of the quarter and the tier bands on one axis", () => {
    const chart = attainmentChart(quarter, [deal("draft", "200000.00"), deal("approved", "50000.00"), deal("negotiating", "100000.00", { quarter: "FY2028 Q1" })]);
    expect(chart).not.toBeNull();
    expect(chart!.closed).toBe(20);
    expect(chart!.withOpen).toBe(100); // 20 % closed + 200,000 of 250,000 open; the next quarter's deal is left out
    expect(chart!.bands.map((b) => [b.from, b.to, b.label])).toEqual([[0, 100, "1x"], [100, 150, "1.5x"], [150, 200, "2x"]]);
    expect(chart!.max).toBe(200);
  });

  it("has no attainment chart without a quota", () => {
    expect(attainmentChart({ ...quarter, quota: null, attainment_pct: null }, [])).toBeNull();
    expect(attainmentChart(null, [])).toBeNull();
  });

  it("shows the pipeline by stage in the quota's currency", () => {
    const rows: StageRow[] = [
      { stage: "draft", count: 1, first_year: { USD: "242925.00" } },
      { stage: "negotiating", count: 2, first_year: { USD: "10.00", EUR: "5.00" } },
      { stage: "approved", count: 0, first_year: {} },
    ];
    expect(stageChart(rows, "USD")).toEqual({ labels: ["Draft", "Negotiating", "Approved"], values: [242925, 10, 0], counts: [1, 2, 0], currency: "USD" });
    expect(stageChart(rows, null).currency).toBe("USD");
  });
});
