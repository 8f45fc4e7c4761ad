import { afterEach, describe, expect, it, vi } from "vitest";
import type { Delegation, Me } from "../lib/api";
import { delegationSection } from "./delegations";
import { json, settle } from "../test-support";

const me: Me = { id: 2, email: "manager@demo.test", name: "Morgan Manager", role: "sales_manager" };

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

let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  dispose = undefined;
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

function mountSection(): HTMLElement {
  const section = delegationSection(me);
  dispose = section.dispose;
  document.body.append(section.el);
  void section.load();
  return section.el;
}

const q = <T extends Element = HTMLElement>(root: ParentNode, id: string) => root.querySelector<T & Element>(`[data-testid=${id}]`)!;

describe("the delegation section", () => {
  it("sends the day after the last day as the end, then lists the new delegation with Revoke", async () => {
    let list: Delegation[] = [delegation({ id: 3, from: { id: 1, name: "Val VP" }, to: { id: 2, name: "Morgan Manager" } })];
    const posts: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init?: RequestInit) => {
        if (init?.method === "POST") {
          posts.push(JSON.parse(init.body as string));
          const made = delegation({ id: 7 });
          list = [made, ...list];
          return json(201, made);
        }
        return json(200, { delegations: list });
      }),
    );
    const el = mountSection();
    await settle();
    expect(q<HTMLInputElement>(el, "delegation-start").value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const received = el.querySelectorAll("[data-testid=delegation-item]");
    expect(received).toHaveLength(1);
    expect(received[0].textContent).toContain("Val VP → you");
    expect(received[0].querySelector("[data-testid=delegation-revoke]")).toBeNull();

    q<HTMLInputElement>(el, "delegation-to").value = "finance@demo.test";
    q<HTMLInputElement>(el, "delegation-start").value = "2026-12-01";
    q<HTMLInputElement>(el, "delegation-end").value = "2026-12-14";
    q<HTMLFormElement>(el, "delegation-form").requestSubmit();
    await settle();
    expect(posts).toEqual([{ to: "finance@demo.test", starts_at: "2026-12-01", ends_at: "2026-12-15" }]);
    const items = el.querySelectorAll("[data-testid=delegation-item]");
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain("You → Frankie Finance");
    expect(items[0].querySelector("[data-testid=delegation-revoke]")).not.toBeNull();
    expect(q<HTMLInputElement>(el, "delegation-to").value).toBe("");
    expect(q(el, "delegation-error").hidden).toBe(true);
  });

  it("shows the server's refusal next to the form and keeps what was typed", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init?: RequestInit) => {
        if (init?.method === "POST") return json(422, { error: "unprocessable", detail: "'to' must be an active internal user; 'ghost@x.test' is not" });
        return json(200, { delegations: [] });
      }),
    );
    const el = mountSection();
    await settle();
    q<HTMLInputElement>(el, "delegation-to").value = "ghost@x.test";
    q<HTMLInputElement>(el, "delegation-end").value = "2026-12-14";
    q<HTMLFormElement>(el, "delegation-form").requestSubmit();
    await settle();
    const error = q(el, "delegation-error");
    expect(error.hidden).toBe(false);
    expect(error.textContent).toContain("must be an active internal user");
    expect(q<HTMLInputElement>(el, "delegation-to").value).toBe("ghost@x.test");
    expect(q(el, "delegation-to").getAttribute("aria-invalid")).toBe("true");
    expect(el.querySelectorAll("[data-testid=delegation-item]")).toHaveLength(0);
  });

  it("asks for the last day before sending anything", async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json(200, { delegations: [] }));
    vi.stubGlobal("fetch", fetch);
    const el = mountSection();
    await settle();
    q<HTMLInputElement>(el, "delegation-to").value = "finance@demo.test";
    q<HTMLFormElement>(el, "delegation-form").requestSubmit();
    await settle();
    expect(q(el, "delegation-error").textContent).toContain("last day");
    expect(fetch.mock.calls.every(([, init]) => (init as RequestInit | undefined)?.method !== "POST")).toBe(true);
  });

  it("revokes one of the caller's and shows it revoked", async () => {
    let state: Delegation["state"] = "active";
    const calls: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        calls.push(`${init?.method ?? "GET"} ${url}`);
        if (init?.method === "DELETE") {
          state = "revoked";
          return new Response(null, { status: 204 });
        }
        return json(200, { delegations: [delegation({ id: 5, state })] });
      }),
    );
    const el = mountSection();
    await settle();
    q<HTMLButtonElement>(el, "delegation-revoke").click();
    await settle();
    expect(calls).toContain("DELETE /api/approvals/delegations/5");
    const item = q(el, "delegation-item");
    expect(item.dataset.state).toBe("revoked");
    expect(item.textContent).toContain("revoked");
    expect(item.querySelector("[data-testid=delegation-revoke]")).toBeNull();
  });
});
