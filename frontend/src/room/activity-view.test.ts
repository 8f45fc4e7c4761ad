import { describe, expect, it } from "vitest";
import type { RoomEventView, TimelineSession } from "../lib/api";
import { changeLine, countText, eventLine, kindTitle, sessionWho, span } from "./activity-view";

const NOW = new Date("2026-12-03T15:00:00").getTime();

describe("the record's words", () => {
  it("names a session by person and role", () => {
    const session = { person: { id: 2, name: "Bo Buyer" }, role: "customer" } as TimelineSession;
    expect(sessionWho(session)).toBe("Bo Buyer · Customer");
    expect(sessionWho({ ...session, person: null, role: null })).toBe("Dealroom");
  });

  it("says a session's span once per day", () => {
    const from = new Date("2026-12-03T14:02:00").toISOString();
    const to = new Date("2026-12-03T14:20:00").toISOString();
    expect(span(from, to, NOW)).toMatch(/^\D*2:02.*–.*2:20\D*$|^14:02–14:20$/);
    expect(span(from, from, NOW)).not.toContain("–");
  });

  it("counts edits and titles kinds, known or not", () => {
    expect(changeLine({ label: "Clause 'Liability'", edits: 1 } as never)).toEqual({ label: "Clause 'Liability'", detail: "1 edit" });
    expect(kindTitle("approval.submitted")).toBe("Submitted for approval");
    expect(kindTitle("thread.opened")).toBe("Thread opened");
  });

  it("says an event's summary without repeating who", () => {
    const event = { kind: "export", actor: { id: 1, name: "Rita Rep" }, summary: "Rita Rep exported the contract (Deal.docx)", label: "" } as RoomEventView;
    expect(eventLine(event)).toEqual({ who: "Rita Rep", title: "Contract exported", what: "Exported the contract (Deal.docx)" });
  });

  it("caps the bell's count", () => {
    expect(countText(0)).toBe("");
    expect(countText(7)).toBe("7");
    expect(countText(100, true)).toBe("99+");
  });
});
