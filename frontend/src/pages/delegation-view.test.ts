import { describe, expect, it } from "vitest";
import type { Delegation, Me } from "../lib/api";
import { addDays, dayRange, delegationBody, delegationLabel, localDay, mayRevoke, orderDelegations, parseDay, shownDay } from "./delegation-view";

const manager: Me = { id: 2, email: "manager@demo.test", name: "Morgan Manager", role: "sales_manager" };
const finance: Me = { id: 4, email: "finance@demo.test", name: "Frankie Finance", role: "finance" };
const admin: Me = { id: 6, email: "admin@demo.test", name: "Ada Admin", role: "admin" };
const now = new Date(2026, 10, 26, 12); // 26 Nov 2026, local noon

/** ICU versions differ in the spaces around a range's dash ("1–14 Dec", "1 – 14 Dec" with thin spaces). */
function plain(text: string): string {
  return text.replace(/\s*–\s*/g, "–").replace(/\s+/g, " ");
}

function delegation(over: Partial<Delegation> = {}): Delegation {
  return {
    id: 1,
    from: { id: 2, name: "Morgan Manager" },
    to: { id: 4, name: "Frankie Finance" },
    starts_at: "2026-12-01T00:00:00+00:00",
    ends_at: "2026-12-15T00:00:00+00:00",
    state: "active",
    ...over,
  };
}

describe("delegation days", () => {
  it("reads and moves calendar days, across months, years and leap days", () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
    expect(addDays("2026-12-14", 1)).toBe("2026-12-15");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("not a day", 1)).toBe("");
    expect(parseDay("2026-02-30")).toBeNull();
    expect(parseDay("2026-2-3")).toBeNull();
  });

  it("sends the start as chosen and the day after the last day as the (exclusive) end", () => {
    expect(delegationBody(" finance@demo.test ", "2026-12-01", "2026-12-14")).toEqual({
      to: "finance@demo.test",
      starts_at: "2026-12-01",
      ends_at: "2026-12-15",
    });
    // One day: from and until the same day covers that whole day.
    expect(delegationBody("f@x.test", "2026-12-01", "2026-12-01").ends_at).toBe("2026-12-02");
    // Until before from: sent as is, so the server's refusal explains it.
    expect(delegationBody("f@x.test", "2026-12-10", "2026-12-01")).toMatchObject({ starts_at: "2026-12-10", ends_at: "2026-12-02" });
    expect(delegationBody("f@x.test", "2026-12-10", "soon").ends_at).toBe("soon");
  });

  it("shows a bare-date window as the days it covers: the end is exclusive", () => {
    expect(shownDay("2026-12-01T00:00:00+00:00")).toBe("2026-12-01");
    expect(shownDay("2026-12-15T00:00:00+00:00", true)).toBe("2026-12-14");
    expect(shownDay("2027-01-01T00:00:00Z", true)).toBe("2026-12-31");
    expect(shownDay("garbage")).toBe("");
    // A window given with times (API clients) is shown on the reader's calendar.
    const afternoon = new Date(2026, 11, 3, 15, 30);
    expect(shownDay(afternoon.toISOString(), true)).toBe("2026-12-03");
    expect(shownDay(new Date(2026, 11, 4, 0, 0).toISOString(), true)).toBe("2026-12-03");
  });

  it("says a range the way people do, with the year only when it is not this year", () => {
    expect(plain(dayRange("2026-12-01", "2026-12-14", "en-GB", now))).toBe("1–14 Dec");
    expect(plain(dayRange("2026-11-28", "2026-12-05", "en-GB", now))).toBe("28 Nov–5 Dec");
    expect(plain(dayRange("2026-12-01", "2026-12-01", "en-GB", now))).toBe("1 Dec");
    expect(plain(dayRange("2026-12-28", "2027-01-03", "en-GB", now))).toBe("28 Dec 2026–3 Jan 2027");
    expect(plain(dayRange("2026-12-01", "2026-12-14", "en-US", now))).toBe("Dec 1–14");
    expect(plain(dayRange("x", "2026-12-14", "en-GB", now))).toBe("");
  });
});

describe("delegation labels", () => {
  it("names the giver and the delegate from the reader's side", () => {
    expect(plain(delegationLabel(delegation(), manager, "en-GB", now))).toBe("You → Frankie Finance, 1–14 Dec, active");
    expect(plain(delegationLabel(delegation({ state: "scheduled" }), finance, "en-GB", now))).toBe("Morgan Manager → you, 1–14 Dec, scheduled");
    expect(plain(delegationLabel(delegation({ state: "revoked" }), admin, "en-GB", now))).toBe("Morgan Manager → Frankie Finance, 1–14 Dec, revoked");
  });

  it("offers Revoke to the giver (and admins) while it is to come or in force", () => {
    expect(mayRevoke(delegation(), manager)).toBe(true);
    expect(mayRevoke(delegation({ state: "scheduled" }), manager)).toBe(true);
    expect(mayRevoke(delegation({ state: "revoked" }), manager)).toBe(false);
    expect(mayRevoke(delegation({ state: "ended" }), manager)).toBe(false);
    expect(mayRevoke(delegation(), finance)).toBe(false);
    expect(mayRevoke(delegation(), admin)).toBe(true);
  });

  it("lists what is in force or to come first, then a few past ones", () => {
    const list = [
      delegation({ id: 9, state: "revoked" }),
      delegation({ id: 8, state: "scheduled" }),
      delegation({ id: 7, state: "ended" }),
      delegation({ id: 6, state: "active" }),
      delegation({ id: 5, state: "ended" }),
    ];
    expect(orderDelegations(list).map((d) => d.id)).toEqual([8, 6, 9, 7, 5]);
    expect(orderDelegations(list, 1).map((d) => d.id)).toEqual([8, 6, 9]);
  });
});
