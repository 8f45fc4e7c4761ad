/** /signin: email and password, then back to where the person was going. */
import { ApiError, api } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate } from "../lib/router";
import { brand, busy, field, formError } from "./forms";

export function signInPage(root: HTMLElement, next: string): void {
  const email = field({ label: "Work email", name: "email", type: "email", autocomplete: "username", required: true });
  const password = field({
    label: "Password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const error = formError();
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Sign in");
  const form = h(
    "form",
    { class: "auth-card", novalidate: true, "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title", class: "auth-title" }, "Sign in to Dealroom"),
    h("p", { class: "auth-lead" }, "Negotiate terms and pricing together, live."),
    error,
    email.wrap,
    password.wrap,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!email.input.value.trim() || !password.input.value) {
      error.show("Enter your email and password.");
      (email.input.value.trim() ? password.input : email.input).focus();
      return;
    }
    error.show(null);
    busy(submit, true, "Signing in…");
    try {
      await api.signIn(email.input.value.trim(), password.input.value);
      navigate(next, { replace: true });
    } catch (e) {
      busy(submit, false, "");
      error.show(e instanceof ApiError ? e.detail : "Sign-in failed. Try again.");
      password.input.select();
    }
  });
  document.title = "Sign in · Dealroom";
  mount(root, h("main", { class: "auth-page" }, h("div", { class: "auth-brand" }, brand()), form));
  email.input.focus();
}
