/**
 * The data of `/insights` (GET /api/insights) and the pure helpers the page draws it with: who may see it,
 * durations in words, the unit a chart reads best in, the query of the filters, the longest approval waits.
 */

export interface Distribution {
  median: number | null;
  p90: number | null;
  count: number;
}

export interface PersonRef {
  id: number | string;
  name: string;
}

export interface ApprovalWait {
  request_id: string;
  step_id: string;
  name: string;
  start: string;
  end: string | null;
  seconds: number;
  outcome: "approved" | "rejected" | "superseded" | "recalled" | "closed" | "pending";
  waited_on: PersonRef[];
  decided_by: PersonRef | null;
}

export type StageName = "draft" | "negotiating" | "in_approval" | "approved" | "exported";

export interface RoomInsight {
  room_id: string;
  title: string;
  rep: PersonRef | null;
  opened_at: string;
  stage: StageName;
  stage_seconds: Record<string, number>;
  rounds: number;
  to_first_export_seconds: number | null;
  approval_waits: ApprovalWait[];
  customer_replies: Distribution;
  system_ms: Record<string, number>;
  people_seconds: number;
}

export interface InsightsReport {
  now: string;
  filters: { from: string | null; to: string | null; rep: number | null };
  rooms: RoomInsight[];
  stages: (Distribution & { stage: StageName })[];
  approvers: (Distribution & PersonRef & { waiting_now: number })[];
  reps: { id: number | null; name: string; rooms: number; to_first_export: Distribution; rounds: Distribution; approval_waits: Distribution; customer_replies: Distribution }[];
  to_first_export: Distribution;
  rounds: Distribution;
  system: (Distribution & { kind: "pricing" | "routing" | "export" })[];
  people: (Distribution & { kind: "approval_wait" | "customer_reply" })[];
}

export interface InsightsFilters {
  from?: string;
  to?: string;
  rep?: string;
}

/** Roles that see every rep's rooms; a rep sees their own (the server decides, this only shows the link). */
const SEE_ALL = new Set(["sales_manager", "vp_sales", "finance", "admin"]);

export function maySeeInsights(role: string): boolean {
  return role === "rep" || SEE_ALL.has(role);
}

export function seesEveryRep(role: string): boolean {
  return SEE_ALL.has(role);
}

export const STAGE_LABELS: Record<StageName, string> = {
  draft: "Draft",
  negotiating: "Negotiating",
  in_approval: "In approval",
  approved: "Approved",
  exported: "Exported",
};

export const SYSTEM_LABELS: Record<string, string> = { pricing: "Pricing", routing: "Approval routing", export: "Contract generation" };
export const PEOPLE_LABELS: Record<string, string> = { approval_wait: "Waiting for approvers", customer_reply: "Customer replies" };

/** A duration as a person says it: "350 ms", "4.2 s", "12 min", "5.4 h", "3.2 days". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, seconds);
  if (s < 1) return `${Math.round(s * 1000 * 10) / 10} ms`;
  if (s < 60) return `${round1(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${round1(s / 3600)} h`;
  return `${round1(s / 86400)} days`;
}

function round1(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** The unit a chart of these seconds reads best in: days when the largest is two days or more, else hours. */
export function chartUnit(seconds: (number | null)[]): { label: string; divisor: number } {
  const most = Math.max(0, ...seconds.map((s) => s ?? 0));
  return most >= 48 * 3600 ? { label: "days", divisor: 86400 } : { label: "hours", divisor: 3600 };
}

/** The query string of the filters ("" without any): `?from=…&to=…&rep=…`. */
export function insightsQuery(filters: InsightsFilters): string {
  const params = new URLSearchParams();
  for (const key of ["from", "to", "rep"] as const) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function csvUrl(filters: InsightsFilters): string {
  return `/api/insights.csv${insightsQuery(filters)}`;
}

export interface WaitRow extends ApprovalWait {
  room_id: string;
  room_title: string;
}

/** The longest approval waits across rooms, longest first (the ones still waiting among them). */
export function longestWaits(report: Pick<InsightsReport, "rooms">, limit: number): WaitRow[] {
  const rows = report.rooms.flatMap((room) => room.approval_waits.map((wait) => ({ ...wait, room_id: room.room_id, room_title: room.title })));
  return rows.sort((a, b) => b.seconds - a.seconds).slice(0, limit);
}

/** "Morgan Manager", or "Morgan Manager, Mo Other" for a step that waited on several. */
export function waitedOn(wait: Pick<ApprovalWait, "waited_on">): string {
  return wait.waited_on.map((p) => p.name).join(", ") || "—";
}

export const OUTCOME_LABELS: Record<ApprovalWait["outcome"], string> = {
  approved: "Approved",
  rejected: "Rejected",
  superseded: "Superseded",
  recalled: "Recalled",
  closed: "Closed by another rejection",
  pending: "Still waiting",
};
