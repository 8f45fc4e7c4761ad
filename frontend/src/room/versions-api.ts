/**
 * The room's record over HTTP (workspace/record): versions, compare, restore, and what changed since the
 * person last looked. Types mirror the server's answers; customers get no fingerprints and no approvals.
 */
import { request } from "../lib/api";
import type { DiffOp } from "../lib/clauses";

export type VersionReason = "submitted" | "decided" | "exported" | "manual" | "restored";

export interface VersionSummary {
  number: number;
  label: string;
  reason: VersionReason;
  created_at: string;
  created_by: { id: number | null; name: string; role: string };
  /** Internal people only. */
  fingerprint?: string;
}

export interface CompareSide {
  number: number | null;
  label: string;
  current: boolean;
  created_at: string | null;
}

export type BlockStatus = "same" | "changed" | "added" | "removed";

export interface CompareBlock {
  kind: "clause" | "text";
  status: BlockStatus;
  clause_id?: string;
  title?: string;
  title_before?: string;
  /** Index among the terms' top-level blocks in the later version (null: removed). */
  position: number | null;
  text?: string;
  diff?: DiffOp[];
}

export interface LineValues {
  sku: string;
  product: string;
  qty: string;
  discount_pct: string;
  list_unit: string | null;
  net_unit: string | null;
  net_total: string | null;
}

export interface CompareLine {
  id: string;
  status: BlockStatus;
  before: LineValues | null;
  after: LineValues | null;
  changed: (keyof LineValues)[];
}

export interface CompareField {
  field: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

export interface CarriedRequest {
  request_id: string;
  state: string;
  submitted_by: string;
  submitted_at: string;
  steps: { name: string; state: string; decisions: { approver: string; decision: string; at: string; comment: string }[] }[];
}

export interface CompareResult {
  from: CompareSide;
  to: CompareSide;
  terms: CompareBlock[];
  lines: CompareLine[];
  totals: { currency_before: string | null; currency_after: string | null; before: Record<string, string | null>; after: Record<string, string | null>; changed: string[] };
  deal: CompareField[];
  counts: { terms: number; lines: number; deal: number; total: number };
  /** Internal people only: the approval requests bound to each side's version. */
  approvals?: { from: CarriedRequest[]; to: CarriedRequest[] };
}

export interface SinceLastSeen {
  first_visit: boolean;
  since: string | null;
  changes: number;
  who: { id: number; name: string; role: string }[];
  compare: CompareResult | null;
}

const base = (room: string) => `/api/rooms/${encodeURIComponent(room)}`;

export const versionsApi = {
  list: (room: string) => request<{ versions: VersionSummary[] }>("GET", `${base(room)}/versions`).then((r) => r.versions),
  save: (room: string, label: string) => request<VersionSummary>("POST", `${base(room)}/versions`, { label }),
  compare: (room: string, from: number, to: number | "current") =>
    request<CompareResult>("GET", `${base(room)}/versions/compare?from=${from}&to=${to}`),
  restore: (room: string, number: number, part: "terms" | "pricing") =>
    request<VersionSummary>("POST", `${base(room)}/versions/${number}/restore`, { part }),
  sinceLastSeen: (room: string) => request<SinceLastSeen>("GET", `${base(room)}/since-last-seen`),
  seen: (room: string) => request<void>("POST", `${base(room)}/seen`),
};
