/** /signin: email and password, then back to where the person was going; with an identity provider set up
 * on the server, "Sign in with single sign-on" first. */
import { ApiError, api } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate } from "../lib/router";
import { brand, busy, field, formError } from "./forms";
import "./signin.css";

/** What the page says when single sign-on sent the browser back with `?sso_error=REASON` (the server's
 * reasons, workspace/auth/sso_errors.py). Only these sentences are shown, never text from the link. */
export const SSO_ERRORS: Record<string, string> = {
  not_configured: "Single sign-on is not set up for this Dealroom.",
  unavailable: "The identity provider could not be reached. Try again in a minute.",
  busy: "Too many sign-ins were started from your network just now. Wait a minute and try again.",
  state: "This sign-in has expired or was already used. Start again with “Sign in with single sign-on”.",
  cancelled: "Sign-in was cancelled at the identity provider.",
  provider_error: "The identity provider did not sign you in.",
  token: "The identity provider's answer could not be verified, so you were not signed in.",
  no_email: "The identity provider did not share a verified email address for you.",
  no_role: "Your account at the identity provider has no Dealroom role. Ask your administrator for one.",
  customer: "This email belongs to a customer account: customers sign in with their email and password.",
  deactivated: "Your Dealroom account is deactivated. Ask an admin to reactivate it.",
};

export function ssoErrorMessage(reason: string | null): string | null {
  if (!reason) return null;
  return Object.hasOwn(SSO_ERRORS, reason) ? SSO_ERRORS[reason] : "Single sign-on did not sign you in. Try again.";
}

/** Where "Sign in with single sign-on" goes, so that the person comes back to `next`. */
export function ssoLoginUrl(loginUrl: string, next: string): string {
  return next === "/" ? loginUrl : `${loginUrl}?next=${encodeURIComponent(next)}`;
}

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
  // Shown once the server says an identity provider is set up.
  const sso = h("div", { class: "sso", "data-testid": "sso", hidden: true });
  const form = h(
    "form",
    { class: "auth-card", novalidate: true, "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title", class: "auth-title" }, "Sign in to Dealroom"),
    h("p", { class: "auth-lead" }, "Negotiate terms and pricing together, live."),
    error,
    sso,
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
  error.show(ssoErrorMessage(new URLSearchParams(location.search).get("sso_error")));
  document.title = "Sign in · Dealroom";
  mount(root, h("main", { class: "auth-page" }, h("div", { class: "auth-brand" }, brand()), form));
  email.input.focus();
  void api.sso().then(
    (status) => {
      if (!status.configured || !status.login_url) return;
      // target="_self": a real page load to the server (and on to the identity provider); the app's router
      // takes over only plain same-site links, and this one must leave the app.
      const link = h(
        "a",
        { href: ssoLoginUrl(status.login_url, next), target: "_self", class: "btn btn-primary btn-block", "data-testid": "sso-link" },
        "Sign in with single sign-on",
      );
      const note = status.required_for_internal
        ? "Company staff sign in with single sign-on. Customers: your email and password."
        : "or with your email and password";
      mount(sso, link, h("p", { class: "sso-divider" }, h("span", {}, note)));
      sso.hidden = false;
      submit.className = "btn btn-secondary btn-block";
    },
    () => {
      // Without an answer the password form still works; single sign-on is simply not offered.
    },
  );
}
