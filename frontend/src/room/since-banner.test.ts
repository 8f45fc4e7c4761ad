import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "../lib/dom";
import { json, settle } from "../test-support";
import { compareFixture } from "./compare.fixture";
import { MARK, SinceBanner, termsStyle } from "./since-banner";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
  document.head.querySelectorAll("style[data-testid=since-highlights]").forEach((s) => s.remove());
});

function room(): HTMLElement {
  const layout = h(
    "main",
    { class: "room-layout" },
    h("div", { class: "ProseMirror" }, h("p", {}, "Master agreement"), h("div", {}, "Limitation of liability")),
    h("li", { "data-line-id": "a" }, "Platform"),
    h("li", { "data-line-id": "b" }, "SSO"),
    h("div", { class: "field" }, h("input", { "data-testid": "deal-paymentTermsDays" })),
  );
  document.body.append(layout);
  return layout;
}

describe("since you last looked", () => {
  it("shows the changes, marks them in the room, records the look, and unmarks on dismiss", async () => {
    const calls: string[] = [];
    const seen = { first_visit: false, since: "2026-12-03T09:00:00Z", changes: 4, who: [{ id: 1, name: "Rita Rep", role: "rep" }], compare: compareFixture(false) };
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? "GET"} ${url}`);
      return url.endsWith("/seen") ? new Response(null, { status: 204 }) : json(200, seen);
    }));
    const layout = room();
    const banner = new SinceBanner("r1", layout);
    document.body.prepend(banner.el);
    await banner.start();
    await settle();
    expect(banner.el.hidden).toBe(false);
    expect(banner.el.querySelector("[data-testid=since-text]")?.textContent).toContain("4 changes by Rita Rep");
    expect(layout.querySelector("[data-line-id=a]")?.classList.contains(MARK)).toBe(true);
    expect(layout.querySelector("[data-line-id=b]")?.classList.contains(MARK)).toBe(false);
    expect(layout.querySelector(".field")?.classList.contains(MARK)).toBe(true);
    expect(document.head.querySelector("style[data-testid=since-highlights]")?.textContent).toContain(":nth-child(2)");
    expect(calls).toEqual(["GET /api/rooms/r1/since-last-seen", "POST /api/rooms/r1/seen"]);
    (banner.el.querySelector("[data-testid=since-dismiss]") as HTMLButtonElement).click();
    expect(banner.el.hidden).toBe(true);
    expect(layout.querySelectorAll(`.${MARK}`).length).toBe(0);
    expect(document.head.querySelector("style[data-testid=since-highlights]")).toBeNull();
  });

  it("shows nothing on a first visit, and records the look", async () => {
    const calls: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? "GET"} ${url}`);
      return url.endsWith("/seen") ? new Response(null, { status: 204 }) : json(200, { first_visit: true, since: null, changes: 0, who: [], compare: null });
    }));
    const banner = new SinceBanner("r1", room());
    await banner.start();
    expect(banner.el.hidden).toBe(true);
    expect(calls).toEqual(["GET /api/rooms/r1/since-last-seen", "POST /api/rooms/r1/seen"]);
  });

  it("marks the changed and added blocks of the terms by position only", () => {
    const css = termsStyle(compareFixture());
    expect(css).toContain(".ProseMirror > :nth-child(2)");
    expect(css).not.toContain(":nth-child(1)");
  });
});
