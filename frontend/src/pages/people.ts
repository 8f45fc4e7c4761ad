/**
 * `/people` (own chunk): the company's people for admins — role, active or not, who they report to
 * (saved on change), and Deactivate for someone who left: after a confirm step the server signs them
 * out everywhere and hands their pending approvals to their manager (or an admin). Reactivate brings
 * an account back. Phones: a card per person; desktop: one row per person under column headings.
 * Under the people, whether staff must sign in with single sign-on (sso-settings.ts).
 */
import "./people.css";
import { ApiError, api, isAdmin, type Me, type Person, type PersonChange } from "../lib/api";
import { h, icon, mount, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { busy, pageNotice } from "./forms";
import { ssoSettingsSection } from "./sso-settings";
import { userRoleLabel } from "./labels";
import { appBar } from "./rooms";
import { adminApi } from "../lib/admin-api";
import { adminNav, auditTrail } from "../admin/parts";

/** The internal roles an admin may give, in the order of the company's ladder. */
export const INTERNAL_ROLES = ["rep", "sales_manager", "vp_sales", "finance", "legal", "admin"];

export interface ManagerOption {
  /** The manager's email ("" for none), as `PATCH /api/users/{id}` takes it. */
  value: string;
  label: string;
}

/** Who may be someone's manager: every other internal person (inactive ones say so), by name. */
export function managerOptions(person: Person, people: Person[]): ManagerOption[] {
  const others = people
    .filter((p) => p.id !== person.id)
    .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email))
    .map((p) => ({ value: p.email, label: p.active ? p.name : `${p.name} (inactive)` }));
  return [{ value: "", label: "No manager" }, ...others];
}

/** The email of the person's manager, "" for none (or one not in the list). */
export function managerEmail(person: Person, people: Person[]): string {
  return people.find((p) => p.id === person.manager_id)?.email ?? "";
}

/** The body that sets a manager from the select's value: an email, or null for none. */
export function managerChange(value: string): PersonChange {
  return { manager: value.trim() ? value.trim() : null };
}

export function stateLabel(person: Pick<Person, "active">): string {
  return person.active ? "Active" : "Inactive";
}

/** Where the server sends a leaver's pending approvals: their manager while active, else an admin. */
function approvalsGoTo(person: Person, people: Person[]): { manager: Person | null; text: string } {
  const manager = people.find((p) => p.id === person.manager_id && p.id !== person.id && p.active) ?? null;
  return manager ? { manager, text: `their manager, ${manager.name}` } : { manager: null, text: "an admin" };
}

/** The confirm step's words: what deactivating does. */
export function deactivateWarning(person: Person, people: Person[]): string {
  const { manager, text } = approvalsGoTo(person, people);
  const approvals = manager
    ? `Their pending approvals go to ${text}.`
    : "They have no active manager, so their pending approvals go to an admin.";
  return `${person.name} will be signed out everywhere at once and can no longer sign in. ${approvals} You can reactivate them later.`;
}

export function peoplePage(root: HTMLElement, me: Me): () => void {
  document.title = "People · Dealroom";
  if (!isAdmin(me)) {
    mount(root, appBar(me, "people"), adminsOnly());
    return () => undefined;
  }
  let alive = true;
  let people: Person[] = [];
  const confirming = new Set<number>();
  const errors = new Map<number, string>();

  const list = h("ul", { class: "people-list", "aria-labelledby": "people-title", "data-testid": "people-list" });
  const columns = h(
    "div",
    { class: "people-columns", "aria-hidden": "true" },
    h("span", {}, "Person"),
    h("span", {}, "Role"),
    h("span", {}, "Status"),
    h("span", {}, "Manager"),
    h("span", {}, ""),
  );
  const status = h("p", { class: "list-status", role: "status" });
  const notice = pageNotice("people-notice", 10_000, "success");
  const say = notice.say;
  const loadingEl = h("div", { class: "page-loading people-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading people…");
  const table = h("div", { class: "people-table", hidden: true }, columns, list);
  const trail = auditTrail("user.", "History of changes");
  const addForm = colleagueForm(async (message) => {
    say(message);
    await load();
    void trail.reload();
  });
  const sso = ssoSettingsSection({ meId: me.id, people: () => people, onSignedOut: () => navigate(signInUrl(), { replace: true }) });

  function refused(e: unknown, fallback: string): string | null {
    if (e instanceof ApiError && e.status === 401) {
      navigate(signInUrl(), { replace: true });
      return null;
    }
    return e instanceof ApiError ? e.detail : fallback;
  }

  /** Draw every row again (option labels say who is inactive), then put focus where the person acted. */
  function render(focus?: { id: number; testid: string }): void {
    list.replaceChildren(...people.map(row));
    table.hidden = false;
    status.textContent = people.length ? "" : "No people yet.";
    if (focus) list.querySelector<HTMLElement>(`[data-person-id="${focus.id}"] [data-testid="${focus.testid}"]`)?.focus();
  }

  async function change(person: Person, body: PersonChange, focus: string): Promise<Person | null> {
    errors.delete(person.id);
    try {
      const updated = await api.changePerson(person.id, body);
      if (!alive) return null;
      people = people.map((p) => (p.id === updated.id ? { ...p, ...updated } : p));
      return updated;
    } catch (e) {
      if (!alive) return null;
      const message = refused(e, "The change could not be saved. Check your connection and try again.");
      if (message === null) return null;
      errors.set(person.id, message);
      render({ id: person.id, testid: focus });
      return null;
    }
  }

  function roleSelect(person: Person): HTMLElement {
    const select = h("select", { class: "input input-role", "data-testid": "person-role", "aria-label": `Role of ${person.name}` });
    for (const role of INTERNAL_ROLES) select.append(h("option", { value: role }, userRoleLabel(role)));
    select.value = person.role;
    select.addEventListener("change", async () => {
      select.disabled = true;
      const updated = await change(person, { role: select.value }, "person-role");
      if (!updated) return;
      say(`${updated.name} is now ${userRoleLabel(updated.role)}.`);
      render({ id: person.id, testid: "person-role" });
      void trail.reload();
    });
    return h("p", { class: "person-role" }, select);
  }

  function resendButton(person: Person): HTMLElement {
    const button = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-testid": "person-reinvite", title: `${person.name} has not chosen a password yet` }, "Resend invitation");
    button.addEventListener("click", async () => {
      busy(button, true, "Sending…");
      try {
        const { invitation_url } = await adminApi.reinvite(person.id);
        say(`A new invitation went to ${person.email}; the old link no longer works. Their link: ${invitation_url}`);
        void trail.reload();
      } catch (e) {
        const message = refused(e, "The invitation could not be sent.");
        if (message !== null) say(message, "error");
      } finally {
        busy(button, false, "");
      }
    });
    return button;
  }

  function row(person: Person): HTMLElement {
    const self = person.id === me.id;
    const nameId = uid("person-name");
    const managerId = uid("person-manager");
    const errorId = uid("person-error");
    const confirmId = uid("person-confirm");

    const currentManager = people.find((p) => p.id === person.manager_id) ?? null;
    const hintId = uid("person-hint");
    const select = h("select", { id: managerId, class: "input", "data-testid": "person-manager", "aria-describedby": `${errorId} ${hintId}` });
    for (const option of managerOptions(person, people)) select.append(h("option", { value: option.value }, option.label));
    select.value = managerEmail(person, people);
    select.addEventListener("change", async () => {
      const chosen = select.value;
      select.disabled = true;
      select.setAttribute("aria-busy", "true");
      const updated = await change(person, managerChange(chosen), "person-manager");
      if (!updated) return;
      const manager = people.find((p) => p.id === updated.manager_id);
      say(manager ? `${updated.name} now reports to ${manager.name}.` : `${updated.name} has no manager now.`);
      render({ id: person.id, testid: "person-manager" });
    });

    const error = h("p", { id: errorId, class: "form-error person-error", role: "alert", "data-testid": "person-error", hidden: !errors.has(person.id) }, errors.get(person.id) ?? "");

    let action: HTMLElement;
    let confirm: HTMLElement | null = null;
    if (self) {
      action = h("span", { class: "person-self muted" }, "This is you");
    } else if (person.active) {
      const deactivate = h(
        "button",
        { type: "button", class: "btn btn-secondary btn-danger-outline", "data-testid": "person-deactivate", "aria-describedby": nameId, "aria-expanded": String(confirming.has(person.id)), "aria-controls": confirmId },
        "Deactivate",
      );
      action = deactivate;
      const yes = h("button", { type: "button", class: "btn btn-danger", "data-testid": "person-deactivate-confirm" }, `Deactivate ${person.name}`);
      const no = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "person-deactivate-cancel" }, "Cancel");
      const warningId = uid("person-warning");
      confirm = h(
        "div",
        { id: confirmId, class: "person-confirm", role: "group", "aria-labelledby": warningId, "data-testid": "person-confirm", hidden: !confirming.has(person.id) },
        h("p", { id: warningId, class: "person-confirm-text" }, h("span", { class: "person-confirm-icon" }, icon("alert", 18)), h("span", {}, deactivateWarning(person, people))),
        h("div", { class: "person-confirm-buttons" }, yes, no),
      );
      const close = () => {
        confirming.delete(person.id);
        confirm!.hidden = true;
        deactivate.setAttribute("aria-expanded", "false");
        deactivate.focus();
      };
      deactivate.addEventListener("click", () => {
        if (confirming.has(person.id)) return close();
        confirming.add(person.id);
        confirm!.hidden = false;
        deactivate.setAttribute("aria-expanded", "true");
        no.focus(); // the safe choice has the focus; one more press deactivates
      });
      no.addEventListener("click", close);
      confirm.addEventListener("keydown", (event) => {
        if (event.key === "Escape") close();
      });
      yes.addEventListener("click", async () => {
        busy(yes, true, "Deactivating…");
        no.disabled = true;
        const to = approvalsGoTo(person, people).text;
        const updated = await change(person, { active: false }, "person-deactivate");
        if (!updated) return;
        confirming.delete(person.id);
        say(`${updated.name} is deactivated and signed out everywhere. Their pending approvals went to ${to}.`);
        render({ id: person.id, testid: "person-reactivate" });
      });
    } else {
      const reactivate = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "person-reactivate", "aria-describedby": nameId }, "Reactivate");
      action = reactivate;
      reactivate.addEventListener("click", async () => {
        busy(reactivate, true, "Reactivating…");
        const updated = await change(person, { active: true }, "person-reactivate");
        if (!updated) return;
        say(`${updated.name} is active again and can sign in. Approvals that moved to someone else stay there.`);
        render({ id: person.id, testid: "person-deactivate" });
      });
    }

    return h(
      "li",
      { class: `person card${person.active ? "" : " is-inactive"}`, "data-testid": "person", "data-email": person.email, "data-person-id": person.id, "data-active": String(person.active), "aria-labelledby": nameId },
      h(
        "div",
        { class: "person-main" },
        h("h2", { class: "person-name", id: nameId }, person.name, self ? h("span", { class: "person-you" }, " (you)") : null),
        h("p", { class: "person-email" }, person.email),
      ),
      self
        ? h("p", { class: "person-role" }, h("span", { class: "visually-hidden" }, "Role: "), h("span", { class: "badge badge-role" }, userRoleLabel(person.role)))
        : roleSelect(person),
      h("p", { class: "person-state" }, h("span", { class: "visually-hidden" }, "Status: "), h("span", { class: `state-chip${person.active ? " is-active" : ""}`, "data-testid": "person-state" }, stateLabel(person))),
      h(
        "div",
        { class: "field person-manager" },
        h("label", { for: managerId, class: "label person-manager-label" }, "Manager"),
        select,
        currentManager && !currentManager.active ? h("p", { id: hintId, class: "person-hint", "data-testid": "person-manager-inactive" }, `${currentManager.name} is inactive`) : null,
      ),
      h("div", { class: "person-actions" }, action, person.invited && person.active ? resendButton(person) : null),
      confirm,
      error,
    );
  }

  async function load(): Promise<void> {
    try {
      const { users } = await api.people();
      if (!alive) return;
      loadingEl.remove();
      people = Array.isArray(users) ? users : [];
      render();
      sso.peopleChanged();
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 403) return mount(root, appBar(me, "people"), adminsOnly());
      const message = refused(e, "The people could not be loaded. Check your connection and try again.");
      if (message !== null) loadingEl.replaceChildren(message);
    }
  }

  const main = h(
    "main",
    { class: "page page-people" },
    adminNav("people"),
    h(
      "div",
      { class: "page-head" },
      h(
        "div",
        {},
        h("a", { href: "/", class: "page-back" }, icon("back", 16), "Rooms"),
        h("h1", { class: "page-title", id: "people-title" }, "People"),
        h("p", { class: "page-lead" }, "Your company’s people: who reports to whom, who has left, and how staff sign in."),
      ),
    ),
    notice.el,
    addForm,
    loadingEl,
    status,
    table,
    trail.el,
    sso.el,
  );
  mount(root, appBar(me, "people"), main);
  void load();
  return () => {
    alive = false;
    notice.dispose();
    sso.dispose();
  };
}

/** "Add a colleague": an internal account with a role; the server mails them a link to choose a password. */
function colleagueForm(done: (message: string) => Promise<void>): HTMLElement {
  const email = h("input", { class: "input", type: "email", autocomplete: "off", placeholder: "name@company.com", "aria-label": "Email", "data-testid": "colleague-email", required: true });
  const name = h("input", { class: "input", autocomplete: "off", placeholder: "Full name", "aria-label": "Name", "data-testid": "colleague-name", required: true });
  const role = h("select", { class: "input", "aria-label": "Role", "data-testid": "colleague-role" });
  for (const r of INTERNAL_ROLES) role.append(h("option", { value: r }, userRoleLabel(r)));
  const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "colleague-add" }, icon("plus", 16), "Add and invite");
  const error = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "colleague-error" });
  const form = h(
    "form",
    { class: "card colleague-form", novalidate: true, "aria-labelledby": "colleague-title" },
    h("h2", { class: "card-title", id: "colleague-title" }, "Add a colleague"),
    h("div", { class: "colleague-fields" }, email, name, role, submit),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!email.value.includes("@") || !name.value.trim()) {
      error.textContent = "Enter the colleague's email and name.";
      error.hidden = false;
      return;
    }
    busy(submit, true, "Adding…");
    try {
      const added = await adminApi.addColleague({ email: email.value.trim(), name: name.value.trim(), role: role.value });
      email.value = name.value = "";
      await done(`${added.user.name} is added and invited by mail. Their link: ${added.invitation_url}`);
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.detail : "The colleague could not be added.";
      error.hidden = false;
    } finally {
      busy(submit, false, "");
    }
  });
  return form;
}

function adminsOnly(): HTMLElement {
  return h(
    "main",
    { class: "page page-center", "data-testid": "people-admins-only" },
    h("h1", { class: "page-title" }, "Only admins manage people"),
    h("p", { class: "page-lead" }, "Ask an admin of your company to change someone’s manager or to deactivate someone who left."),
    h("a", { href: "/", class: "btn btn-primary" }, "Go to your rooms"),
  );
}
