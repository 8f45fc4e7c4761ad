import { afterEach, describe, expect, it, vi } from "vitest";
import { json, settle } from "../test-support";
import { VersionsPanel } from "./versions";

const versions = [
  { number: 1, label: "Submitted for approval", reason: "submitted", created_at: "2026-12-03T10:00:00+00:00", created_by: { id: 1, name: "Rita Rep", role: "rep" } },
  { number: 2, label: "Offer sent", reason: "manual", created_at: "2026-12-03T11:00:00+00:00", created_by: { id: 1, name: "Rita Rep", role: "rep" } },
];
let panel: VersionsPanel | undefined;
afterEach(() => {
  panel?.destroy();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

function serve(handler: (method: string, url: string, body: unknown) => Response) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url, body });
    return handler(method, url, body);
  }));
  return calls;
}

describe("the versions panel", () => {
  it("tells a customer nothing of submits or decisions, even with no versions", async () => {
    serve(() => json(200, { versions: [] }));
    panel = new VersionsPanel({ roomId: "r1", role: "customer", notify: () => {} });
    await settle();
    expect(panel.el.textContent).toContain("No versions yet.");
    expect(panel.el.textContent?.toLowerCase()).not.toMatch(/submit|decision|approv/);
  });

  it("lists versions newest first and compares a pick with now, or two picks in order", async () => {
    const calls = serve((_method, url) => (url.includes("/compare") ? json(200, { error: "x", detail: "later" }) : json(200, { versions })));
    panel = new VersionsPanel({ roomId: "r1", role: "customer", notify: () => {} });
    document.body.append(panel.el);
    await settle();
    const rows = panel.el.querySelectorAll("[data-testid=version]");
    expect(Array.from(rows).map((r) => r.getAttribute("data-number"))).toEqual(["2", "1"]);
    expect(panel.el.querySelector("[data-testid=version-save]")).toBeNull(); // the rep saves
    expect(panel.el.querySelector("[data-testid=version-restore-terms]")).toBeNull();
    const compare = panel.el.querySelector<HTMLButtonElement>("[data-testid=versions-compare]")!;
    expect(compare.disabled).toBe(true);
    const pick = (n: number) => {
      const box = panel!.el.querySelector<HTMLInputElement>(`[data-testid=version-pick][data-number="${n}"]`)!;
      box.checked = true;
      box.dispatchEvent(new Event("change"));
    };
    pick(1);
    expect(panel.el.querySelector<HTMLButtonElement>("[data-testid=versions-compare]")!.textContent).toBe("Compare version 1 with now");
    pick(2);
    const button = panel.el.querySelector<HTMLButtonElement>("[data-testid=versions-compare]")!;
    expect(button.textContent).toBe("Compare versions 1 and 2");
    button.click();
    await settle();
    expect(calls.at(-1)?.url).toBe("/api/rooms/r1/versions/compare?from=1&to=2");
  });

  it("lets the rep save a named version and restore after a confirm step", async () => {
    const notes: string[] = [];
    const calls = serve((method, url) => {
      if (method === "POST" && url.endsWith("/versions")) return json(201, { ...versions[1], number: 3, label: "Mine" });
      if (url.endsWith("/restore")) return json(200, { ...versions[1], number: 4, reason: "restored" });
      return json(200, { versions });
    });
    panel = new VersionsPanel({ roomId: "r1", role: "rep", notify: (m) => notes.push(m) });
    document.body.append(panel.el);
    await settle();
    const input = panel.el.querySelector<HTMLInputElement>("[data-testid=version-label]")!;
    const form = input.closest("form")!;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(panel.el.querySelector(".field-error")?.textContent).toBe("Name the version.");
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
    input.value = "  Mine ";
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ label: "Mine" });
    expect(notes).toContain("Saved as version 3.");

    panel.el.querySelector<HTMLButtonElement>("[data-number='1'] [data-testid=version-restore-pricing]")!.click();
    expect(panel.el.querySelector("[data-testid=version-confirm]")?.textContent).toContain("version 1");
    expect(calls.some((c) => c.url.endsWith("/restore"))).toBe(false);
    panel.el.querySelector<HTMLButtonElement>("[data-testid=version-restore-confirm]")!.click();
    await settle();
    expect(calls.find((c) => c.url.endsWith("/restore"))).toEqual({ method: "POST", url: "/api/rooms/r1/versions/1/restore", body: { part: "pricing" } });
    expect(notes.at(-1)).toBe("The pricing of version 1 is back, kept as version 4.");
  });
});
