/**
 * Pure view models of `/pipeline`: the answer of `GET /api/pipeline` typed, its numbers in words, and the
 * data of the two charts (attainment against quota with tier bands, pipeline by stage). No DOM, no chart
 * library: tested on their own (pipeline-view.test.ts).
 */

export type Stage = "draft" | "negotiating" | "in_approval" | "approved" | "exported";

export const STAGES: Stage[] = ["draft", "negotiating", "in_approval", "approved", "exported"];

const STAGE_LABELS: Record<Stage, string> = {
  draft: "Draft",
  negotiating: "Negotiating",
  in_approval: "In approval",
  approved: "Approved",
  exported: "Exported",
};

export interface Tier {
  from_pct: string;
  multiplier: string;
  label: string;
}

export interface Quarter {
  period: string;
  label: string;
  starts: string;
  ends: string;
  tiers: Tier[];
  quota: string | null;
  currency: string | null;
  closed: string | null;
  attainment_pct: string | null;
  tier: string | null;
}

export interface Waiting {
  request_id: string;
  step_id: string;
  name: string;
  waiting_on: { id: number; name: string }[];
  since: string;
  hours_waited: number;
}

export interface PipelineDeal {
  room_id: string;
  title: string;
  customer: string;
  owner: { id: number; name: string; email: string };
  stage: Stage;
  currency: string | null;
  first_year: string | null;
  total: string | null;
  approval: { state: string; request_id: string | null; waiting: Waiting[] };
  open_questions: number;
  open_disputes: number;
  days_since_customer_activity: number | null;
  close_date: string;
  quarter: string | null;
  commission: { currency: string; total: string; layers: { name: string; amount: string; explanation: string }[] } | null;
  attainment: { before_pct: string; after_pct: string; tier_before: string; tier_after: string; tier_changes: boolean; sentence: string } | null;
}

export interface StageRow {
  stage: Stage;
  count: number;
  first_year: Record<string, string>;
}

export interface PersonPipeline {
  user: { id: number; name: string; email: string };
  quarter: Quarter | null;
  deals: PipelineDeal[];
  by_stage: StageRow[];
}

export interface MinePipeline extends PersonPipeline {
  scope: "mine";
}

export interface TeamPipeline {
  scope: "team";
  user: { id: number; name: string; email: string };
  people: PersonPipeline[];
  by_stage: StageRow[];
  approvals_waiting: (Waiting & { room_id: string; title: string; owner: { id: number; name: string } })[];
}

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage as Stage] ?? stage;
}

/** "USD 242,925.00"; "—" for nothing. */
export function money(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount == null || !currency) return "—";
  const value = Number(amount);
  if (!Number.isFinite(value)) return "—";
  const digits = (amount.split(".")[1] ?? "").length;
  return `${currency} ${value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** A short amount for a chart axis or a phone card: "243k", "1.2M". */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${Math.round(value / 1e3)}k`;
  return String(Math.round(value));
}

/** When the customer last acted, in words. */
export function customerActivity(days: number | null): string {
  if (days === null) return "No customer activity yet";
  if (days === 0) return "Customer active today";
  if (days === 1) return "Customer active yesterday";
  return `Customer last active ${days} days ago`;
}

/** Open questions and disputes, in words ("" when none). */
export function openThreads(deal: Pick<PipelineDeal, "open_questions" | "open_disputes">): string {
  const parts: string[] = [];
  if (deal.open_questions) parts.push(`${deal.open_questions} open question${deal.open_questions === 1 ? "" : "s"}`);
  if (deal.open_disputes) parts.push(`${deal.open_disputes} open dispute${deal.open_disputes === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** The approval state in words, with whom a pending request waits on. */
export function approvalText(approval: PipelineDeal["approval"]): string {
  switch (approval.state) {
    case "none":
      return "Not submitted";
    case "pending": {
      const names = approval.waiting.flatMap((w) => w.waiting_on.map((p) => p.name));
      return names.length ? `Waiting on ${[...new Set(names)].join(", ")}` : "Pending";
    }
    default:
      return approval.state.charAt(0).toUpperCase() + approval.state.slice(1);
  }
}

/** How long something has waited: "3 h", "2 d 4 h". */
export function waited(hours: number): string {
  if (hours < 1) return "under an hour";
  if (hours < 24) return `${Math.floor(hours)} h`;
  const days = Math.floor(hours / 24);
  const rest = Math.floor(hours - days * 24);
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

export interface AttainmentChart {
  /** Bars, in percent of quota: closed, and closed plus every open deal in the quarter's currency. */
  closed: number;
  withOpen: number;
  /** Tier bands: [from, to) in percent with their label; the last runs to the axis' end. */
  bands: { from: number; to: number; label: string }[];
  max: number;
}

/** The attainment chart of a rep: null without a quota. The axis runs past the last tier and the bars. */
export function attainmentChart(quarter: Quarter | null, deals: PipelineDeal[]): AttainmentChart | null {
  if (!quarter || quarter.quota === null || quarter.attainment_pct === null) return null;
  const quota = Number(quarter.quota);
  const closed = Number(quarter.attainment_pct);
  const open = deals
    .filter((d) => !["approved", "exported"].includes(d.stage) && d.currency === quarter.currency && d.first_year !== null && d.quarter === quarter.label)
    .reduce((sum, d) => sum + Number(d.first_year), 0);
  const withOpen = quota > 0 ? closed + (open * 100) / quota : closed;
  const starts = quarter.tiers.map((t) => Number(t.from_pct));
  const max = Math.ceil(Math.max(100, withOpen, ...starts.map((s) => s + 50)) / 50) * 50;
  const bands = quarter.tiers.map((t, i) => ({ from: Number(t.from_pct), to: i + 1 < starts.length ? starts[i + 1] : max, label: t.label }));
  return { closed: round1(closed), withOpen: round1(withOpen), bands, max };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Pipeline by stage in one currency (the quota's, else the first one found): counts and first-year values. */
export function stageChart(rows: StageRow[], currency: string | null): { labels: string[]; values: number[]; counts: number[]; currency: string | null } {
  const shown = currency ?? rows.flatMap((r) => Object.keys(r.first_year))[0] ?? null;
  return {
    labels: rows.map((r) => stageLabel(r.stage)),
    values: rows.map((r) => (shown ? Number(r.first_year[shown] ?? 0) : 0)),
    counts: rows.map((r) => r.count),
    currency: shown,
  };
}
