/**
 * The internal doc's `computed.approvals` as the approval panel shows it (internal chunk only):
 * each required step with its reason and approvers and, once submitted for exactly this version,
 * where the step stands, who decided with what comment, who it waits on and since when. Pure.
 *
 *   {policy_version, fingerprint, status, covered, needs: [rule ids],
 *    steps: [{rule_id, name, reason, headline, details, approvers, approvers_label, order, mode, tested,
 *             covered_by: null | [{request_id, step_id, approver: {id, name}, decided_at, comment,
 *                                  approved: [{fact, label, approved_value, value}]}]}],
 *    request: null | {id, state, fingerprint, submitted_by, submitted_at,
 *                     steps: [{id, state, name, reason, order, mode, approvers: [ids], since,
 *                              decisions: [{actor, for_approvers, decision, comment, at, origin}]}]},
 *    people: {"<id>": {name, role}}}
 *
 * Without a request for this version, a step whose `covered_by` lists approvals of an earlier version
 * that still cover it is approved (covered): it is not asked again, and a version whose every step is
 * covered is approved as it stands, with nothing to submit.
 *
 * The server writes it; any key may be missing (an older server, a step without a request), so
 * everything is read defensively.
 */
import { splitReason } from "../pages/approval-facts";
import { plain } from "./computed";

export type StepState = "needed" | "pending" | "waiting" | "approved" | "rejected" | "closed";

export interface DecisionView {
  who: string;
  decision: "approve" | "reject";
  comment: string;
  at: string | null;
  /** Made on an earlier version of the deal and still covering this one. */
  carried: boolean;
  /** For a covering approval: what was approved against what the deal has now ("max line discount 32%, now 25%"). */
  approved: string;
}

export interface StepView {
  id: string;
  name: string;
  headline: string;
  /** The tested values in words ("max line discount 32% is over 20%"). */
  reasons: string[];
  approversLabel: string;
  order: number;
  mode: "any" | "all";
  state: StepState;
  stateLabel: string;
  /** The people it waits on now (names; "you" for the viewer). */
  waitingOn: string[];
  /** Since when it waits (ISO), when it does. */
  since: string | null;
  /** The step it waits for, when an earlier one is not approved yet. */
  after: string | null;
  decisions: DecisionView[];
  /** The viewer is one of its approvers and may decide it now. */
  mayDecide: boolean;
  /** Approved by approvals of an earlier version that still cover it (no request for this version). */
  covered: boolean;
}

export interface RequestView {
  id: string;
  state: string;
  fingerprint: string;
  submittedBy: string;
  submittedAt: string | null;
}

export interface ApprovalsView {
  /** The server has evaluated the policy for this room (false: no policy, or not priced yet). */
  present: boolean;
  fingerprint: string;
  steps: StepView[];
  request: RequestView | null;
  /** "Needs approval: Sales manager (Discount over 20%), VP sales (Discount over 30%)". */
  summary: string;
  tone: "ok" | "needed" | "pending" | "approved" | "rejected";
  /** "no_approval_needed", "needs_approval", "pending", "approved", "rejected" or "unpriceable". */
  status: string;
  /** Why the quote is not a complete price (a line the price book cannot price): nothing can be approved. */
  pricingProblems: string[];
  /** Approved because earlier approvals cover every step (no request for this version). */
  covered: boolean;
}

type Rec = Record<string, unknown>;

function rec(value: unknown): Rec | undefined {
  const v = plain(value);
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : undefined;
}

function arr(value: unknown): unknown[] {
  const v = plain(value);
  return Array.isArray(v) ? v : [];
}

function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/** Company roles as people write them (the server's label is "vp sales"). */
const ROLE_LABELS: Record<string, string> = {
  rep: "Rep",
  sales_manager: "Sales manager",
  vp_sales: "VP sales",
  finance: "Finance",
  legal: "Legal",
  admin: "Admin",
};

/** Who decides a step: a role by its name, else the server's label. */
function approversLabel(step: Rec | undefined): string {
  const spec = rec(step?.approvers) ?? rec(step?.approver_spec);
  const role = spec && typeof spec.role === "string" ? ROLE_LABELS[spec.role] : undefined;
  return role ?? capitalize(str(step?.approvers_label));
}

function str(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

function num(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : typeof value === "string" && value.trim() && Number.isFinite(Number(value)) ? Number(value) : fallback;
}

function time(value: unknown): string | null {
  return typeof value === "string" && value && !Number.isNaN(Date.parse(value)) ? value : null;
}

/** "max line discount 32%, now 25%" from a covering approval's `approved` facts. */
function approvedText(raw: unknown): string {
  return arr(raw)
    .map(rec)
    .filter((f): f is Rec => f !== undefined && str(f.approved_value) !== "")
    .map((f) => {
      const label = str(f.label) || str(f.fact).replace(/_/g, " ");
      const then = str(f.approved_value);
      const now = str(f.value);
      return now && now !== then ? `${label} ${then}, now ${now}` : `${label} ${then}`;
    })
    .join("; ");
}

const STATE_LABELS: Record<StepState, string> = {
  needed: "Not submitted",
  pending: "Pending",
  waiting: "Waiting for an earlier step",
  approved: "Approved",
  rejected: "Rejected",
  closed: "Not decided",
};

export class People {
  constructor(
    private readonly raw: Rec | undefined,
    private readonly me?: number,
  ) {}

  name(id: unknown): string {
    if (id === null || id === undefined || id === "") return "someone";
    if (this.me !== undefined && String(id) === String(this.me)) return "you";
    const person = rec(this.raw?.[String(id)]);
    const name = person ? str(person.name).trim() : "";
    return name || `user ${String(id)}`;
  }
}

/** "A", "A or B", "A, B or C" (`word` "and" for a step every approver must approve). */
export function joinNames(names: string[], word: "or" | "and"): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} ${word} ${names[names.length - 1]}`;
}

function reasonOf(step: Rec): { headline: string; lines: string[] } {
  return splitReason(str(step.reason), str(step.headline) || undefined, arr(step.details));
}

function stepState(raw: string): StepState {
  return raw === "approved" || raw === "rejected" || raw === "waiting" || raw === "pending" ? raw : "pending";
}

export function approvalsView(raw: unknown, me?: number): ApprovalsView {
  const data = rec(raw);
  if (!data) return { present: false, fingerprint: "", steps: [], request: null, summary: "", tone: "ok", status: "none", covered: false, pricingProblems: [] };
  const people = new People(rec(data.people), me);
  const required = arr(data.steps).map(rec).filter((s): s is Rec => s !== undefined);
  const req = rec(data.request);
  const reqSteps = req ? arr(req.steps).map(rec).filter((s): s is Rec => s !== undefined) : [];
  const byId = new Map(reqSteps.map((s) => [str(s.id), s]));
  const requestState = req ? str(req.state) || "pending" : "";
  const submittedAt = req ? time(req.submitted_at) : null;

  // The required steps, then any step of the request the current policy no longer lists.
  const ids = required.map((s) => str(s.rule_id) || str(s.id));
  for (const s of reqSteps) if (!ids.includes(str(s.id))) ids.push(str(s.id));
  const rows = ids.map((id) => {
    const need = required.find((s) => (str(s.rule_id) || str(s.id)) === id);
    const asked = byId.get(id);
    // Coverage speaks only while this version has no request of its own.
    const covers = req ? [] : arr(need?.covered_by).map(rec).filter((c): c is Rec => c !== undefined);
    return { id, need, asked, covers, order: num(asked?.order ?? need?.order, 1) };
  });
  rows.sort((a, b) => a.order - b.order);

  const approvedAt = (s: Rec | undefined): string | null => {
    const times = arr(s?.decisions).map(rec).map((d) => time(d?.at)).filter((t): t is string => t !== null);
    return times.sort().at(-1) ?? null;
  };

  const steps: StepView[] = rows.map(({ id, need, asked, covers, order }) => {
    const source = asked ?? need ?? {};
    const mode = str(source.mode) === "all" || str(need?.mode) === "all" ? "all" : "any";
    const covered = !asked && covers.length > 0;
    let state: StepState = asked ? stepState(str(asked.state)) : covered ? "approved" : "needed";
    const earlier = rows.filter((r) => r.order < order && r.asked && str(r.asked.state) !== "approved");
    if (state === "pending" && earlier.length) state = "waiting";
    if ((state === "pending" || state === "waiting") && requestState && requestState !== "pending") state = "closed";
    const decisions: DecisionView[] = covered
      ? covers.map((c) => {
          const approver = rec(c.approver);
          const known = people.name(approver?.id);
          return {
            who: known.startsWith("user ") && str(approver?.name) ? str(approver?.name) : known,
            decision: "approve" as const,
            comment: str(c.comment).trim(),
            at: time(c.decided_at),
            carried: true,
            approved: approvedText(c.approved),
          };
        })
      : arr(asked?.decisions)
          .map(rec)
          .filter((d): d is Rec => d !== undefined)
          .map((d) => ({
            who: people.name(d.actor),
            decision: str(d.decision) === "reject" ? "reject" : "approve",
            comment: str(d.comment).trim(),
            at: time(d.at),
            carried: typeof d.origin === "string" && d.origin !== "" && d.origin !== str(req?.id),
            approved: "",
          }));
    const approvers = arr(asked?.approvers).filter((a) => typeof a === "number" || typeof a === "string");
    const decidedFor = new Set(
      arr(asked?.decisions)
        .map(rec)
        .flatMap((d) => {
          const f = arr(d?.for_approvers);
          return (f.length ? f : [d?.actor]).map(String);
        }),
    );
    const undecided = approvers.filter((a) => !decidedFor.has(String(a)));
    const waitingOn = state === "pending" ? (mode === "all" ? undecided : approvers).map((a) => people.name(a)) : [];
    let since: string | null = null;
    if (state === "pending") {
      since = time(asked?.since);
      if (!since && asked && asked.since === undefined) {
        // An older server does not send `since`: the submission, or the last decision before it.
        const before = rows.filter((r) => r.order < order).map((r) => approvedAt(r.asked));
        since = [submittedAt, ...before].filter((t): t is string => t !== null).sort().at(-1) ?? null;
      }
    }
    const firstOpen = earlier[0];
    const after = state === "waiting" && firstOpen ? str(firstOpen.asked?.name) || str(firstOpen.need?.name) || firstOpen.id : null;
    return {
      id,
      name: str(source.name) || str(need?.name) || id,
      headline: reasonOf(need ?? source).headline,
      reasons: reasonOf(need ?? source).lines,
      approversLabel: approversLabel(need) || approversLabel(asked),
      order,
      mode,
      state,
      stateLabel: covered ? "Approved (covered)" : state === "waiting" && after ? `Waits for ${after}` : STATE_LABELS[state],
      waitingOn,
      since,
      after,
      decisions,
      mayDecide: state === "pending" && me !== undefined && undecided.some((a) => String(a) === String(me)),
      covered,
    };
  });

  const request: RequestView | null = req
    ? { id: str(req.id), state: requestState, fingerprint: str(req.fingerprint) || str(data.fingerprint), submittedBy: people.name(req.submitted_by), submittedAt }
    : null;

  let summary: string;
  let tone: ApprovalsView["tone"];
  if (!steps.length) {
    summary = "No approval needed for this version.";
    tone = "ok";
  } else if (!request && steps.every((s) => s.covered)) {
    summary = "Approved: earlier approvals still cover this version. Nothing to submit.";
    tone = "approved";
  } else if (!request) {
    const open = steps.filter((s) => !s.covered);
    const still = steps.filter((s) => s.covered);
    summary = `Needs approval: ${open.map((s) => (s.headline ? `${s.name} (${s.headline.replace(/^./, (c) => c.toLowerCase())})` : s.name)).join(", ")}`;
    if (still.length) summary += `. Still approved: ${still.map((s) => s.name).join(", ")}`;
    tone = "needed";
  } else if (request.state === "approved") {
    summary = "Approved for this version.";
    tone = "approved";
  } else if (request.state === "rejected") {
    const no = steps.flatMap((s) => s.decisions.filter((d) => d.decision === "reject").map((d) => ({ s, d })))[0];
    summary = no ? `Rejected by ${no.d.who} (${no.s.name})${no.d.comment ? `: “${no.d.comment}”` : "."}` : "Rejected.";
    tone = "rejected";
  } else {
    const open = steps.filter((s) => s.state === "pending");
    summary = open.length
      ? `Pending: waiting on ${open.map((s) => `${joinNames(s.waitingOn, s.mode === "all" ? "and" : "or") || s.approversLabel || s.name} (${s.name})`).join("; ")}`
      : "Pending.";
    tone = "pending";
  }
  let allCovered = !request && steps.length > 0 && steps.every((s) => s.covered);
  let status = !steps.length ? "no_approval_needed" : request ? request.state : allCovered ? "approved" : "needs_approval";
  const pricingProblems = arr(data.pricing_problems)
    .map(rec)
    .map((p) => str(p?.message))
    .filter((m) => m !== "");
  if (pricingProblems.length) {
    // Nobody approves a price that is not one, not even earlier approvals.
    status = "unpriceable";
    allCovered = false;
    summary = `Cannot be priced: ${countedOnce(pricingProblems).join(" ")} Fix the lines before asking for approval.`;
    tone = "rejected";
    for (const step of steps) step.mayDecide = false;
  }
  return { present: true, fingerprint: str(data.fingerprint), steps, request, summary, tone, status, covered: allCovered, pricingProblems };
}

/** Each message once, with how many lines it concerns when more than one: a hundred lines of a dropped
 * product are one problem to fix. */
function countedOnce(messages: string[]): string[] {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts].map(([m, n]) => (n > 1 ? `${m.replace(/\.$/, "")} (${n} lines).` : m));
}

/** May the rep submit this version? Some step is neither covered nor pending or approved for it. */
export function canSubmit(view: ApprovalsView): boolean {
  if (!view.present || !view.steps.length || view.pricingProblems.length) return false;
  if (view.request) return view.request.state === "rejected";
  return view.steps.some((s) => !s.covered);
}

export function canRecall(view: ApprovalsView): boolean {
  return view.request !== null && view.request.state === "pending";
}
