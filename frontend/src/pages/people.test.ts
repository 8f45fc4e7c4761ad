import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me, Person } from "../lib/api";
import { userRoleLabel } from "./labels";
import { deactivateWarning, managerChange, managerEmail, managerOptions, peoplePage, stateLabel } from "./people";
import { appBar } from "./rooms";
import { json, settle } from "../test-support";

const admin: Me = { id: 6, email: "admin@demo.test", name: "Ada Admin", role: "admin" };
const PEOPLE: Person[] = [
  { id: 1, email: "rep@demo.test", name: "Riley Rep", role: "rep", active: true, manager_id: 2 },
  { id: 2, email: "manager@demo.test", name: "Morgan Manager", role: "sales_manager", active: true, manager_id: 3 },
  { id: 3, email: "vp@demo.test", name: "Val VP", role: "vp_sales", active: true, manager_id: null },
  { id: 5, email: "old@demo.test", name: "Olli Old", role: "finance", active: false, manager_id: null },
  { id: 6, email: "admin@demo.test", name: "Ada Admin", role: "admin", active: true, manager_id: null },
];

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("people, the pure parts", () => {
  it("offers everyone else as a manager, by name, inactive ones marked", () => {
    const options = managerOptions(PEOPLE[1], PEOPLE);
    expect(options[0]).toEqual({ value: "", label: "No manager" });
    expect(options.map((o) => o.label)).toEqual(["No manager", "Ada Admin", "Olli Old (inactive)", "Riley Rep", "Val VP"]);
    expect(options.some((o) => o.value === "manager@demo.test")).toBe(false);
    expect(managerEmail(PEOPLE[1], PEOPLE)).toBe("vp@demo.test");
    expect(managerEmail(PEOPLE[2], PEOPLE)).toBe("");
    expect(managerChange("vp@demo.test")).toEqual({ manager: "vp@demo.test" });
    expect(managerChange("")).toEqual({ manager: null });
  });

  it("says what deactivating does and where the approvals go", () => {
    expect(deactivateWarning(PEOPLE[1], PEOPLE)).toContain("signed out everywhere");
    expect(deactivateWarning(PEOPLE[1], PEOPLE)).toContain("their manager, Val VP");
    expect(deactivateWarning(PEOPLE[2], PEOPLE)).toContain("no active manager, so their pending approvals go to an admin");
    expect(deactivateWarning({ ...PEOPLE[2], manager_id: 5 }, PEOPLE)).toContain("go to an admin");
  });

  it("labels roles and states", () => {
    expect(userRoleLabel("sales_manager")).toBe("Sales manager");
    expect(userRoleLabel("vp_sales")).toBe("VP sales");
    expect(userRoleLabel("chief_of_stuff")).toBe("Chief of stuff");
    expect(stateLabel({ active: true })).toBe("Active");
    expect(stateLabel({ active: false })).toBe("Inactive");
  });
});

describe("the people page", () => {
  it("links People in the app bar for admins only", () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(200, { items: [] })));
    expect(appBar(admin).querySelector("[data-testid=people-link]")?.getAttribute("href")).toBe("/people");
    expect(appBar({ ...admin, role: "sales_manager" }).querySelector("[data-testid=people-link]")).toBeNull();
  });

  it("tells non-admins politely and asks the server nothing", () => {
    const fetch = vi.fn(async (_url: string) => json(200, { items: [] }));
    vi.stubGlobal("fetch", fetch);
    const root = document.createElement("div");
    cleanup = peoplePage(root, { ...admin, role: "rep" });
    expect(root.textContent).toContain("Only admins manage people");
    expect(fetch.mock.calls.some(([url]) => String(url).includes("/api/users"))).toBe(false);
  });

  it("sets a manager on change and deactivates after a confirm step", async () => {
    let people = PEOPLE.map((p) => ({ ...p }));
    const patches: { url: string; body: unknown }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === "PATCH") {
          const body = JSON.parse(init.body as string) as { active?: boolean; manager?: string | null };
          patches.push({ url, body });
          const id = Number(url.split("/").pop());
          people = people.map((p) =>
            p.id !== id ? p : { ...p, ...("active" in body ? { active: body.active! } : {}), ...("manager" in body ? { manager_id: people.find((m) => m.email === body.manager)?.id ?? null } : {}) },
          );
          return json(200, people.find((p) => p.id === id));
        }
        if (url === "/api/users") return json(200, { users: people });
        return json(200, { items: [] });
      }),
    );
    const root = document.createElement("div");
    document.body.append(root);
    cleanup = peoplePage(root, admin);
    await settle();
    const row = (email: string) => root.querySelector<HTMLElement>(`[data-testid=person][data-email="${email}"]`)!;
    expect(root.querySelectorAll("[data-testid=person]")).toHaveLength(5);
    expect(row("admin@demo.test").querySelector("[data-testid=person-deactivate]")).toBeNull(); // not oneself
    expect(row("old@demo.test").querySelector("[data-testid=person-reactivate]")).not.toBeNull();

    const select = row("rep@demo.test").querySelector<HTMLSelectElement>("[data-testid=person-manager]")!;
    expect(select.value).toBe("manager@demo.test");
    select.value = "";
    select.dispatchEvent(new Event("change"));
    await settle();
    expect(patches.at(-1)).toEqual({ url: "/api/users/1", body: { manager: null } });
    expect(root.querySelector("[data-testid=people-notice]")!.textContent).toContain("Riley Rep has no manager now");
    expect(document.activeElement).toBe(row("rep@demo.test").querySelector("[data-testid=person-manager]"));

    row("manager@demo.test").querySelector<HTMLButtonElement>("[data-testid=person-deactivate]")!.click();
    const confirm = row("manager@demo.test").querySelector<HTMLElement>("[data-testid=person-confirm]")!;
    expect(confirm.hidden).toBe(false);
    expect(confirm.textContent).toContain("signed out everywhere");
    expect(document.activeElement).toBe(confirm.querySelector("[data-testid=person-deactivate-cancel]"));
    expect(patches).toHaveLength(1); // nothing sent before the confirm
    confirm.querySelector<HTMLButtonElement>("[data-testid=person-deactivate-confirm]")!.click();
    await settle();
    expect(patches.at(-1)).toEqual({ url: "/api/users/2", body: { active: false } });
    expect(row("manager@demo.test").dataset.active).toBe("false");
    expect(row("manager@demo.test").querySelector("[data-testid=person-state]")!.textContent).toBe("Inactive");
    expect(document.activeElement).toBe(row("manager@demo.test").querySelector("[data-testid=person-reactivate]"));
    expect(root.querySelector("[data-testid=people-notice]")!.textContent).toContain("Val VP");
  });

  it("shows a refusal on the person's row and keeps the old manager", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === "PATCH") return json(422, { error: "unprocessable", detail: "'manager' must be another internal user" });
        if (url === "/api/users") return json(200, { users: PEOPLE });
        return json(200, { items: [] });
      }),
    );
    const root = document.createElement("div");
    document.body.append(root);
    cleanup = peoplePage(root, admin);
    await settle();
    const select = root.querySelector<HTMLSelectElement>('[data-email="rep@demo.test"] [data-testid=person-manager]')!;
    select.value = "vp@demo.test";
    select.dispatchEvent(new Event("change"));
    await settle();
    const rep = root.querySelector<HTMLElement>('[data-email="rep@demo.test"]')!;
    expect(rep.querySelector("[data-testid=person-error]")!.textContent).toContain("must be another internal user");
    expect(rep.querySelector<HTMLSelectElement>("[data-testid=person-manager]")!.value).toBe("manager@demo.test");
  });
});
