/**
 * The inbox's "Away? Let someone decide for you" section: name a colleague and the days, and the steps
 * waiting on you go to their inbox too for those days (`POST /api/approvals/delegations`); the list
 * shows the delegations you gave and received, with Revoke on yours that are to come or in force.
 */
import { ApiError, api, type Delegation, type Me } from "../lib/api";
import { h, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { delegationBody, delegationDays, delegationLabel, delegationPeople, localDay, mayRevoke, orderDelegations, STATE_LABELS } from "./delegation-view";
import { busy, formError } from "./forms";

export interface DelegationSection {
  el: HTMLElement;
  /** Fetch the list again. */
  load(): Promise<void>;
  dispose(): void;
}

export function delegationSection(me: Me): DelegationSection {
  let alive = true;
  let seq = 0;
  const headingId = uid("delegation-heading");
  const toId = uid("delegation-to");
  const startId = uid("delegation-start");
  const endId = uid("delegation-end");
  const hintId = uid("delegation-hint");

  const today = localDay();
  const to = h("input", {
    id: toId,
    type: "email",
    name: "to",
    class: "input",
    autocomplete: "off",
    inputmode: "email",
    placeholder: "colleague@company.com",
    required: true,
    "aria-describedby": hintId,
    "data-testid": "delegation-to",
  });
  const start = h("input", { id: startId, type: "date", name: "starts_at", class: "input", required: true, "data-testid": "delegation-start" });
  start.value = today;
  const end = h("input", { id: endId, type: "date", name: "ends_at", class: "input", required: true, "aria-describedby": hintId, "data-testid": "delegation-end" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "delegation-submit" }, "Delegate");
  const error = formError();
  error.setAttribute("data-testid", "delegation-error");
  const done = h("p", { class: "delegation-done", role: "status", "aria-live": "polite" });
  const list = h("ul", { class: "delegation-list", "aria-label": "Your delegations", "data-testid": "delegation-list" });
  const none = h("p", { class: "delegation-none muted", hidden: true }, "No delegations yet.");

  const form = h(
    "form",
    { class: "delegation-form", novalidate: true, "aria-labelledby": headingId, "data-testid": "delegation-form" },
    h("div", { class: "field delegation-field-to" }, h("label", { for: toId, class: "label" }, "Who decides for you"), to),
    h("div", { class: "field" }, h("label", { for: startId, class: "label" }, "From"), start),
    h("div", { class: "field" }, h("label", { for: endId, class: "label" }, "Until (last day)"), end),
    h("div", { class: "delegation-actions" }, submit),
  );

  function fail(message: string, field?: HTMLInputElement): void {
    error.show(message);
    for (const input of [to, start, end]) input.removeAttribute("aria-invalid");
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    done.textContent = "";
    if (!to.value.trim()) return fail("Enter the email of the colleague who decides for you.", to);
    if (!start.value) return fail("Choose the first day.", start);
    if (!end.value) return fail("Choose the last day they decide for you.", end);
    error.show(null);
    for (const input of [to, start, end]) input.removeAttribute("aria-invalid");
    busy(submit, true, "Delegating…");
    try {
      const made = await api.delegate(delegationBody(to.value, start.value, end.value));
      if (!alive) return;
      done.textContent = `${made.to.name} decides for you, ${delegationDays(made)}.`;
      to.value = "";
      end.value = "";
      start.value = localDay();
      await load();
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      // The server's own words: bad or reversed dates, too long, in the past, to yourself, unknown person.
      const detail = e instanceof ApiError ? e.detail : "The delegation could not be saved. Check your connection and try again.";
      const field = e instanceof ApiError && (e.status === 422 || /someone else/.test(detail)) ? to : /ends_at|days|past/.test(detail) ? end : /starts_at/.test(detail) ? start : undefined;
      fail(detail, field);
    } finally {
      if (alive) busy(submit, false, "");
    }
  });

  function item(d: Delegation): HTMLElement {
    const label = delegationLabel(d, me);
    const days = [delegationDays(d), STATE_LABELS[d.state] ?? d.state].filter(Boolean).join(", ");
    const revoke = mayRevoke(d, me)
      ? h("button", { type: "button", class: "btn btn-secondary", "data-testid": "delegation-revoke", "aria-label": `Revoke: ${label}` }, "Revoke")
      : null;
    revoke?.addEventListener("click", async () => {
      busy(revoke, true, "Revoking…");
      try {
        await api.revokeDelegation(d.id);
        if (!alive) return;
        done.textContent = d.from.id === me.id ? `Revoked: ${d.to.name} no longer decides for you.` : `Revoked: ${delegationPeople(d, me)}.`;
        await load();
        // The button is gone with its row: keep the keyboard in the section.
        if (!section.contains(document.activeElement)) to.focus();
      } catch (e) {
        if (!alive) return;
        if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
        busy(revoke, false, "");
        error.show(e instanceof ApiError ? e.detail : "The delegation could not be revoked. Check your connection and try again.");
      }
    });
    return h(
      "li",
      { class: "delegation-item", "data-testid": "delegation-item", "data-delegation-id": d.id, "data-state": d.state },
      h(
        "span",
        { class: "delegation-text" },
        h("span", { class: "delegation-who" }, delegationPeople(d, me)),
        h("span", { class: "visually-hidden" }, ", "),
        h("span", { class: "delegation-days" }, days),
      ),
      revoke,
    );
  }

  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const { delegations } = await api.delegations();
      if (!alive || mine !== seq) return;
      const shown = orderDelegations(Array.isArray(delegations) ? delegations : []);
      list.replaceChildren(...shown.map(item));
      none.hidden = shown.length > 0;
    } catch (e) {
      if (!alive || mine !== seq) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      none.hidden = false;
      none.textContent = e instanceof ApiError ? e.detail : "Your delegations could not be loaded.";
    }
  }

  const section = h(
    "section",
    { class: "card delegation", "aria-labelledby": headingId, "data-testid": "delegation-section" },
    h("h2", { id: headingId, class: "card-title" }, "Away? Let someone decide for you"),
    h("p", { id: hintId, class: "delegation-lead muted" }, "For the days you choose, the approvals waiting on you also go to their inbox. The last day is included."),
    form,
    error,
    done,
    list,
    none,
  );
  return {
    el: section,
    load,
    dispose: () => {
      alive = false;
    },
  };
}
