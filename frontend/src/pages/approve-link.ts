/**
 * `/approve/{token}`: the page a mailed approval link opens, without signing in (the signed,
 * expiring token is the credential for that one step). Two taps from the mail: open, Approve.
 * It says what is asked and why, the tested facts against what was approved before, then the
 * outcome; a step decided already, a recalled or replaced request, an expired link say so instead.
 */
import { ApiError, api, decisionBody, type DecisionChoice, type LinkStep, type RequestAnswer } from "../lib/api";
import { h, icon, mount, uid } from "../lib/dom";
import { clauseWordings, factList, splitReason } from "./approval-facts";
import { DecisionControl } from "./decision";
import { brand } from "./forms";
import "./approve-link.css";

export type LinkOutcome = { tone: "success" | "info" | "warning"; state: string; title: string; text: string };

/** What to say instead of the buttons when there is nothing left to decide; null when there is. */
export function settledOutcome(step: Pick<LinkStep, "request_state" | "step_state" | "your_decision">): LinkOutcome | null {
  const request = step.request_state;
  const state = step.step_state;
  if (request === "recalled") return { tone: "info", state: "recalled", title: "Recalled", text: "The rep recalled this request, so there is nothing to decide." };
  if (request === "superseded")
    return { tone: "info", state: "superseded", title: "Replaced by a newer version", text: "The deal changed after this request was sent. If the new version needs you, it is in your approvals inbox." };
  if (state === "approved") return { tone: "success", state: "approved", title: "Already approved", text: "This step is approved already. Nothing more to do." };
  if (state === "rejected") return { tone: "warning", state: "rejected", title: "Already rejected", text: "This step was rejected already. The rep has been told." };
  if (step.your_decision === "approve" && state === "pending")
    return { tone: "success", state: "approved", title: "You approved this", text: "Your approval is recorded; the step waits for the other approvers." };
  if (request === "rejected") return { tone: "warning", state: "closed", title: "Request rejected", text: "Another step of this request was rejected, so this one no longer needs a decision." };
  if (request === "approved") return { tone: "success", state: "approved", title: "Already approved", text: "Every step of this request is approved. Nothing more to do." };
  return null;
}

/** The outcome after the person decided here. */
export function decidedOutcome(choice: DecisionChoice, answer: RequestAnswer | undefined, stepId: string): LinkOutcome {
  const step = answer?.steps?.find((s) => s.id === stepId);
  if (choice === "approve") {
    const all = answer?.state === "approved";
    return {
      tone: "success",
      state: step?.state ?? "approved",
      title: "Approved",
      text: all ? "Thank you. Every step is approved; the rep sees it in the room now." : "Thank you. Your approval is recorded and the rep sees it in the room now.",
    };
  }
  return { tone: "warning", state: step?.state ?? "rejected", title: "Rejected", text: "Your rejection and comment are recorded; the rep sees them in the room now." };
}

export function approveLinkPage(root: HTMLElement, token: string): () => void {
  let alive = true;
  document.title = "Approval · Dealroom";
  const shell = (...body: (Node | null)[]) => mount(root, h("main", { class: "auth-page link-page" }, h("div", { class: "auth-brand" }, brand()), ...body));

  function loading(): void {
    shell(h("div", { class: "page-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Opening the request…"));
  }

  function invalid(detail: string): void {
    document.title = "Link not valid · Dealroom";
    shell(
      h(
        "section",
        { class: "auth-card link-card", "data-testid": "link-invalid", "aria-labelledby": "link-invalid-title" },
        h("span", { class: "link-outcome-icon tone-info", "aria-hidden": "true" }, icon("clock", 28)),
        h("h1", { id: "link-invalid-title", class: "auth-title" }, "This link has expired or is not valid"),
        h("p", { class: "auth-lead" }, detail ? `${capitalize(detail)}.` : "Open the request from your approvals inbox instead."),
        h("a", { href: "/inbox", class: "btn btn-primary btn-block btn-large" }, "Open my approvals"),
      ),
    );
  }

  function failed(detail: string): void {
    shell(
      h(
        "section",
        { class: "auth-card link-card", "aria-labelledby": "link-failed-title" },
        h("h1", { id: "link-failed-title", class: "auth-title" }, "The request could not be opened"),
        h("p", { class: "auth-lead", role: "alert" }, detail),
        h("button", { type: "button", class: "btn btn-primary btn-block btn-large", onclick: () => void open() }, "Try again"),
      ),
    );
  }

  function outcomeBox(o: LinkOutcome): HTMLElement {
    return h(
      "div",
      { class: `link-outcome tone-${o.tone}`, "data-testid": "link-outcome", "data-outcome": o.state, role: "status", tabindex: -1 },
      h("span", { class: `link-outcome-icon tone-${o.tone}`, "aria-hidden": "true" }, icon(o.tone === "success" ? "check" : o.tone === "warning" ? "close" : "info", 28)),
      h("div", {}, h("p", { class: "link-outcome-title" }, o.title), h("p", { class: "link-outcome-text" }, o.text)),
    );
  }

  function show(step: LinkStep, message?: string): void {
    const headingId = uid("link-step");
    const { headline, lines: reasons } = splitReason(step.reason, step.headline, step.details);
    const title = headline || step.name;
    const settled = settledOutcome(step);
    const error = h("p", { class: "form-error", role: "alert", "data-testid": "link-error", hidden: !message }, message ?? "");
    const actions = h("div", { class: "link-actions" });
    // The decision and the deal in a line come first; the details (facts, clause wording) follow.
    const facts = factList(step.facts, "link-facts", "link-fact");
    const wordings = clauseWordings(step.clauses, "link-clauses");
    const card = h(
      "section",
      { class: "auth-card link-card", "aria-labelledby": headingId, "data-testid": "link-step" },
      h("p", { class: "link-eyebrow" }, h("span", { class: "link-room" }, step.room_title), h("span", {}, `${step.name} approval requested`)),
      h("h1", { id: headingId, class: "auth-title" }, title),
      dealSummary(step),
      error,
      actions,
      reasons.length || facts || wordings
        ? h(
            "details",
            { class: "link-details", "data-testid": "link-details", open: !wordings },
            h("summary", {}, wordings ? "Why you are asked, and the clause wording" : "Why you are asked"),
            reasons.length ? h("ul", { class: "inbox-reasons" }, reasons.map((r) => h("li", {}, r))) : null,
            facts,
            wordings,
          )
        : null,
    );
    if (settled) {
      actions.append(outcomeBox(settled), h("a", { href: "/inbox", class: "btn btn-secondary btn-block" }, "Open my approvals"));
    } else {
      const decision = new DecisionControl({
        prefix: "link",
        large: true,
        describedBy: headingId,
        decide: (choice, comment) => decide(step, choice, comment, error, actions),
      });
      actions.append(decision.el);
    }
    document.title = `${step.name} approval · ${step.room_title} · Dealroom`;
    shell(card);
  }

  async function decide(step: LinkStep, choice: DecisionChoice, comment: string, error: HTMLElement, actions: HTMLElement): Promise<boolean> {
    error.hidden = true;
    let answer: RequestAnswer;
    try {
      answer = await api.linkDecide(token, decisionBody(choice, comment, step.fingerprint));
    } catch (e) {
      if (!alive) return true;
      if (e instanceof ApiError && e.status === 404) {
        invalid(e.detail);
        return true;
      }
      if (e instanceof ApiError && e.status === 409) {
        // Decided meanwhile, out of turn, or the deal changed: say why and show where it stands now.
        void open(`${capitalize(e.detail)}.`);
        return true;
      }
      error.textContent = e instanceof ApiError ? e.detail : "The decision could not be sent. Check your connection and try again.";
      error.hidden = false;
      return false;
    }
    if (!alive) return true;
    const outcome = outcomeBox(decidedOutcome(choice, answer, step.step_id));
    actions.replaceChildren(outcome);
    outcome.focus();
    return true;
  }

  async function open(message?: string): Promise<void> {
    loading();
    try {
      const step = await api.linkStep(token);
      if (alive) show(step, message);
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 404) return invalid(e.detail);
      failed(e instanceof ApiError ? e.detail : "Check your connection and try again.");
    }
  }

  void open();
  return () => {
    alive = false;
  };
}

/** "USD 242,925.00 · 12 months · max. discount 32% · 4 lines", and who asks. */
export function summaryLine(step: Pick<LinkStep, "summary">): string {
  const s = step.summary;
  if (!s) return "";
  const parts: string[] = [];
  const total = money(s.net_total, s.currency);
  if (total) parts.push(total);
  if (s.term_months) parts.push(`${s.term_months} months`);
  const discount = Number(s.max_line_discount_pct);
  if (s.max_line_discount_pct != null && Number.isFinite(discount)) parts.push(`max. discount ${Number(discount.toFixed(2))}%`);
  if (s.lines) parts.push(`${s.lines} ${s.lines === 1 ? "line" : "lines"}`);
  return parts.join(" · ");
}

function money(amount: string | null | undefined, currency: string | null | undefined): string {
  const n = Number(amount);
  if (amount == null || amount === "" || !Number.isFinite(n)) return "";
  const digits = n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${currency} ${digits}` : digits;
}

function dealSummary(step: LinkStep): HTMLElement | null {
  const line = summaryLine(step);
  const who = step.submitted_by ? `${step.submitted_by} asks${step.customer_name ? ` for ${step.customer_name}` : ""}` : "";
  if (!line && !who) return null;
  return h("div", { class: "link-summary", "data-testid": "link-summary" }, line ? h("p", { class: "link-summary-deal" }, line) : null, who ? h("p", { class: "link-summary-who" }, who) : null);
}

function capitalize(text: string): string {
  const t = text.trim().replace(/\.$/, "");
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}
