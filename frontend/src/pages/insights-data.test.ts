import { describe, expect, it } from "vitest";
import { chartUnit, csvUrl, duration, insightsQuery, longestWaits, maySeeInsights, seesEveryRep, waitedOn, type ApprovalWait, type RoomInsight } from "./insights-data";

function wait(seconds: number, name: string, outcome: ApprovalWait["outcome"] = "approved"): ApprovalWait {
  return { request_id: "r", step_id: "s", name: "Sales manager", start: "", end: null, seconds, outcome, waited_on: [{ id: 1, name }], decided_by: null };
}

function room(title: string, waits: ApprovalWait[]): RoomInsight {
  return {
    room_id: title.toLowerCase(), title, rep: null, opened_at: "", stage: "negotiating", stage_seconds: {}, rounds: 0,
    to_first_export_seconds: null, approval_waits: waits, customer_replies: { median: null, p90: null, count: 0 },
    system_ms: {}, people_seconds: 0,
  };
}

describe("insights helpers", () => {
  it("shows the page to reps and the roles that see every rep, never to customers or legal", () => {
    expect(["rep", "sales_manager", "vp_sales", "finance", "admin"].map(maySeeInsights)).toEqual([true, true, true, true, true]);
    expect(maySeeInsights("customer") || maySeeInsights("legal")).toBe(false);
    expect(seesEveryRep("rep")).toBe(false);
    expect(seesEveryRep("finance")).toBe(true);
  });

  it("says durations the way a person does", () => {
    expect(duration(0.00062)).toBe("0.6 ms");
    expect(duration(4.24)).toBe("4.2 s");
    expect(duration(720)).toBe("12 min");
    expect(duration(5.4 * 3600)).toBe("5.4 h");
    expect(duration(3.25 * 86400)).toBe("3.3 days");
    expect(duration(null)).toBe("—");
  });

  it("charts in days once a bar reaches two days, else in hours", () => {
    expect(chartUnit([3600, null, 47 * 3600]).label).toBe("hours");
    expect(chartUnit([3600, 50 * 3600])).toEqual({ label: "days", divisor: 86400 });
  });

  it("builds the query of the filters, leaving out empty ones", () => {
    expect(insightsQuery({})).toBe("");
    expect(insightsQuery({ from: "2026-11-01", to: " ", rep: "7" })).toBe("?from=2026-11-01&rep=7");
    expect(csvUrl({ to: "2026-12-01" })).toBe("/api/insights.csv?to=2026-12-01");
  });

  it("lists the longest approval waits first, across rooms", () => {
    const rows = longestWaits({ rooms: [room("Globex", [wait(3600, "Mo")]), room("Initech", [wait(7200, "Val"), wait(60, "Mo", "pending")])] }, 2);
    expect(rows.map((r) => [r.room_title, r.seconds, waitedOn(r)])).toEqual([
      ["Initech", 7200, "Val"],
      ["Globex", 3600, "Mo"],
    ]);
  });
});
