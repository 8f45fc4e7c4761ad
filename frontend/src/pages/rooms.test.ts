import { describe, expect, it } from "vitest";
import { sinceLabel } from "./rooms";

describe("sinceLabel", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  it("reads like a person would say it", () => {
    expect(sinceLabel("2026-11-26T11:59:40Z", now)).toBe("just now");
    expect(sinceLabel("2026-11-26T11:55:00Z", now)).toBe("5 min ago");
    expect(sinceLabel("2026-11-26T09:00:00Z", now)).toBe("3 h ago");
    expect(sinceLabel("2026-11-20T09:00:00Z", now)).toMatch(/^on /);
  });
  it("gives nothing for a date it cannot read", () => {
    expect(sinceLabel("not a date", now)).toBe("");
  });
});
