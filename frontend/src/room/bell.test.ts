import { afterEach, describe, expect, it, vi } from "vitest";
import { json, settle } from "../test-support";
import { Bell } from "./bell";

const ITEM = {
  id: 7, at: "2026-12-03T10:00:00Z", until: "2026-12-03T10:01:00Z", kind: "change.lines",
  actor: { id: 2, name: "Blake Buyer" }, role: "customer", what: {}, label: "Quantity of Platform Enterprise",
  summary: "Blake Buyer changed Quantity of Platform Enterprise", edits: 3, room_id: "r1", room_title: "Acme", unread: true,
};
const ANSWER = { unread: 2, rooms: [{ room_id: "r1", title: "Acme", unread: 2, unread_capped: false, read_up_to: 5, latest_id: 7 }], items: [ITEM] };

describe("the bell", () => {
  let bell: Bell | null = null;
  afterEach(() => {
    bell?.destroy();
    bell = null;
    vi.unstubAllGlobals();
  });

  it("counts others' unread events, and a tap lists them and marks each room read", async () => {
    const posts: unknown[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === "POST") {
        posts.push({ url, body: JSON.parse(String(init.body)) });
        return json(200, { room_id: "r1", read_up_to: 7 });
      }
      return json(200, ANSWER);
    }));
    bell = new Bell("r1");
    document.body.append(bell.el);
    await settle();
    const count = bell.el.querySelector<HTMLElement>("[data-testid=bell-count]")!;
    expect(count.textContent).toBe("2");
    expect(count.hidden).toBe(false);
    bell.el.querySelector<HTMLButtonElement>("[data-testid=bell]")!.click();
    await settle();
    const items = bell.el.querySelectorAll("[data-testid=bell-item]");
    expect(items).toHaveLength(1);
    expect(items[0].textContent).toContain("Blake Buyer changed Quantity of Platform Enterprise");
    expect(items[0].classList.contains("is-unread")).toBe(true);
    expect(posts).toEqual([{ url: "/api/notifications/read", body: { room_id: "r1", up_to: 7 } }]);
    expect(count.hidden).toBe(true);
    bell.el.remove();
  });

  it("says 99+ past what the server counts", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(200, { ...ANSWER, unread: 100, rooms: [{ ...ANSWER.rooms[0], unread: 100, unread_capped: true }] })));
    bell = new Bell();
    await settle();
    expect(bell.el.querySelector("[data-testid=bell-count]")!.textContent).toBe("99+");
  });
});
