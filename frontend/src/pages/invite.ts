/**
 * /invite/{token}: the customer's first visit. The page first says what the invitation is for (the
 * deal, who invited) and whether it can still be used; only an open one asks for a name and a
 * password, then lands in the room.
 */
import "./invite.css";
import { ApiError, api, type InvitationInfo } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate } from "../lib/router";
import { brand, busy, field, formError } from "./forms";

export const MIN_PASSWORD = 10;

export function invitePage(root: HTMLElement, token: string): void {
  document.title = "Join a deal room · Dealroom";
  const show = (card: HTMLElement) => mount(root, h("main", { class: "auth-page" }, h("div", { class: "auth-brand" }, brand()), card));
  show(h("div", { class: "auth-card", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), " Opening the invitation…"));
  api.invitation(token).then(
    (info) => show(info.status === "open" ? joinForm(token, info) : closedCard(info)),
    (e: unknown) => show(problemCard(e instanceof ApiError && e.status === 404 ? "This invitation link is not valid. Check that you opened the whole link from the email, or ask for a new one." : e instanceof ApiError ? e.detail : "The invitation could not be loaded. Check your connection and reload the page.")),
  );
}

/** "Acme — Platform renewal · Riley Rep invited you (buyer@acme.test)". */
function whatFor(info: InvitationInfo): HTMLElement {
  return h(
    "div",
    { class: "invite-deal", "data-testid": "invite-deal" },
    h("p", { class: "invite-deal-title" }, info.room_title || "A deal room"),
    h("p", { class: "invite-deal-meta" }, info.invited_by ? `${info.invited_by} invited you` : "You were invited", info.email ? ` (${info.email})` : "", info.customer_name ? ` for ${info.customer_name}.` : "."),
  );
}

function closedCard(info: InvitationInfo): HTMLElement {
  const used = info.status === "used";
  const asker = info.invited_by || "the person who invited you";
  return h(
    "div",
    { class: "auth-card", "data-testid": "invite-closed", "data-status": info.status },
    h("h1", { class: "auth-title" }, used ? "This invitation has already been used" : "This invitation has expired"),
    whatFor(info),
    h(
      "p",
      { class: "auth-lead", role: "alert" },
      used ? `Each invitation link works once. If you joined with it, sign in with ${info.email || "your email"} and your password. Otherwise ask ${asker} for a new link.` : `Invitation links work for a few days. Ask ${asker} for a new one.`,
    ),
    used ? h("a", { class: "btn btn-primary btn-block", href: "/signin", "data-testid": "invite-signin" }, "Sign in") : null,
  );
}

function problemCard(message: string): HTMLElement {
  return h("div", { class: "auth-card", "data-testid": "invite-closed" }, h("h1", { class: "auth-title" }, "Invitation not found"), h("p", { class: "auth-lead", role: "alert" }, message));
}

function joinForm(token: string, info: InvitationInfo): HTMLElement {
  const existing = info.has_account;
  const name = field({ label: "Your name", name: "name", autocomplete: "name", required: true });
  name.input.value = info.name;
  const password = field({
    label: existing ? "Your password" : "Choose a password",
    name: "password",
    type: "password",
    autocomplete: existing ? "current-password" : "new-password",
    required: true,
    minlength: existing ? undefined : MIN_PASSWORD,
    hint: existing ? `${info.email} already has an account: enter its password.` : `At least ${MIN_PASSWORD} characters.`,
  });
  const error = formError();
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Join the deal room");
  const form = h(
    "form",
    { class: "auth-card", novalidate: true, "aria-labelledby": "invite-title" },
    h("h1", { id: "invite-title", class: "auth-title" }, "You're invited to a deal room"),
    whatFor(info),
    h("p", { class: "auth-lead" }, "Review the terms and pricing with your account team and edit them together. Set up your access to continue."),
    error,
    existing ? null : name.wrap,
    password.wrap,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!existing && !name.input.value.trim()) {
      error.show("Enter your name.");
      name.input.focus();
      return;
    }
    if (!existing && password.input.value.length < MIN_PASSWORD) {
      error.show(`Choose a password of at least ${MIN_PASSWORD} characters.`);
      password.input.focus();
      return;
    }
    error.show(null);
    busy(submit, true, "Joining…");
    try {
      const result = await api.acceptInvitation(token, name.input.value.trim(), password.input.value);
      navigate(`/rooms/${encodeURIComponent(result.room_id)}`, { replace: true });
    } catch (e) {
      busy(submit, false, "");
      error.show(e instanceof ApiError ? e.detail : "Could not accept the invitation. Try again.");
    }
  });
  queueMicrotask(() => (existing ? password.input : name.input).focus());
  return form;
}
