/** /invite/{token}: the customer's first visit. They name themselves, choose a password, and land in the room. */
import { ApiError, api } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate } from "../lib/router";
import { brand, busy, field, formError } from "./forms";

export const MIN_PASSWORD = 10;

export function invitePage(root: HTMLElement, token: string): void {
  const name = field({ label: "Your name", name: "name", autocomplete: "name", required: true });
  const password = field({
    label: "Choose a password",
    name: "password",
    type: "password",
    autocomplete: "new-password",
    required: true,
    minlength: MIN_PASSWORD,
    hint: `At least ${MIN_PASSWORD} characters.`,
  });
  const error = formError();
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Join the deal room");
  const form = h(
    "form",
    { class: "auth-card", novalidate: true, "aria-labelledby": "invite-title" },
    h("h1", { id: "invite-title", class: "auth-title" }, "You're invited to a deal room"),
    h(
      "p",
      { class: "auth-lead" },
      "Review the terms and pricing with your account team and edit them together. Set up your access to continue.",
    ),
    error,
    name.wrap,
    password.wrap,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.input.value.trim()) {
      error.show("Enter your name.");
      name.input.focus();
      return;
    }
    if (password.input.value.length < MIN_PASSWORD) {
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
  document.title = "Join a deal room · Dealroom";
  mount(root, h("main", { class: "auth-page" }, h("div", { class: "auth-brand" }, brand()), form));
  name.input.focus();
}
