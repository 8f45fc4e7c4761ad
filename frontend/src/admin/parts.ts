/** Pieces every admin screen shares: the admin sections' nav, the audit trail of the screen's changes, a price
 * book diff, and the "admins only" page. */
import "./admin.css";
import { adminApi, type BookDiff } from "../lib/admin-api";
import { ApiError } from "../lib/api";
import { h, icon } from "../lib/dom";
import { auditLine, describeChange, diffSummary } from "./model";

const SECTIONS = [
  { href: "/people", label: "People", key: "people" },
  { href: "/admin/pricebook", label: "Price book", key: "pricebook" },
  { href: "/admin/policy", label: "Approval policy", key: "policy" },
  { href: "/admin/templates", label: "Room templates", key: "templates" },
  { href: "/plan", label: "Incentive plan", key: "plan" },
  { href: "/enablement", label: "Enablement cards", key: "enablement" },
] as const;

export type AdminSection = (typeof SECTIONS)[number]["key"];

export function adminNav(current: AdminSection): HTMLElement {
  return h(
    "nav",
    { class: "admin-nav", "aria-label": "Admin" },
    SECTIONS.map((s) =>
      h("a", { href: s.href, class: "admin-nav-link", "data-testid": `admin-nav-${s.key}`, "aria-current": s.key === current ? "page" : undefined }, s.label),
    ),
  );
}

/** "Changes" for admins: the newest audit events of `kind` (a prefix such as `pricebook.`); `reload` fetches again. */
export function auditTrail(kind: string, title = "History of changes"): { el: HTMLElement; reload(): Promise<void> } {
  const list = h("ol", { class: "audit-list", "data-testid": "audit-list" });
  const status = h("p", { class: "muted audit-status", role: "status" });
  const el = h("section", { class: "card audit-card", "aria-label": title }, h("h2", { class: "card-title" }, title), status, list);
  async function reload(): Promise<void> {
    try {
      const { events } = await adminApi.audit(kind);
      status.textContent = events.length ? "" : "No changes recorded yet.";
      list.replaceChildren(
        ...events.map((event) =>
          h(
            "li",
            { class: "audit-item", "data-testid": "audit-item", "data-kind": event.kind },
            h("span", { class: "audit-what" }, auditLine(event)),
            h("time", { class: "audit-when muted", datetime: event.at }, new Date(event.at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })),
          ),
        ),
      );
    } catch (e) {
      status.textContent = e instanceof ApiError ? e.detail : "The history could not be loaded.";
    }
  }
  void reload();
  return { el, reload };
}

/** A diff of two price books: products added, removed, changed (each field with before → after). */
export function diffView(diff: BookDiff, testid = "pricebook-diff"): HTMLElement {
  const items: HTMLElement[] = [];
  for (const p of diff.added) items.push(h("li", { class: "diff-item diff-added", "data-sku": p.sku }, h("strong", {}, "Added "), `${p.sku} · ${p.name}`));
  for (const p of diff.removed) items.push(h("li", { class: "diff-item diff-removed", "data-sku": p.sku }, h("strong", {}, "Removed "), `${p.sku} · ${p.name}`));
  for (const p of diff.changed) {
    items.push(
      h(
        "li",
        { class: "diff-item diff-changed", "data-sku": p.sku },
        h("strong", {}, `${p.sku} · ${p.name}`),
        h("ul", { class: "diff-fields" }, p.changes.map((c) => h("li", { "data-field": c.field }, describeChange(c)))),
      ),
    );
  }
  for (const c of diff.book) items.push(h("li", { class: "diff-item" }, describeChange(c)));
  return h(
    "div",
    { class: "book-diff", "data-testid": testid },
    h("p", { class: "diff-summary", "data-testid": `${testid}-summary` }, diffSummary(diff)),
    items.length ? h("ul", { class: "diff-list" }, items) : null,
  );
}

export function adminsOnly(what: string): HTMLElement {
  return h(
    "main",
    { class: "page page-center", "data-testid": "admins-only" },
    h("h1", { class: "page-title" }, `Only admins change ${what}`),
    h("p", { class: "page-lead" }, "Ask an admin of your company."),
    h("a", { href: "/", class: "btn btn-primary" }, icon("back", 16), "Go to your rooms"),
  );
}
