/**
 * Where approval stands, in the room header of internal roles only: the internal doc's
 * `computed.approval` = `{needed, status, label, covered}`, written by the server (`covered`: approved
 * because earlier approvals cover this version, with no request of its own). Customers get no badge and
 * no approval state at all: whether the deal is ready to sign is the rep's to say. Absent when there
 * is no policy.
 *
 * The internal doc lives in the internal chunk (its own socket); the approval panel there announces
 * its `computed` map with a bubbling DOM event, which the badge follows (`follow`), so the page needs
 * no handle on the internal chunk.
 */
import type * as Y from "yjs";
import { h, icon } from "../lib/dom";
import { ComputedBinding, plain } from "./computed";

/** Carries the internal doc's `computed` map (or null once unbound) from the approval panel upwards. */
export const APPROVAL_DOC_EVENT = "dealroom:approval-doc";

/** Tell the room header which internal `computed` map to follow; `from` must be in the page. */
export function announceApprovalDoc(from: HTMLElement, computed: Y.Map<unknown> | null): void {
  from.dispatchEvent(new CustomEvent<Y.Map<unknown> | null>(APPROVAL_DOC_EVENT, { bubbles: true, detail: computed }));
}

export type ApprovalStatusName = "no_approval_needed" | "needs_approval" | "pending" | "approved" | "rejected" | "unpriceable";

export interface ApprovalStatus {
  needed: boolean;
  /** The server's status; an unknown one is shown by its label, styled neutrally. */
  status: string;
  label: string;
  /** Approved because earlier approvals cover this version. */
  covered: boolean;
}

const LABELS: Record<ApprovalStatusName, string> = {
  no_approval_needed: "No approval needed",
  needs_approval: "Needs approval",
  pending: "Approval pending",
  approved: "Approved",
  rejected: "Approval rejected",
  unpriceable: "Cannot be priced",
};

const ICONS: Record<string, string> = {
  no_approval_needed: "check",
  needs_approval: "alert",
  pending: "clock",
  approved: "check",
  rejected: "close",
  unpriceable: "alert",
};

/** The internal `computed.approval`, or null when the server has not written one (no policy). */
export function readApprovalStatus(raw: unknown): ApprovalStatus | null {
  const v = plain(raw);
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const status = typeof r.status === "string" && r.status ? r.status : null;
  if (!status) return null;
  const covered = r.covered === true && status === "approved";
  const fallback = covered ? "Approved (covered)" : (LABELS[status as ApprovalStatusName] ?? status.replace(/_/g, " "));
  const label = typeof r.label === "string" && r.label.trim() ? r.label.trim() : fallback;
  return { needed: r.needed === true || (r.needed === undefined && status !== "no_approval_needed"), status, label, covered };
}

export interface ApprovalBadgeOptions {
  /** Internal roles: the badge is a button that shows the approval panel. */
  onActivate?: () => void;
}

export class ApprovalBadge {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private readonly mark: HTMLElement;
  private readonly live = new ComputedBinding(() => this.render());
  private scope: HTMLElement | null = null;
  private readonly onDoc = (e: Event) => {
    const map = (e as CustomEvent<Y.Map<unknown> | null>).detail;
    if (map) this.bind(map);
    else this.unbind();
  };

  constructor(opts: ApprovalBadgeOptions = {}) {
    this.text = h("span", { class: "approval-status-text" });
    this.mark = h("span", { class: "approval-status-icon", "aria-hidden": "true" });
    const attrs = { class: "approval-status", "data-testid": "approval-status", "data-status": "", hidden: true };
    if (opts.onActivate) {
      const run = opts.onActivate;
      this.el = h("button", { ...attrs, type: "button", title: "Show the approval steps", "aria-live": "polite" }, this.mark, this.text);
      this.el.addEventListener("click", () => run());
    } else {
      this.el = h("span", { ...attrs, role: "status", "aria-live": "polite" }, this.mark, this.text);
    }
  }

  bind(computed: Y.Map<unknown>): void {
    this.live.bind(computed);
  }

  unbind(): void {
    this.live.unbind();
    this.render();
  }

  /** Follow the internal `computed` map that the approval panel inside `scope` announces. */
  follow(scope: HTMLElement): void {
    this.scope?.removeEventListener(APPROVAL_DOC_EVENT, this.onDoc);
    this.scope = scope;
    scope.addEventListener(APPROVAL_DOC_EVENT, this.onDoc);
  }

  render(): void {
    const s = this.live.map ? readApprovalStatus(this.live.map.get("approval")) : null;
    this.el.hidden = s === null;
    if (this.el.dataset.status !== (s?.status ?? "")) this.el.dataset.status = s?.status ?? "";
    this.el.toggleAttribute("data-covered", s?.covered === true);
    if (!s) return;
    if (this.el.getAttribute("aria-label") === `Approval: ${s.label}` && this.mark.firstChild) return;
    if (this.text.textContent !== s.label) this.text.textContent = s.label;
    this.el.setAttribute("aria-label", `Approval: ${s.label}`);
    this.mark.replaceChildren(icon(ICONS[s.status] ?? "info", 14));
  }

  destroy(): void {
    this.scope?.removeEventListener(APPROVAL_DOC_EVENT, this.onDoc);
    this.scope = null;
    this.live.unbind();
  }
}
