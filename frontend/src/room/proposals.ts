/**
 * The customer's proposals (the shared doc's `computed.proposals`, written by the server only): a change
 * to a line's quantity or discount, or to a clause block's text, that waits for the rep.
 *
 * Both sides see each proposal marked: what it changes, the accepted value struck through next to the
 * proposed one (a clause: its word diff), and by whom. The rep gets Accept / Counter / Decline, one tap
 * each (a counter opens a small input; a clause is countered by editing it in the terms); the customer
 * reads "Proposed, waiting for the rep". The pricing card also shows the proposed and the accepted totals.
 */
import type * as Y from "yjs";
import { ApiError, api, type RoomRole } from "../lib/api";
import { h, mount } from "../lib/dom";
import { formatMoney, plain, readQuote } from "./computed";
import "./proposals.css";

export interface Proposal {
  id: string;
  kind: "line" | "clause";
  subject: { key: string; line_id?: string; field?: "qty" | "discountPct"; clause_id?: string; occurrence?: number };
  by: { name: string; role: string };
  from: unknown;
  to: unknown;
  at: string;
  revision: number;
  diff?: { op: "equal" | "insert" | "delete"; text: string }[];
}

export function readProposals(computed: Y.Map<unknown>): Proposal[] {
  const raw = plain(computed.get("proposals"));
  return Array.isArray(raw) ? (raw.filter((p) => p && typeof p === "object" && typeof (p as Proposal).id === "string") as Proposal[]) : [];
}

/** Who may decide a proposal of this kind: the rep; legal on clauses (as the server checks). */
export function mayDecide(role: RoomRole, kind: Proposal["kind"]): boolean {
  return role === "rep" || (role === "legal" && kind === "clause");
}

const FIELD_LABEL = { qty: "Quantity", discountPct: "Discount" } as const;

export function valueText(proposal: Proposal, value: unknown): string {
  if (value === null || value === undefined) return "—";
  return proposal.subject.field === "discountPct" ? `${String(value)} %` : String(value);
}

/** Words kept on each side of a change: a clause's unchanged text is long, the change is what matters. */
export const CONTEXT_WORDS = 6;

/** The word diff with long unchanged runs cut to a few words around each change ("…" where cut). */
export function shortDiff(diff: NonNullable<Proposal["diff"]>): NonNullable<Proposal["diff"]> {
  return diff.map((part, i) => {
    if (part.op !== "equal") return part;
    const words = part.text.split(/\s+/).filter(Boolean);
    const before = i > 0 ? CONTEXT_WORDS : 0; // words after the change before this run
    const after = i < diff.length - 1 ? CONTEXT_WORDS : 0; // words before the next change
    if (words.length <= before + after + 1) return part;
    const head = words.slice(0, before).join(" ");
    const tail = words.slice(words.length - after).join(" ");
    return { op: "equal", text: [head, "…", tail].filter(Boolean).join(" ") };
  });
}

export interface ProposalsOptions {
  roomId: string;
  role: RoomRole;
  kind: Proposal["kind"];
  notify(message: string, tone?: "info" | "error"): void;
  /** Decides (tests replace it). */
  decide?: typeof api.decideProposal;
}

export class ProposalsView {
  readonly el: HTMLElement;
  private computed: Y.Map<unknown> | null = null;
  private readonly observer = () => this.render();
  private readonly busy = new Set<string>();
  private countering: string | null = null;
  // What was drawn last: a change elsewhere in `computed` (a re-priced line) must not redraw the cards,
  // nor wipe a counter being typed.
  private drawn = "";

  constructor(private readonly opts: ProposalsOptions) {
    this.el = h("section", { class: "proposals", "data-testid": `proposals-${opts.kind}`, "aria-live": "polite", hidden: true });
  }

  bind(computed: Y.Map<unknown>): void {
    this.unbind();
    this.computed = computed;
    computed.observe(this.observer);
    this.render();
  }

  unbind(): void {
    this.computed?.unobserve(this.observer);
    this.computed = null;
  }

  render(force = false): void {
    const computed = this.computed;
    const shown = computed ? readProposals(computed).filter((p) => p.kind === this.opts.kind) : [];
    if (this.countering && !shown.some((p) => p.id === this.countering)) this.countering = null;
    const totals = computed && this.opts.kind === "line" ? this.totals(computed) : null;
    const labels = computed ? shown.map((p) => this.subjectLabel(p, computed)) : [];
    const drawn = JSON.stringify([shown, labels, totals?.textContent ?? "", [...this.busy], this.countering]);
    if (drawn === this.drawn && !force) return;
    this.drawn = drawn;
    this.el.hidden = shown.length === 0 && !totals;
    const heading = shown.length === 1 ? "1 proposed change" : `${shown.length} proposed changes`;
    mount(this.el, shown.length ? h("h3", { class: "proposals-head" }, heading) : null, totals, h("ul", { class: "proposal-list" }, shown.map((p) => this.card(p, computed!))));
  }

  private totals(computed: Y.Map<unknown>): HTMLElement | null {
    const accepted = readQuote(computed, "quote_accepted");
    const proposed = readQuote(computed, "quote");
    if (!accepted || !proposed) return null;
    return h(
      "p",
      { class: "proposal-totals", "data-testid": "proposal-totals" },
      h("span", {}, "Net total proposed ", h("strong", { "data-testid": "total-proposed" }, formatMoney(proposed.totals.net_total, proposed.currency))),
      h("span", {}, "accepted ", h("s", { "data-testid": "total-accepted" }, formatMoney(accepted.totals.net_total, accepted.currency))),
    );
  }

  private subjectLabel(p: Proposal, computed: Y.Map<unknown>): string {
    if (p.kind === "line") {
      const line = readQuote(computed)?.lines.find((l) => l.id === p.subject.line_id);
      return `${line?.name || p.subject.line_id || "Line"} · ${FIELD_LABEL[p.subject.field ?? "qty"]}`;
    }
    const clauses = plain(computed.get("clauses"));
    const found = Array.isArray(clauses) ? clauses.find((c: { clause_id?: string }) => c?.clause_id === p.subject.clause_id) : undefined;
    return (found as { title?: string } | undefined)?.title || p.subject.clause_id || "Clause";
  }

  private card(p: Proposal, computed: Y.Map<unknown>): HTMLElement {
    const value =
      p.kind === "line"
        ? h("p", { class: "proposal-values" }, h("s", { class: "proposal-from", "data-testid": "proposal-from" }, valueText(p, p.from)), h("span", { "aria-hidden": "true" }, " → "), h("strong", { class: "proposal-to", "data-testid": "proposal-to" }, valueText(p, p.to)))
        : h("p", { class: "diff proposal-diff", "data-testid": "proposal-diff" }, shortDiff(p.diff ?? []).map((d) => (d.op === "insert" ? h("ins", {}, d.text) : d.op === "delete" ? h("del", {}, d.text) : d.text)).flatMap((part) => [part, " "]));
    const actions = mayDecide(this.opts.role, p.kind) ? this.actions(p) : h("p", { class: "proposal-waiting", "data-testid": "proposal-waiting" }, "Proposed, waiting for the rep");
    return h(
      "li",
      { class: "proposal", "data-testid": "proposal", "data-proposal": p.id, "data-subject": p.subject.key },
      h("div", { class: "proposal-top" }, h("span", { class: "proposal-subject" }, this.subjectLabel(p, computed)), h("span", { class: "badge badge-proposed" }, "Proposed")),
      value,
      h("p", { class: "proposal-by" }, `by ${p.by.name}`),
      actions,
    );
  }

  private actions(p: Proposal): HTMLElement {
    const busy = this.busy.has(p.id);
    const button = (label: string, decision: "accept" | "decline" | "counter", style: string) =>
      h("button", { type: "button", class: `btn btn-small ${style}`, disabled: busy, "data-testid": `proposal-${decision}`, onclick: () => (decision === "counter" ? this.openCounter(p) : void this.decide(p, decision)) }, label);
    const row = h("div", { class: "proposal-actions" }, button("Accept", "accept", "btn-primary"), p.kind === "line" ? button("Counter", "counter", "btn-secondary") : null, button("Decline", "decline", "btn-secondary"));
    if (p.kind === "clause") row.append(h("span", { class: "hint" }, "or edit the clause to counter"));
    if (this.countering !== p.id) return row;
    const input = h("input", { class: "input proposal-counter-input", type: "number", inputmode: "decimal", step: p.subject.field === "discountPct" ? "0.01" : "1", min: p.subject.field === "discountPct" ? "0" : "1", value: String(p.from ?? ""), "aria-label": `Your ${FIELD_LABEL[p.subject.field ?? "qty"].toLowerCase()}`, "data-testid": "proposal-counter-value" });
    const form = h(
      "form",
      { class: "proposal-counter", "aria-label": "Counter the proposal" },
      input,
      h("button", { type: "submit", class: "btn btn-small btn-primary", "data-testid": "proposal-counter-send" }, "Send counter"),
      h("button", { type: "button", class: "btn btn-small btn-secondary", onclick: () => this.closeCounter() }, "Cancel"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = Number(input.value);
      if (input.value.trim() === "" || !Number.isFinite(value)) {
        this.opts.notify("Enter a number to counter with.", "error");
        return;
      }
      void this.decide(p, "counter", value);
    });
    queueMicrotask(() => input.focus());
    return h("div", {}, row, form);
  }

  private openCounter(p: Proposal): void {
    this.countering = p.id;
    this.render();
  }

  private closeCounter(): void {
    this.countering = null;
    this.render();
  }

  private async decide(p: Proposal, decision: "accept" | "decline" | "counter", value?: number): Promise<void> {
    this.busy.add(p.id);
    this.render();
    const decide = this.opts.decide ?? api.decideProposal;
    try {
      await decide(this.opts.roomId, p.id, decision, value === undefined ? { revision: p.revision } : { revision: p.revision, value });
      this.opts.notify(decision === "accept" ? "Proposal accepted." : decision === "decline" ? "Proposal declined; the accepted value is back." : "Counter sent.");
      if (this.countering === p.id) this.countering = null;
    } catch (e) {
      this.opts.notify(e instanceof ApiError ? e.detail : "Could not decide on the proposal.", "error");
    } finally {
      this.busy.delete(p.id);
      this.render();
    }
  }

  destroy(): void {
    this.unbind();
  }
}
