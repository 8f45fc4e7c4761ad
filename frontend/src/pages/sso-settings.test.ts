import { afterEach, describe, expect, it, vi } from "vitest";
import type { Person, SsoSettings } from "../lib/api";
import { json, settle } from "../test-support";
import { NOT_CONFIGURED_REASON, SSO_REQUIRED_HELP, savedMessage, ssoSettingsSection, ssoSettingsView } from "./sso-settings";

const PEOPLE: Person[] = [
  { id: 6, email: "admin@demo.test", name: "Ada Admin", role: "admin", active: true, manager_id: null },
  { id: 7, email: "second@demo.test", name: "Sam Second", role: "admin", active: true, manager_id: null },
];
const ON: SsoSettings = { configured: true, issuer: "https://id.example.test", required_for_internal: false, updated_at: null, updated_by: null };
const OFF: SsoSettings = { ...ON, configured: false, issuer: null };
const NOW = Date.parse("2026-12-03T15:00:00");

let section: ReturnType<typeof ssoSettingsSection> | undefined;
afterEach(() => {
  section?.dispose();
  section = undefined;
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("the single sign-on settings, the pure parts", () => {
  it("offers the switch once an identity provider is set up", () => {
    const view = ssoSettingsView(ON, PEOPLE, 6, NOW);
    expect(view).toMatchObject({ provider: "Identity provider: https://id.example.test", checked: false, disabled: false, unavailable: null });
    expect(view.inForce).toContain("single sign-on or with a password");
    expect(view.lastChange).toBe("");
    const required = ssoSettingsView({ ...ON, required_for_internal: true }, PEOPLE, 6, NOW);
    expect(required.checked).toBe(true);
    expect(required.inForce).toContain("staff sign in with single sign-on only; customers with their email and password");
  });

  it("without a provider the switch is off and disabled, saying why", () => {
    const view = ssoSettingsView(OFF, PEOPLE, 6, NOW);
    expect(view).toMatchObject({ provider: "Not set up", checked: false, disabled: true, unavailable: NOT_CONFIGURED_REASON });
    expect(view.unavailable).toContain("DEALROOM_OIDC_ISSUER");
    expect(view.inForce).toContain("everyone signs in with their email and password");
  });

  it("a requirement left over from when a provider was set up is not in force, and can be turned off", () => {
    const view = ssoSettingsView({ ...OFF, required_for_internal: true }, PEOPLE, 6, NOW);
    expect(view).toMatchObject({ checked: true, disabled: false });
    expect(view.inForce).toContain("not in force");
  });

  it("names who changed it last, and when", () => {
    const changed = { ...ON, required_for_internal: true, updated_at: "2026-12-03T14:02:00", updated_by: 7 };
    expect(ssoSettingsView(changed, PEOPLE, 6, NOW).lastChange).toMatch(/^Last changed .*2.* by Sam Second$/);
    expect(ssoSettingsView({ ...changed, updated_by: 6 }, PEOPLE, 6, NOW).lastChange).toMatch(/ by you$/);
    expect(ssoSettingsView({ ...changed, updated_by: 99 }, PEOPLE, 6, NOW).lastChange).toMatch(/ by an admin$/);
  });

  it("says what saving did", () => {
    expect(savedMessage(true)).toContain("refuses staff passwords");
    expect(savedMessage(true)).toContain("Customers are not affected");
    expect(savedMessage(false)).toContain("may sign in with a password again");
  });
});

function mount(answers: { get: () => Response; put?: (body: unknown) => Response }, onSignedOut = vi.fn()): { root: HTMLElement; puts: unknown[] } {
  const puts: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url !== "/api/sso/settings") return json(404, { error: "not_found", detail: "no" });
      if (init?.method === "PUT") {
        const body = JSON.parse(init.body as string) as unknown;
        puts.push(body);
        return answers.put!(body);
      }
      return answers.get();
    }),
  );
  section = ssoSettingsSection({ meId: 6, people: () => PEOPLE, onSignedOut });
  document.body.append(section.el);
  return { root: section.el, puts };
}

const q = <T extends HTMLElement>(root: HTMLElement, testid: string) => root.querySelector<T>(`[data-testid=${testid}]`)!;

describe("the single sign-on section", () => {
  it("turns the requirement on and shows the server's answer", async () => {
    const { root, puts } = mount({
      get: () => json(200, ON),
      put: (body) => json(200, { ...ON, required_for_internal: (body as { required_for_internal: boolean }).required_for_internal, updated_at: new Date().toISOString(), updated_by: 6 }),
    });
    await settle();
    const toggle = q<HTMLInputElement>(root, "sso-required");
    expect(root.dataset.configured).toBe("true");
    expect(q(root, "sso-provider").textContent).toBe("Identity provider: https://id.example.test");
    expect(q(root, "sso-required-help").textContent).toBe(SSO_REQUIRED_HELP);
    expect(toggle.getAttribute("role")).toBe("switch");
    expect(toggle.labels?.[0]?.textContent).toBe("Require single sign-on for internal people");
    expect(toggle.checked).toBe(false);
    expect(toggle.disabled).toBe(false);
    expect(q(root, "sso-unavailable").hidden).toBe(true);

    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    expect(toggle.disabled).toBe(true); // while it saves
    await settle();
    expect(puts).toEqual([{ required_for_internal: true }]);
    expect(toggle.checked).toBe(true);
    expect(toggle.disabled).toBe(false);
    expect(q(root, "sso-settings-saved").textContent).toBe(savedMessage(true));
    expect(q(root, "sso-in-force").textContent).toContain("single sign-on only");
    expect(q(root, "sso-updated").textContent).toMatch(/by you$/);
    expect(q(root, "sso-settings-error").hidden).toBe(true);
  });

  it("shows a refusal next to the switch and puts it back as the server has it", async () => {
    const { root } = mount({
      get: () => json(200, ON),
      put: () => json(409, { error: "conflict", detail: "set up an identity provider (DEALROOM_OIDC_ISSUER, its client) before requiring single sign-on" }),
    });
    await settle();
    const toggle = q<HTMLInputElement>(root, "sso-required");
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    await settle();
    const error = q(root, "sso-settings-error");
    expect(error.hidden).toBe(false);
    expect(error.textContent).toContain("set up an identity provider");
    expect(toggle.getAttribute("aria-describedby")).toContain(error.id);
    expect(toggle.checked).toBe(false);
    expect(q(root, "sso-settings-saved").hidden).toBe(true);
  });

  it("without a provider: disabled, with the reason, and nothing is sent", async () => {
    const { root, puts } = mount({ get: () => json(200, OFF) });
    await settle();
    const toggle = q<HTMLInputElement>(root, "sso-required");
    expect(root.dataset.configured).toBe("false");
    expect(toggle.disabled).toBe(true);
    expect(q(root, "sso-unavailable").hidden).toBe(false);
    expect(q(root, "sso-unavailable").textContent).toBe(NOT_CONFIGURED_REASON);
    expect(toggle.getAttribute("aria-describedby")).toContain(q(root, "sso-unavailable").id);
    expect(puts).toEqual([]);
  });

  it("a session that ended sends the admin to sign in", async () => {
    const onSignedOut = vi.fn();
    mount({ get: () => json(401, { error: "unauthenticated", detail: "sign in" }) }, onSignedOut);
    await settle();
    expect(onSignedOut).toHaveBeenCalledOnce();
  });
});
