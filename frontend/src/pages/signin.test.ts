import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api";
import * as localStore from "../room/local-store";
import { appBar } from "./rooms";
import { json, settle } from "../test-support";
import { SSO_ERRORS, signInPage, ssoErrorMessage, ssoLoginUrl } from "./signin";

const OFF = { configured: false, required_for_internal: false, login_url: null };
const ON = { configured: true, required_for_internal: false, login_url: "/api/sso/login" };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  history.replaceState(null, "", "/");
  document.body.replaceChildren();
});

function page(sso: unknown, next = "/", signIn?: (body: unknown) => Response): HTMLElement {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url === "/api/sso") return json(200, sso);
      if (url === "/api/session" && signIn) return signIn(JSON.parse(init!.body as string));
      return json(404, { error: "not_found", detail: "no" });
    }),
  );
  const root = document.createElement("div");
  document.body.append(root);
  signInPage(root, next);
  return root;
}

describe("single sign-on on the sign-in page", () => {
  it("offers it when the server has an identity provider, bringing the person back where they were going", async () => {
    const root = page(ON, "/rooms/r1?tab=terms");
    await settle();
    const link = root.querySelector<HTMLAnchorElement>("[data-testid=sso-link]")!;
    expect(root.querySelector<HTMLElement>("[data-testid=sso]")!.hidden).toBe(false);
    expect(link.textContent).toBe("Sign in with single sign-on");
    expect(link.getAttribute("href")).toBe("/api/sso/login?next=%2Frooms%2Fr1%3Ftab%3Dterms");
    // A page load out of the app, not a route of the app's own router.
    expect(link.getAttribute("target")).toBe("_self");
    // The password form stays for customers (and for local accounts).
    expect(root.querySelector("input[type=password]")).not.toBeNull();
  });

  it("is not offered without one, and the password form works as before", async () => {
    const root = page(OFF);
    await settle();
    expect(root.querySelector<HTMLElement>("[data-testid=sso]")!.hidden).toBe(true);
    expect(root.querySelector("[data-testid=sso-link]")).toBeNull();
  });

  it("tells staff to use it when admins require it, and shows the server's refusal of a staff password", async () => {
    const root = page({ ...ON, required_for_internal: true }, "/", () =>
      json(403, { error: "sso_required", detail: "Dealroom staff sign in with single sign-on: use “Sign in with single sign-on”." }),
    );
    await settle();
    expect(root.querySelector("[data-testid=sso]")!.textContent).toContain("Company staff sign in with single sign-on");
    root.querySelector<HTMLInputElement>("input[type=email]")!.value = "rep@example.test";
    root.querySelector<HTMLInputElement>("input[type=password]")!.value = "correct-horse";
    root.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(root.querySelector("[data-testid=form-error]")!.textContent).toContain("sign in with single sign-on");
  });

  it("explains why single sign-on sent the person back, in its own words only", async () => {
    history.replaceState(null, "", "/signin?sso_error=no_role");
    const root = page(ON);
    await settle();
    const error = root.querySelector<HTMLElement>("[data-testid=form-error]")!;
    expect(error.hidden).toBe(false);
    expect(error.textContent).toBe(SSO_ERRORS.no_role);
    expect(ssoErrorMessage("deactivated")).toContain("deactivated");
    expect(ssoErrorMessage("state")).toContain("expired or was already used");
    expect(ssoErrorMessage("Call +1 555 0100 to unlock your account")).toBe("Single sign-on did not sign you in. Try again.");
    expect(ssoErrorMessage("constructor")).toBe("Single sign-on did not sign you in. Try again.");
    expect(ssoErrorMessage(null)).toBeNull();
  });

  it("builds the login link", () => {
    expect(ssoLoginUrl("/api/sso/login", "/")).toBe("/api/sso/login");
    expect(ssoLoginUrl("/api/sso/login", "/inbox")).toBe("/api/sso/login?next=%2Finbox");
  });
});

describe("signing out", () => {
  const me = { id: 1, email: "rep@example.test", name: "Riley Rep", role: "rep" };

  function signOutButton(answer: unknown, order: string[]): HTMLButtonElement {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        if (url === "/api/sso/logout") {
          order.push("session ended");
          return json(200, answer);
        }
        return json(200, { items: [] });
      }),
    );
    vi.spyOn(localStore, "forgetAll").mockImplementation(async () => {
      order.push("device copies forgotten");
    });
    vi.spyOn(window.location, "assign").mockImplementation((url: string | URL) => void order.push(`left for ${String(url)}`));
    const bar = appBar(me);
    document.body.append(bar);
    return bar.querySelector<HTMLButtonElement>("[data-testid=sign-out]")!;
  }

  it("stays in the app after a password session", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(200, { logout_url: null })));
    expect(await api.signOut()).toBeNull();
    const order: string[] = [];
    signOutButton({ logout_url: null }, order).click();
    await settle();
    expect(order).toEqual(["session ended", "device copies forgotten"]);
    expect(location.pathname).toBe("/signin");
  });

  it("goes on to the identity provider after single sign-on, having forgotten this device's copies first", async () => {
    const order: string[] = [];
    signOutButton({ logout_url: "https://id.example.test/session/end?x=1" }, order).click();
    await settle();
    expect(order).toEqual(["session ended", "device copies forgotten", "left for https://id.example.test/session/end?x=1"]);
  });
});
