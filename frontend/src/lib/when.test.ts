import { describe, expect, it } from "vitest";
import { ago, clockTime, since } from "./when";

describe("times as people say them", () => {
  const now = new Date(2026, 10, 26, 14, 30).getTime(); // local time
  it("gives the clock time today and the day before that", () => {
    const today = new Date(2026, 10, 26, 14, 2).toISOString();
    expect(clockTime(today, now)).toMatch(/2.*02/);
    expect(clockTime(today, now)).not.toMatch(/Nov/);
    expect(clockTime(new Date(2026, 10, 3, 9, 10).toISOString(), now)).toMatch(/^3 Nov|^Nov 3/);
  });
  it("says how long ago", () => {
    expect(ago(new Date(now - 20_000).toISOString(), now)).toBe("just now");
    expect(ago(new Date(now - 5 * 60_000).toISOString(), now)).toBe("5 min ago");
    expect(ago(new Date(now - 3 * 3600_000).toISOString(), now)).toBe("3 h ago");
    expect(ago(new Date(now - 49 * 3600_000).toISOString(), now)).toBe("2 days ago");
  });
  it("puts both together, and gives nothing for what it cannot read", () => {
    expect(since(new Date(now - 5 * 60_000).toISOString(), now)).toMatch(/^since .+ \(5 min ago\)$/);
    expect(since("not a time", now)).toBe("");
    expect(since(null, now)).toBe("");
  });
});
