import { afterEach, describe, expect, it, vi } from "vitest";
import type { InboxItem, Me } from "../lib/api";
import { inboxPage, personName, waitingText } from "./inbox";
import { json, settle } from "../test-support";

const me: Me = { id: 2, email: "manager@demo.test", name: "Morgan Manager", role: "sales_manager" };

function item(over: Partial<InboxItem> = {}): InboxItem {
  return {
    request_id: "apr_1",
    room_id: "demo-acme-renewal",
    room_title: "Acme — Platform renewal",
    step_id: "discount-over-20",
    name: "Sales manager",
    reason: "Discount over 20%: max line discount 32% is over 20%",
    fingerprint: "f1",
    since: new Date().toISOString(),
    submitted_by: { id: 1, name: "Riley Rep" },
    on_behalf_of: [],
    facts: [{ fact: "max_line_discount_pct", label: "max line discount", value: "32%", approved_value: "25%" }],
    ...over,
  };
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.unstubAllGlobals();
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe("the approvals inbox", () => {
  it("names people and says since when a step waits", () => {
    expect(personName({ id: 1, name: "Riley Rep" })).toBe("Riley Rep");
    expect(personName(7)).toBe("User 7");
    expect(personName(null)).toBe("");
    expect(waitingText(new Date(Date.now() - 5 * 60_000).toISOString())).toMatch(/^Waiting since .+ \(5 min ago\)$/);
    expect(waitingText(undefined)).toBe("Waiting");
  });

  it("shows each step as a card and approves one in one click with the item's fingerprint", async () => {
    let items = [item(), item({ request_id: "apr_2", room_id: "r2", room_title: "Globex — Pilot", fingerprint: "f2" })];
    const posts: { url: string; body: unknown }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === "POST") {
          posts.push({ url, body: JSON.parse(init.body as string) });
          items = items.slice(1);
          return json(200, { request_id: "apr_1", state: "approved" });
        }
        return json(200, { items });
      }),
    );
    const root = document.createElement("div");
    document.body.append(root);
    cleanup = inboxPage(root, me);
    await settle();
    const cards = root.querySelectorAll("[data-testid=inbox-item]");
    expect(cards).toHaveLength(2);
    expect(cards[0].querySelector("h2")!.textContent).toContain("Discount over 20%");
    expect(cards[0].querySelector("[data-testid=inbox-fact]")!.textContent).toContain("32% (approved before: 25%)");
    expect(cards[0].querySelector("[data-testid=inbox-room-link]")!.getAttribute("href")).toBe("/rooms/demo-acme-renewal");
    expect(cards[0].textContent).toContain("Submitted by Riley Rep");
    cards[0].querySelector<HTMLButtonElement>("[data-testid=inbox-approve]")!.click();
    await settle();
    expect(posts).toEqual([{ url: "/api/approvals/apr_1/steps/discount-over-20/decision", body: { decision: "approve", fingerprint: "f1" } }]);
    expect(root.querySelector("[data-testid=inbox-notice]")!.textContent).toContain("Approved: Discount over 20% — Acme — Platform renewal");
    expect(root.querySelectorAll("[data-testid=inbox-item]")).toHaveLength(1);
    expect(document.title).toBe("(1) Approvals · Dealroom");
  });

  it("on a 409 shows why and reloads the list", async () => {
    let gets = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === "POST") return json(409, { error: "stale", detail: "the deal changed since this request" });
        if (url.includes("/delegations")) return json(200, { delegations: [] });
        if (url.includes("/notifications")) return json(200, { unread: 0, rooms: [], items: [] }); // the app bar's bell
        gets += 1;
        return json(200, { items: gets === 1 ? [item()] : [] });
      }),
    );
    const root = document.createElement("div");
    cleanup = inboxPage(root, me);
    await settle();
    root.querySelector<HTMLButtonElement>("[data-testid=inbox-approve]")!.click();
    await settle();
    expect(root.querySelector("[data-testid=inbox-notice]")!.textContent).toContain("the deal changed since this request");
    expect(root.querySelector("[data-testid=inbox-empty]")!.hasAttribute("hidden")).toBe(false);
  });

  it("polls while visible and keeps a rejection being written", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let gets = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        if (url.includes("/delegations")) return json(200, { delegations: [] });
        if (url.includes("/notifications")) return json(200, { unread: 0, rooms: [], items: [] }); // the app bar's bell
        gets += 1;
        return json(200, { items: [item({ since: gets > 1 ? "2026-11-26T10:00:00Z" : item().since })] });
      }),
    );
    const root = document.createElement("div");
    cleanup = inboxPage(root, me);
    await settle();
    const card = root.querySelector("[data-testid=inbox-item]")!;
    card.querySelector<HTMLButtonElement>("[data-testid=inbox-reject]")!.click();
    card.querySelector<HTMLTextAreaElement>("[data-testid=inbox-reject-comment]")!.value = "Not this quarter";
    vi.advanceTimersByTime(3000);
    await settle();
    expect(gets).toBe(2);
    expect(root.querySelector("[data-testid=inbox-item]")).toBe(card);
    expect(card.querySelector<HTMLTextAreaElement>("[data-testid=inbox-reject-comment]")!.value).toBe("Not this quarter");
  });

  it("is not for customers", () => {
    const root = document.createElement("div");
    cleanup = inboxPage(root, { ...me, role: "customer" });
    expect(root.textContent).toContain("No approvals here");
    expect(root.querySelector("[data-testid=inbox-link]")).toBeNull();
  });
});
