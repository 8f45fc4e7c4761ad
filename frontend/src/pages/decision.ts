/**
 * Approve in one tap; reject with a comment (required: the rep must learn why). Used by the inbox,
 * the mailed-link page and the room's approval panel. The page does the request and says how it
 * went; this control only collects the decision and stays disabled while it is sent.
 */
import type { DecisionChoice } from "../lib/api";
import { h, icon, uid } from "../lib/dom";

export interface DecisionControlOptions {
  /** Test ids: `{prefix}-approve`, `{prefix}-reject`, `{prefix}-reject-comment`, `{prefix}-reject-confirm`. */
  prefix: string;
  /** Big buttons (the mailed-link page). */
  large?: boolean;
  /** The id of what is being decided (a heading), for screen readers: "Approve" of what. */
  describedBy?: string;
  /** Send the decision; resolve true when it is done (the control stays disabled), false to let the person try again. */
  decide(choice: DecisionChoice, comment: string): Promise<boolean>;
}

export class DecisionControl {
  readonly el: HTMLElement;
  private readonly approve: HTMLButtonElement;
  private readonly reject: HTMLButtonElement;
  private readonly buttons: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly comment: HTMLTextAreaElement;
  private readonly confirm: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private readonly error: HTMLElement;
  private busy = false;

  constructor(private readonly opts: DecisionControlOptions) {
    const size = opts.large ? " btn-large" : "";
    this.approve = h(
      "button",
      { type: "button", class: `btn btn-approve${size}`, "data-testid": `${opts.prefix}-approve`, "aria-describedby": opts.describedBy },
      icon("check", 18),
      "Approve",
    );
    this.reject = h(
      "button",
      { type: "button", class: `btn btn-secondary btn-reject${size}`, "data-testid": `${opts.prefix}-reject`, "aria-describedby": opts.describedBy, "aria-expanded": "false" },
      icon("close", 18),
      "Reject",
    );
    this.buttons = h("div", { class: "decision-buttons" }, this.approve, this.reject);

    const commentId = uid("reject-comment");
    const errorId = `${commentId}-error`;
    this.comment = h("textarea", {
      id: commentId,
      class: "input decision-comment",
      rows: 3,
      maxlength: 2000,
      required: true,
      "aria-describedby": errorId,
      "data-testid": `${opts.prefix}-reject-comment`,
      placeholder: "e.g. 32% is over what we can do this quarter; 25% works.",
    });
    this.error = h("p", { id: errorId, class: "field-error", role: "alert", hidden: true });
    this.confirm = h("button", { type: "submit", class: `btn btn-danger${size}`, "data-testid": `${opts.prefix}-reject-confirm` }, "Reject");
    this.cancel = h("button", { type: "button", class: `btn btn-ghost${size}` }, "Cancel");
    this.form = h(
      "form",
      { class: "decision-reject", hidden: true, novalidate: true },
      h("label", { for: commentId, class: "label" }, "Why do you reject it? The rep sees your comment."),
      this.comment,
      this.error,
      h("div", { class: "decision-buttons" }, this.confirm, this.cancel),
    );
    this.el = h("div", { class: `decision${opts.large ? " decision-large" : ""}` }, this.buttons, this.form);

    this.approve.addEventListener("click", () => void this.send("approve", ""));
    this.reject.addEventListener("click", () => this.openReject());
    this.cancel.addEventListener("click", () => this.closeReject());
    this.form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this.closeReject();
      }
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = this.comment.value.trim();
      if (!text) {
        this.showError("Write a short comment: the rep needs to know why.");
        this.comment.focus();
        return;
      }
      void this.send("reject", text);
    });
    this.comment.addEventListener("input", () => {
      if (this.comment.value.trim()) this.showError(null);
    });
  }

  /** Someone is writing a rejection or a decision is on its way: do not replace this control now. */
  get engaged(): boolean {
    return this.busy || !this.form.hidden;
  }

  private openReject(): void {
    this.buttons.hidden = true;
    this.form.hidden = false;
    this.reject.setAttribute("aria-expanded", "true");
    this.comment.focus();
  }

  private closeReject(): void {
    if (this.busy) return;
    this.form.hidden = true;
    this.buttons.hidden = false;
    this.reject.setAttribute("aria-expanded", "false");
    this.showError(null);
    this.reject.focus();
  }

  private showError(message: string | null): void {
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
    if (message) this.comment.setAttribute("aria-invalid", "true");
    else this.comment.removeAttribute("aria-invalid");
  }

  private setBusy(on: boolean, choice: DecisionChoice): void {
    this.busy = on;
    for (const b of [this.approve, this.reject, this.confirm, this.cancel]) b.disabled = on;
    this.comment.readOnly = on;
    const button = choice === "approve" ? this.approve : this.confirm;
    if (on) button.setAttribute("aria-busy", "true");
    else button.removeAttribute("aria-busy");
    button.lastChild!.textContent = on ? (choice === "approve" ? "Approving…" : "Rejecting…") : choice === "approve" ? "Approve" : "Reject";
  }

  private async send(choice: DecisionChoice, comment: string): Promise<void> {
    if (this.busy) return;
    this.setBusy(true, choice);
    let done = false;
    try {
      done = await this.opts.decide(choice, comment);
    } finally {
      if (!done) this.setBusy(false, choice);
    }
  }
}
