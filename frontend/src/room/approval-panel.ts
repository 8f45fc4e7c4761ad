/**
 * The approval panel (internal chunk only): the steps this version of the deal needs, why, and who
 * decides; once submitted, where each step stands, who decided with what comment, who it waits on
 * and since when. The rep submits and recalls here; an approver of a pending step may decide here
 * too. Bound live to the internal doc's `computed.approvals` (the server's; only read here), which it
 * also announces to the room header's badge (`announceApprovalDoc`). A step that approvals of an earlier
 * version still cover shows as approved, with whose approval of what covers it.
 */
import "./approval-panel.css";
import type * as Y from "yjs";
import { ApiError, api, decisionBody, type DecisionChoice } from "../lib/api";
import { h, icon, uid } from "../lib/dom";
import { ago, clockTime } from "../lib/when";
import { DecisionControl } from "../pages/decision";
import { announceApprovalDoc } from "./approval-badge";
import { ComputedBinding, plain } from "./computed";
import { approvalsView, canRecall, canSubmit, joinNames, type ApprovalsView, type StepView } from "./approval-view";

export interface ApprovalPanelOptions {
  roomId: string;
  /** The rep submits and recalls. */
  isRep: boolean;
  /** The viewer's user id: "you", and the steps they may decide. */
  meId?: number;
  /** A passing message (the room's notice bar). */
  notify?: (message: string, tone?: "info" | "error") => void;
}

/** "since 14:02 (5 min ago)". */
function sinceText(iso: string | null, now = Date.now()): string {
  const clock = clockTime(iso, now);
  return clock ? `since ${clock} (${ago(iso, now)})` : "";
}

export class ApprovalPanel {
  readonly el: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly steps: HTMLElement;
  private readonly error: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly submit: HTMLButtonElement;
  private readonly recall: HTMLButtonElement;
  private readonly submitted: HTMLElement;
  private lastJson = "\u0000";
  private view: ApprovalsView = approvalsView(undefined);
  /** A submit answered but not yet shown by the doc: no second submit of the same version meanwhile. */
  private submittedFor: string | null = null;
  private busy = false;
  /** Decision controls by request/step, kept across renders so a comment being written survives. */
  private readonly controls = new Map<string, DecisionControl>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly live = new ComputedBinding(() => this.refresh());

  constructor(private readonly opts: ApprovalPanelOptions) {
    this.summary = h("p", { class: "approval-summary", "data-testid": "approval-summary" });
    this.steps = h("ol", { class: "approval-steps", "aria-label": "Approval steps" });
    this.error = h("p", { class: "field-error", role: "alert", "data-testid": "approval-error", hidden: true });
    this.submit = h("button", { type: "button", class: "btn btn-primary", "data-testid": "approval-submit" }, icon("check", 16), "Submit for approval");
    this.recall = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "approval-recall" }, "Recall request");
    this.submitted = h("p", { class: "hint approval-submitted" });
    this.actions = h("div", { class: "approval-actions" }, this.submit, this.recall);
    this.submit.addEventListener("click", () => void this.onSubmit());
    this.recall.addEventListener("click", () => void this.onRecall());
    this.el = h("div", { class: "approval-panel", "data-testid": "approval-panel", "data-tone": "ok" }, this.summary, this.steps, this.submitted, this.error, opts.isRep ? this.actions : null);
    // "5 min ago" goes stale: refresh the times now and then (the rest re-renders on changes).
    this.timer = setInterval(() => {
      const focusInside = this.steps.contains(document.activeElement);
      if (!focusInside && ![...this.controls.values()].some((c) => c.engaged)) this.render();
    }, 30_000);
    this.render();
  }

  bind(computed: Y.Map<unknown>): void {
    this.live.bind(computed);
    announceApprovalDoc(this.el, computed);
  }

  unbind(): void {
    if (this.live.map) announceApprovalDoc(this.el, null);
    this.live.unbind();
  }

  /** Re-render when `computed.approvals` changed (the quote changes far more often). */
  private refresh(): void {
    const raw = this.live.map?.get("approvals");
    const json = JSON.stringify(plain(raw) ?? null);
    if (json === this.lastJson) return;
    this.lastJson = json;
    this.view = approvalsView(raw, this.opts.meId);
    if (this.view.request || this.view.fingerprint !== this.submittedFor) this.submittedFor = null;
    this.render();
  }

  private render(): void {
    const v = this.view;
    this.el.dataset.tone = v.tone;
    this.el.dataset.state = v.request?.state ?? (v.steps.length ? v.status : "none");
    if (!v.present) {
      this.summary.textContent = "No approval policy applies yet. Once the deal is priced, the steps it needs show here.";
      this.steps.replaceChildren();
    } else {
      this.summary.textContent = v.summary;
      const keep = new Set<string>();
      this.steps.replaceChildren(...v.steps.map((s) => this.stepItem(s, keep)));
      for (const key of [...this.controls.keys()]) if (!keep.has(key)) this.controls.delete(key);
    }
    const r = v.request;
    this.submitted.hidden = !r;
    this.submitted.textContent = r ? `Submitted by ${r.submittedBy}${r.submittedAt ? ` at ${clockTime(r.submittedAt)}` : ""}.` : "";
    const submittable = canSubmit(v) && this.submittedFor !== v.fingerprint;
    this.submit.hidden = !submittable;
    this.submit.lastChild!.textContent = r?.state === "rejected" ? "Submit again" : "Submit for approval";
    this.recall.hidden = !canRecall(v);
    this.actions.hidden = this.submit.hidden && this.recall.hidden;
    this.submit.disabled = this.recall.disabled = this.busy;
  }

  private stepItem(s: StepView, keep: Set<string>): HTMLElement {
    const now = Date.now();
    const headingId = uid("approval-step");
    const who = s.approversLabel ? `${s.approversLabel}${s.mode === "all" ? " · all must approve" : ""}` : "";
    const li = h(
      "li",
      { class: `approval-step state-${s.state}`, "data-testid": "approval-step", "data-step-id": s.id, "data-state": s.state },
      h(
        "div",
        { class: "approval-step-top" },
        h("span", { class: "approval-step-order", "aria-hidden": "true" }, String(s.order)),
        h("h3", { class: "approval-step-name", id: headingId }, s.name, s.headline ? h("span", { class: "approval-step-headline" }, s.headline) : null),
        h("span", { class: `step-state step-state-${s.state}`, "data-testid": "approval-step-state" }, s.stateLabel),
      ),
      s.reasons.length ? h("ul", { class: "approval-reasons", "data-testid": "approval-reason" }, s.reasons.map((r) => h("li", {}, r))) : null,
      who ? h("p", { class: "approval-who" }, h("span", { class: "muted" }, "Approvers: "), who) : null,
      s.waitingOn.length || s.since
        ? h(
            "p",
            { class: "approval-waiting", "data-testid": "approval-waiting" },
            icon("clock", 14),
            `Waiting on ${joinNames(s.waitingOn, s.mode === "all" ? "and" : "or") || s.approversLabel || "the approvers"}${s.since ? ` ${sinceText(s.since, now)}` : ""}`,
          )
        : null,
      s.decisions.length
        ? h(
            "ul",
            { class: "approval-decisions" },
            s.decisions.map((d) =>
              h(
                "li",
                { class: `approval-decision is-${d.decision}`, "data-testid": "approval-decision" },
                h("span", { class: "approval-decision-head" }, `${d.decision === "approve" ? "Approved" : "Rejected"} by ${d.who}${d.at ? ` at ${clockTime(d.at, now)}` : ""}${d.carried ? " (on an earlier version; it still covers this one)" : ""}`),
                d.approved ? h("span", { class: "approval-covers", "data-testid": "approval-covers" }, `Approved ${d.approved}`) : null,
                d.comment ? h("q", { class: "approval-comment" }, d.comment) : null,
              ),
            ),
          )
        : null,
    );
    const r = this.view.request;
    if (s.mayDecide && r) {
      const key = `${r.id}/${s.id}`;
      keep.add(key);
      let control = this.controls.get(key);
      if (!control) {
        control = new DecisionControl({ prefix: "approval", describedBy: headingId, decide: (choice, comment) => this.decide(r.id, r.fingerprint, s.id, choice, comment) });
        this.controls.set(key, control);
      }
      li.append(h("div", { class: "approval-decide" }, h("p", { class: "approval-decide-lead" }, "This step waits on you."), control.el));
    }
    return li;
  }

  private showError(message: string | null): void {
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
  }

  private async onSubmit(): Promise<void> {
    if (this.busy) return;
    const version = this.view.fingerprint;
    this.busy = true;
    this.showError(null);
    this.submit.setAttribute("aria-busy", "true");
    this.render();
    try {
      await api.submitApproval(this.opts.roomId);
      this.submittedFor = version;
      this.opts.notify?.("Submitted for approval. The approvers are notified.");
    } catch (e) {
      this.showError(e instanceof ApiError ? e.detail : "The request could not be submitted. Check your connection and try again.");
    } finally {
      this.busy = false;
      this.submit.removeAttribute("aria-busy");
      this.render();
    }
  }

  private async onRecall(): Promise<void> {
    const request = this.view.request;
    if (this.busy || !request) return;
    this.busy = true;
    this.showError(null);
    this.render();
    try {
      await api.recallApproval(request.id);
      this.opts.notify?.("Request recalled. Nobody is asked any more.");
    } catch (e) {
      this.showError(e instanceof ApiError ? e.detail : "The request could not be recalled. Check your connection and try again.");
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private async decide(requestId: string, fingerprint: string, stepId: string, choice: DecisionChoice, comment: string): Promise<boolean> {
    this.showError(null);
    try {
      await api.decide(requestId, stepId, decisionBody(choice, comment, fingerprint));
      this.opts.notify?.(choice === "approve" ? "Approved." : "Rejected; the rep sees your comment.");
      return true;
    } catch (e) {
      this.showError(e instanceof ApiError ? e.detail : "The decision could not be sent. Check your connection and try again.");
      return false;
    }
  }

  destroy(): void {
    this.unbind();
    clearInterval(this.timer);
  }
}
