import { afterEach, describe, expect, it } from "vitest";
import { compareView, openCompare } from "./compare";
import { bannerText, changeList, comparePair } from "./compare-view";
import { compareFixture } from "./compare.fixture";

afterEach(() => document.body.replaceChildren());

describe("the compare view", () => {
  it("shows changed terms as word diffs, changed cells before and after, totals and fields", () => {
    const el = compareView(compareFixture());
    const blocks = el.querySelectorAll("[data-testid=compare-block]");
    expect(blocks.length).toBe(2); // the unchanged block is counted, not shown
    expect(blocks[0].querySelector("del")?.textContent).toBe("12");
    expect(blocks[0].querySelector("ins")?.textContent).toBe("24");
    expect(blocks[1].getAttribute("data-status")).toBe("removed");
    const discount = el.querySelector("[data-line-id=a] [data-testid=compare-cell-discount_pct]")!;
    expect(discount.getAttribute("data-changed")).toBe("true");
    expect(discount.querySelector("del")?.textContent).toBe("10%");
    expect(discount.querySelector("ins")?.textContent).toBe("25%");
    expect(el.querySelector("[data-line-id=b] [data-testid=compare-cell-qty]")?.getAttribute("data-changed")).toBe("false");
    expect(el.querySelector("[data-testid=compare-total-net_total] ins")?.textContent).toContain("7,510.00");
    expect(el.querySelector("[data-testid=compare-field]")?.textContent).toContain("Payment terms");
    expect(el.querySelector("[data-testid=compare-approval]")?.textContent).toContain("Mo Manager");
  });

  it("shows customers no approvals section at all", () => {
    const el = compareView(compareFixture(false));
    expect(el.querySelector("[data-testid=compare-approvals]")).toBeNull();
    expect(el.textContent?.toLowerCase()).not.toContain("approv");
  });

  it("opens as a sheet and closes", () => {
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute("open", "");
    };
    const sheet = openCompare(compareFixture());
    expect(document.body.contains(sheet)).toBe(true);
    expect(sheet.querySelector(".sheet-title")?.textContent).toBe("Version 1 → Now");
    (sheet.querySelector("[data-testid=compare-close]") as HTMLButtonElement).click();
    expect(document.body.contains(sheet)).toBe(false);
  });
});

describe("what changed, in words", () => {
  it("lists clauses, lines and fields", () => {
    expect(changeList(compareFixture())).toEqual([
      "Limitation of liability (changed)",
      "Service levels (removed)",
      "Platform Enterprise: discount 10% → 25%",
      "Payment terms: 30 → 45",
    ]);
  });

  it("says when and by whom, and nothing on a first visit or without changes", () => {
    const now = Date.parse("2026-12-04T10:00:00Z");
    const seen = { first_visit: false, since: "2026-12-03T09:00:00Z", changes: 2, who: [{ id: 1, name: "Rita Rep", role: "rep" }], compare: compareFixture(false) };
    expect(bannerText(seen, now)).toMatch(/^Since you last looked \(.+\): 2 changes by Rita Rep$/);
    expect(bannerText({ ...seen, who: [] }, now)).toMatch(/: 2 changes$/);
    expect(bannerText({ ...seen, changes: 0 }, now)).toBe("");
    expect(bannerText({ first_visit: true, since: null, changes: 0, who: [], compare: null }, now)).toBe("");
  });

  it("picks one version against now, or two in order", () => {
    expect(comparePair([])).toBeNull();
    expect(comparePair([3])).toEqual({ from: 3, to: "current" });
    expect(comparePair([5, 2])).toEqual({ from: 2, to: 5 });
  });
});
