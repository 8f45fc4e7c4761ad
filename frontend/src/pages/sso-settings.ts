/**
 * The people page's "Single sign-on" section (admins): whether an identity provider is set up, and the switch
 * "Require single sign-on for internal people" (`PUT /api/sso/settings`, audited by the server). Saved on
 * change; the server's answer is what the switch then shows, and a refusal is shown next to it.
 */
import "./sso-settings.css";
import { ApiError, api, type Person, type SsoSettings } from "../lib/api";
import { h, icon, uid } from "../lib/dom";
import { clockTime } from "../lib/when";

/** What the switch does, shown under it whether or not it can be used. */
export const SSO_REQUIRED_HELP =
  "When on, company staff can no longer sign in with a password: Dealroom refuses it and points them to “Sign in with single sign-on”. " +
  "Customers keep their invitation links and passwords. People signed in now stay signed in. " +
  "Check that you can sign in with single sign-on yourself before you turn it on.";

export const NOT_CONFIGURED_REASON =
  "Single sign-on is not set up on this server, so it cannot be required. Set DEALROOM_OIDC_ISSUER, DEALROOM_OIDC_CLIENT_ID and " +
  "DEALROOM_OIDC_CLIENT_SECRET (see “Single sign-on” in the README) and restart Dealroom.";

export interface SsoSettingsView {
  /** "Identity provider: https://…" or "Not set up". */
  provider: string;
  checked: boolean;
  disabled: boolean;
  /** Why the switch cannot be used (null when it can). */
  unavailable: string | null;
  /** What holds right now, in a sentence. */
  inForce: string;
  /** "Last changed 14:02 by you", or "" before anyone changed it. */
  lastChange: string;
}

/** The section as the settings and the company's people make it (pure). */
export function ssoSettingsView(settings: SsoSettings, people: Person[], meId: number, now: number = Date.now()): SsoSettingsView {
  const { configured, required_for_internal: required } = settings;
  let inForce: string;
  if (configured && required) inForce = "Now: staff sign in with single sign-on only; customers with their email and password.";
  else if (configured) inForce = "Now: staff may sign in with single sign-on or with a password.";
  else if (required) inForce = "Now: required, but not in force — without an identity provider, staff sign in with passwords. You can turn it off.";
  else inForce = "Now: everyone signs in with their email and password.";
  return {
    provider: configured ? `Identity provider: ${settings.issuer ?? "set up"}` : "Not set up",
    checked: required,
    // Turning it off is always allowed (the server refuses only requiring it without a provider).
    disabled: !configured && !required,
    unavailable: configured ? null : NOT_CONFIGURED_REASON,
    inForce,
    lastChange: lastChange(settings, people, meId, now),
  };
}

function lastChange(settings: SsoSettings, people: Person[], meId: number, now: number): string {
  const when = clockTime(settings.updated_at, now);
  if (!when) return "";
  if (settings.updated_by === null) return `Last changed ${when}`;
  const who = settings.updated_by === meId ? "you" : (people.find((p) => p.id === settings.updated_by)?.name ?? "an admin");
  return `Last changed ${when} by ${who}`;
}

/** What the section says once the server has saved the switch. */
export function savedMessage(required: boolean): string {
  return required
    ? "Single sign-on is now required: Dealroom refuses staff passwords. Customers are not affected."
    : "Single sign-on is no longer required: staff may sign in with a password again.";
}

export interface SsoSection {
  el: HTMLElement;
  /** Names in "Last changed … by …" come from the people list: draw again once it is loaded. */
  peopleChanged(): void;
  dispose(): void;
}

export function ssoSettingsSection(opts: { meId: number; people: () => Person[]; onSignedOut(): void }): SsoSection {
  let alive = true;
  let settings: SsoSettings | null = null;
  const switchId = uid("sso-required");
  const helpId = uid("sso-help");
  const reasonId = uid("sso-reason");
  const errorId = uid("sso-error");

  const provider = h("p", { class: "sso-provider", "data-testid": "sso-provider" }, "Loading…");
  const toggle = h("input", {
    id: switchId,
    type: "checkbox",
    class: "switch",
    role: "switch",
    disabled: true,
    "data-testid": "sso-required",
    "aria-describedby": `${helpId} ${reasonId} ${errorId}`,
  });
  const unavailable = h("p", { id: reasonId, class: "sso-unavailable", "data-testid": "sso-unavailable", hidden: true });
  const inForce = h("p", { class: "sso-in-force", "data-testid": "sso-in-force" });
  const updated = h("p", { class: "sso-updated hint", "data-testid": "sso-updated", hidden: true });
  const error = h("p", { id: errorId, class: "form-error", role: "alert", "data-testid": "sso-settings-error", hidden: true });
  const saved = h("p", { class: "sso-saved", role: "status", "data-testid": "sso-settings-saved", hidden: true });

  const el = h(
    "section",
    { class: "card sso-settings", "aria-labelledby": "sso-settings-title", "data-testid": "sso-settings" },
    h("h2", { class: "sso-settings-title", id: "sso-settings-title" }, icon("lock", 18), "Single sign-on"),
    provider,
    h(
      "div",
      { class: "switch-row sso-switch-row" },
      h("label", { for: switchId, class: "switch-label" }, "Require single sign-on for internal people"),
      toggle,
    ),
    h("p", { id: helpId, class: "hint sso-help", "data-testid": "sso-required-help" }, SSO_REQUIRED_HELP),
    unavailable,
    inForce,
    updated,
    error,
    saved,
  );

  function render(): void {
    if (!settings) return;
    const view = ssoSettingsView(settings, opts.people(), opts.meId);
    el.dataset.configured = String(settings.configured);
    provider.textContent = view.provider;
    provider.classList.toggle("is-off", !settings.configured);
    toggle.checked = view.checked;
    toggle.disabled = view.disabled;
    toggle.removeAttribute("aria-busy");
    unavailable.textContent = view.unavailable ?? "";
    unavailable.hidden = view.unavailable === null;
    inForce.textContent = view.inForce;
    updated.textContent = view.lastChange;
    updated.hidden = !view.lastChange;
  }

  function refused(e: unknown, fallback: string): void {
    if (e instanceof ApiError && e.status === 401) return opts.onSignedOut();
    error.textContent = e instanceof ApiError ? e.detail : fallback;
    error.hidden = false;
  }

  toggle.addEventListener("change", async () => {
    const wanted = toggle.checked;
    error.hidden = true;
    saved.hidden = true;
    toggle.disabled = true;
    toggle.setAttribute("aria-busy", "true");
    try {
      const answer = await api.requireSso(wanted);
      if (!alive) return;
      settings = answer;
      saved.textContent = savedMessage(answer.required_for_internal);
      saved.hidden = false;
    } catch (e) {
      if (!alive) return;
      refused(e, "The change could not be saved. Check your connection and try again.");
    }
    render(); // the server's answer (or, after a refusal, what it had before)
    toggle.focus();
  });

  void api.ssoSettings().then(
    (answer) => {
      if (!alive) return;
      settings = answer;
      render();
    },
    (e: unknown) => {
      if (!alive) return;
      provider.textContent = "";
      refused(e, "The single sign-on settings could not be loaded. Check your connection and try again.");
    },
  );

  return {
    el,
    peopleChanged: render,
    dispose: () => {
      alive = false;
    },
  };
}
