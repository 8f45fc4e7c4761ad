/**
 * "Text outside the clauses": a card above the terms editor while the server says the text outside
 * library clause blocks differs from the room's standard terms (`computed.free_text`). It reads like a
 * clause block's status: the "Non-standard" chip opens the word diff against the standard terms.
 * Internal people also see who must approve it, from the internal doc's `computed.free_text.approval`
 * (the internal doc is announced by the approval panel, as for the header's approval badge).
 *
 * Everything the server or a user wrote goes in as text nodes.
 */
import "../../lib/clause-render.css";
import "./clauses.css";
import "./free-text.css";
import type * as Y from "yjs";
import { diffChanges, diffView } from "../../lib/clause-render";
import { approverLabel, FREE_TEXT_TITLE, readVariables, statusLabel, variablePlaceholder, type ClauseCheck } from "../../lib/clauses";
import { excerptDiff, readFreeText } from "../../lib/free-text";
import { h, icon, uid } from "../../lib/dom";
import { APPROVAL_DOC_EVENT } from "../approval-badge";
import { ComputedBinding } from "../computed";

export interface FreeTextCardOptions {
  /** Internal people see who approves the deviation (from the internal doc). */
  internal: boolean;
}

export class FreeTextCard {
  readonly el: HTMLElement;
  private readonly chip: HTMLButtonElement;
  private readonly reason: HTMLElement;
  private readonly approver: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly panelId = uid("free-text-panel");
  private readonly shared = new ComputedBinding(() => this.render());
  private readonly internalDoc = new ComputedBinding(() => this.render());
  private scope: HTMLElement | null = null;
  private open = false;
  /** The whole text instead of the changes with some words around them. */
  private whole = false;
  /** What the panel was last drawn from: a redraw for nothing would lose the reader's place. */
  private drawn = "";

  private readonly onDoc = (e: Event): void => {
    const map = (e as CustomEvent<Y.Map<unknown> | null>).detail;
    if (map) this.bindInternal(map);
    else this.unbindInternal();
  };

  constructor(private readonly opts: FreeTextCardOptions) {
    const titleId = uid("free-text-title");
    this.chip = h(
      "button",
      { type: "button", class: "clause-chip free-text-chip", "data-testid": "free-text-status", "data-status": "non_standard", "aria-expanded": "false", "aria-controls": this.panelId },
      h("span", { class: "clause-chip-dot", "aria-hidden": "true" }),
      h("span", { class: "clause-chip-text" }, statusLabel("non_standard")),
      icon("next", 14),
    );
    this.chip.addEventListener("click", () => this.toggle());
    this.reason = h("p", { class: "free-text-reason", "data-testid": "free-text-reason" });
    this.approver = h("p", { class: "clause-approver free-text-approver", "data-testid": "free-text-approver", hidden: true });
    this.panel = h("div", { class: "clause-panel free-text-panel", id: this.panelId, "data-testid": "free-text-panel", role: "region", "aria-labelledby": titleId, hidden: true });
    this.el = h(
      "section",
      { class: "free-text-card", "data-testid": "free-text-card", "data-status": "non_standard", "aria-labelledby": titleId, hidden: true },
      h(
        "div",
        { class: "free-text-head" },
        h("span", { class: "free-text-icon", "aria-hidden": "true" }, icon("alert", 18)),
        h("h3", { class: "free-text-title", id: titleId }, FREE_TEXT_TITLE),
        this.chip,
      ),
      this.reason,
      this.approver,
      this.panel,
    );
  }

  /** The shared doc's `computed`: whether there is a deviation, its diff, the variables' values. */
  bind(computed: Y.Map<unknown>): void {
    this.shared.bind(computed);
  }

  unbind(): void {
    this.shared.unbind();
    this.render();
  }

  /** Internal people: follow the internal `computed` map the approval panel inside `scope` announces. */
  follow(scope: HTMLElement): void {
    if (!this.opts.internal) return;
    this.scope?.removeEventListener(APPROVAL_DOC_EVENT, this.onDoc);
    this.scope = scope;
    scope.addEventListener(APPROVAL_DOC_EVENT, this.onDoc);
  }

  /** The internal doc's `computed` (who approves); internal people only. */
  bindInternal(computed: Y.Map<unknown>): void {
    if (this.opts.internal) this.internalDoc.bind(computed);
  }

  unbindInternal(): void {
    this.internalDoc.unbind();
    this.render();
  }

  destroy(): void {
    this.scope?.removeEventListener(APPROVAL_DOC_EVENT, this.onDoc);
    this.scope = null;
    this.shared.unbind();
    this.internalDoc.unbind();
  }

  render(): void {
    const check = readFreeText(this.shared.map?.get("free_text"));
    this.el.hidden = check === null;
    if (!check) {
      this.open = false;
      this.whole = false;
      this.drawn = "";
      this.panel.hidden = true;
      this.panel.replaceChildren();
      this.chip.setAttribute("aria-expanded", "false");
      return;
    }
    const reason = sentence(check.reason) || "This text differs from the room’s standard terms.";
    if (this.reason.textContent !== reason) this.reason.textContent = reason;
    this.renderApprover();
    this.chip.setAttribute("aria-expanded", String(this.open));
    this.chip.setAttribute("aria-label", `${statusLabel("non_standard")}: ${this.open ? "hide" : "show"} the changes against the standard terms`);
    this.panel.hidden = !this.open;
    if (this.open) this.drawPanel(check);
  }

  private renderApprover(): void {
    const internal = this.opts.internal ? readFreeText(this.internalDoc.map?.get("free_text")) : null;
    this.approver.hidden = internal === null;
    if (!internal) return;
    const text = `Needs ${approverLabel(typeof internal.approval === "string" ? internal.approval : "")} approval`;
    if (this.approver.textContent === text) return;
    this.approver.replaceChildren(icon("lock", 14), h("span", { class: "free-text-approver-text" }, text));
    this.approver.title = "Internal: customers do not see this";
  }

  private toggle(): void {
    this.open = !this.open;
    this.render();
    if (this.open) this.panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  private drawPanel(check: ClauseCheck): void {
    const values = readVariables(this.shared.map?.get("variables"));
    const key = JSON.stringify([check.diff, check.unknown_variables, [...values], this.whole]);
    if (key === this.drawn) return;
    this.drawn = key;
    const options = { valueFor: (name: string) => values.get(name) };
    const changed = diffChanges(check.diff);
    const { ops, cut } = this.whole ? { ops: check.diff, cut: false } : excerptDiff(check.diff);
    const diff = diffView(ops, options);
    diff.classList.add("free-text-diff");
    diff.dataset.testid = "free-text-diff";
    const parts: (HTMLElement | null)[] = [
      h("p", { class: "clause-summary is-non_standard" }, "Differs from the room’s standard terms: it needs approval before export."),
      h("h4", { class: "clause-panel-subhead" }, changed ? "Changes against the standard terms" : "The standard terms"),
      check.diff.length ? diff : h("p", { class: "muted" }, "The server sent no comparison."),
      changed ? h("p", { class: "diff-legend" }, h("del", { class: "diff-del" }, "struck"), " removed · ", h("ins", { class: "diff-ins" }, "underlined"), " added") : null,
    ];
    if (cut || this.whole) {
      const more = h("button", { type: "button", class: "btn btn-small btn-secondary free-text-whole", "data-testid": "free-text-whole" }, this.whole ? "Show only the changes" : "Show the whole text");
      more.addEventListener("click", () => {
        this.whole = !this.whole;
        this.render();
        this.panel.querySelector<HTMLButtonElement>("[data-testid=free-text-whole]")?.focus();
      });
      parts.push(h("div", { class: "clause-actions" }, more));
    }
    const unset = (check.unknown_variables ?? []).map(variablePlaceholder);
    if (unset.length) parts.push(h("p", { class: "free-text-unset muted" }, `No value yet: ${unset.join(", ")}`));
    this.panel.replaceChildren(...parts.filter((p): p is HTMLElement => !!p));
  }
}

/** The server's reason as a sentence: "the text … differs" → "The text … differs." */
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return "";
  return t[0].toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? "" : ".");
}
