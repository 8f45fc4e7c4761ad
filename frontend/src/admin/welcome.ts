/** `/welcome/{token}`: a colleague an admin added chooses their password with the mailed link, then lands on
 * their rooms. A used or expired link says so (and whom to ask). */
import "../pages/invite.css";
import { adminApi } from "../lib/admin-api";
import { ApiError } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate } from "../lib/router";
import { brand, busy, field, formError } from "../pages/forms";
import { MIN_PASSWORD } from "../pages/invite";
import { userRoleLabel } from "../pages/labels";

export function welcomePage(root: HTMLElement, token: string): () => void {
  document.title = "Welcome · Dealroom";
  const show = (card: HTMLElement) => mount(root, h("main", { class: "auth-page" }, h("div", { class: "auth-brand" }, brand()), card));
  show(h("div", { class: "auth-card", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), " Opening the invitation…"));
  adminApi.welcome(token).then(
    (who) => show(passwordForm(token, who)),
    (e: unknown) =>
      show(
        h(
          "div",
          { class: "auth-card", "data-testid": "welcome-closed" },
          h("h1", { class: "auth-title" }, "This link cannot be used"),
          h("p", { class: "auth-lead", role: "alert" }, e instanceof ApiError ? e.detail : "The invitation could not be loaded. Check your connection and reload the page."),
          h("a", { class: "btn btn-primary btn-block", href: "/signin" }, "Sign in"),
        ),
      ),
  );
  return () => undefined;
}

function passwordForm(token: string, who: { email: string; name: string; role: string }): HTMLElement {
  const password = field({ label: "Choose a password", name: "password", type: "password", autocomplete: "new-password", required: true, minlength: MIN_PASSWORD, hint: `At least ${MIN_PASSWORD} characters.`, testid: "welcome-password" });
  const error = formError();
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "welcome-submit" }, "Start using Dealroom");
  const form = h(
    "form",
    { class: "auth-card", novalidate: true, "aria-labelledby": "welcome-title" },
    h("h1", { id: "welcome-title", class: "auth-title" }, `Welcome, ${who.name}`),
    h("p", { class: "auth-lead" }, `You join as ${userRoleLabel(who.role)} with ${who.email}.`),
    h("input", { type: "email", name: "email", autocomplete: "username", value: who.email, hidden: true }),
    error,
    password.wrap,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (password.input.value.length < MIN_PASSWORD) {
      error.show(`Choose a password of at least ${MIN_PASSWORD} characters.`);
      password.input.focus();
      return;
    }
    error.show(null);
    busy(submit, true, "Saving…");
    try {
      await adminApi.acceptWelcome(token, password.input.value);
      navigate("/", { replace: true });
    } catch (e) {
      busy(submit, false, "");
      error.show(e instanceof ApiError ? e.detail : "Could not save your password. Try again.");
    }
  });
  queueMicrotask(() => password.input.focus());
  return form;
}
