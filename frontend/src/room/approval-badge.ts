/**
 * Where approval stands, for everyone in the room (customers too): the shared doc's
 * `computed.approval` = `{needed, status, label}`, written by the server. It names no approver, no
 * reason and no comment — those live in the internal doc only. Absent when there is no policy.
 */
import type * as Y from "yjs";
import { h, icon } from "../lib/dom";
import { ComputedBinding, plain } from "./computed";

export type ApprovalStatusName = "no_approval_needed" | "needs_approval" | "pending" | "approved" | "rejected";

export interface ApprovalStatus {
  needed: boolean;
  /** The server's status; an unknown one is shown by its label, styled neutrally. */
  status: string;
  label: string;
}

const LABELS: Record<ApprovalStatusName, string> = {
  no_approval_needed: "No approval needed",
  needs_approval: "Needs approval",
  pending: "Approval pending",
  approved: "Approved",
  rejected: "Approval rejected",
};

const ICONS: Record<string, string> = {
  no_approval_needed: "check",
  needs_approval: "alert",
  pending: "clock",
  approved: "check",
  rejected: "close",
};

/** The shared `computed.approval`, or null when the server has not written one (no policy). */
export function readApprovalStatus(raw: unknown): ApprovalStatus | null {
  const v = plain(raw);
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const status = typeof r.status === "string" && r.status ? r.status : null;
  if (!status) return null;
  const label = typeof r.label === "string" && r.label.trim() ? r.label.trim() : (LABELS[status as ApprovalStatusName] ?? status.replace(/_/g, " "));
  return { needed: r.needed === true || (r.needed === undefined && status !== "no_approval_needed"), status, label };
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
  }

  render(): void {
    const s = this.live.map ? readApprovalStatus(this.live.map.get("approval")) : null;
    this.el.hidden = s === null;
    if (this.el.dataset.status !== (s?.status ?? "")) this.el.dataset.status = s?.status ?? "";
    if (!s) return;
    if (this.el.getAttribute("aria-label") === `Approval: ${s.label}` && this.mark.firstChild) return;
    if (this.text.textContent !== s.label) this.text.textContent = s.label;
    this.el.setAttribute("aria-label", `Approval: ${s.label}`);
    this.mark.replaceChildren(icon(ICONS[s.status] ?? "info", 14));
  }

  destroy(): void {
    this.unbind();
  }
}
