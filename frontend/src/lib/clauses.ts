/**
 * The clause library and contract export (API.md "Clauses and export"): types, calls, and the pure
 * helpers the library page and the room share — splitting a clause's plain text into paragraphs and
 * `{{variables}}`, reading the server's `computed.clauses` / `computed.variables`, the status labels.
 *
 * Clause text is plain text: paragraphs separated by a blank line, variables written `{{customer.name}}`.
 */
import { ApiError, CSRF_COOKIE, readCookie, request } from "./api";

export type VersionStatus = "draft" | "published" | "retired";

export interface Fallback {
  rank: number;
  text: string;
  when_to_use: string;
}

export interface ClauseVersion {
  number: number;
  status: VersionStatus;
  text: string;
  fallbacks: Fallback[];
  deviation_approval: string;
}

export interface Clause {
  id: string;
  key: string;
  title: string;
  category: string;
  versions: ClauseVersion[];
  latest_published: number | null;
  draft: number | null;
}

export interface NewClause {
  key: string;
  title: string;
  category: string;
  text: string;
  fallbacks: Fallback[];
  deviation_approval: string;
}

export type NewVersion = Pick<NewClause, "text" | "fallbacks" | "deviation_approval">;

export interface VariableDef {
  name: string;
  label: string;
}

export interface ExportRecord {
  id: string;
  created_at: string;
  fingerprint: string;
  sha256: string;
  size: number;
  redline: boolean;
  filename: string;
  created_by: { id: number; name: string } | null;
  url: string;
}

export interface MissingApproval {
  rule_id: string;
  name: string;
  reason: string;
  why: string;
}

const enc = encodeURIComponent;

export const clauseApi = {
  list: (q = "", category = "") => {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    if (category) params.set("category", category);
    const qs = params.toString();
    return request<{ clauses: Clause[] }>("GET", "/api/clauses" + (qs ? `?${qs}` : ""));
  },
  get: (id: string) => request<Clause>("GET", `/api/clauses/${enc(id)}`),
  create: (body: NewClause) => request<Clause>("POST", "/api/clauses", body),
  newVersion: (id: string, body: NewVersion) => request<Clause>("POST", `/api/clauses/${enc(id)}/versions`, body),
  publish: (id: string, n: number) => request<Clause>("POST", `/api/clauses/${enc(id)}/versions/${n}/publish`),
  retire: (id: string, n: number) => request<Clause>("POST", `/api/clauses/${enc(id)}/versions/${n}/retire`),
  variables: () => request<{ variables: VariableDef[] }>("GET", "/api/clauses/variables"),
  exports: (room: string) => request<{ exports: ExportRecord[] }>("GET", `/api/rooms/${enc(room)}/exports`),
};

/** What an export answered: the file, or the approvals still missing (409), else an ApiError is thrown. */
export type ExportResult = { ok: true; blob: Blob; filename: string; id: string | null } | { ok: false; missing: MissingApproval[]; detail: string };

/** `POST /api/rooms/{id}/export`: a binary answer, so not through `request` (which reads JSON). */
export async function exportContract(room: string, redline: boolean): Promise<ExportResult> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/json" };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let response: Response;
  try {
    response = await fetch(`/api/rooms/${enc(room)}/export`, {
      method: "POST",
      headers,
      body: JSON.stringify({ format: "docx", redline }),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "Cannot reach the server. Check your connection and try again.");
  }
  if (response.ok) {
    const blob = await response.blob();
    return { ok: true, blob, filename: filenameFrom(response.headers.get("Content-Disposition")) ?? "contract.docx", id: response.headers.get("X-Export-Id") };
  }
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await response.text());
    if (parsed && typeof parsed === "object") data = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the status says enough.
  }
  const detail = typeof data.detail === "string" ? data.detail : `The server answered ${response.status}`;
  if (response.status === 409 && data.error === "approvals_missing") return { ok: false, missing: readMissing(data.missing), detail };
  throw new ApiError(response.status, typeof data.error === "string" ? data.error : `http_${response.status}`, detail, data);
}

export function readMissing(raw: unknown): MissingApproval[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((m): m is Record<string, unknown> => !!m && typeof m === "object").map((m) => ({
    rule_id: str(m.rule_id),
    name: str(m.name) || str(m.rule_id) || "Approval",
    reason: str(m.reason),
    why: str(m.why),
  }));
}

/** The file name of a `Content-Disposition: attachment; filename=…` header (RFC 6266, incl. `filename*`). */
export function filenameFrom(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      return safeName(decodeURIComponent(star[2].trim().replace(/^"|"$/g, "")));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plainName = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plainName) return null;
  return safeName(plainName[2] !== undefined ? plainName[2].replace(/\\(.)/g, "$1") : plainName[1].trim());
}

function safeName(name: string): string | null {
  const base = name.split(/[\\/]/).pop()?.trim() ?? "";
  return base || null;
}

/** The messages of a 422's `problems` (or `errors`; each names its path), or the error's sentence. */
export function problemsOf(e: unknown): string[] {
  if (e instanceof ApiError) {
    const data = e.data as { problems?: unknown; errors?: unknown } | null;
    const raw = Array.isArray(data?.problems) ? data.problems : Array.isArray(data?.errors) ? data.errors : [];
    const problems = raw.map((p) => (typeof p === "string" ? p : JSON.stringify(p)));
    return problems.length ? problems : [e.detail];
  }
  return ["Something went wrong. Check your connection and try again."];
}

// ---------- Clause text ----------

export type Segment = { text: string } | { variable: string };

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** Paragraphs of a clause's text (blank-line separated; single line breaks become spaces). */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, " ").trim())
    .filter((p) => p.length > 0);
}

/** A paragraph as text runs and variables: "Dear {{customer.name}}," → text, variable, text. */
export function segmentsOf(paragraph: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of paragraph.matchAll(VARIABLE)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: paragraph.slice(last, at) });
    out.push({ variable: m[1] });
    last = at + m[0].length;
  }
  if (last < paragraph.length) out.push({ text: paragraph.slice(last) });
  return out;
}

/** ProseMirror JSON of one paragraph of clause text (variables as `variable` atoms). */
function paragraphJSON(paragraph: string): Record<string, unknown> {
  const content = segmentsOf(paragraph).map((s) => ("variable" in s ? { type: "variable", attrs: { name: s.variable } } : { type: "text", text: s.text }));
  return content.length ? { type: "paragraph", content } : { type: "paragraph" };
}

/** The paragraphs of a clause block's body, as ProseMirror JSON. */
export function bodyJSON(text: string): Record<string, unknown>[] {
  const paragraphs = paragraphsOf(text);
  return paragraphs.length ? paragraphs.map(paragraphJSON) : [{ type: "paragraph" }];
}

/** A whole clause block: the title as its heading, then one paragraph per text paragraph. */
export function clauseBlockJSON(clause: Pick<Clause, "id" | "title">, version: number, text: string): Record<string, unknown> {
  return {
    type: "clause",
    attrs: { clauseId: clause.id, version },
    content: [{ type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: clause.title }] }, ...bodyJSON(text)],
  };
}

export function versionOf(clause: Clause, n: number | null | undefined): ClauseVersion | undefined {
  return n == null ? undefined : clause.versions.find((v) => v.number === n);
}

/** The version people should use: the latest published one, else the draft, else the newest. */
export function shownVersion(clause: Clause): ClauseVersion | undefined {
  return versionOf(clause, clause.latest_published) ?? versionOf(clause, clause.draft) ?? clause.versions[clause.versions.length - 1];
}

/** A clause node's `version` attribute (a number, or its text) as a number. */
export function versionNumber(attr: unknown): number | null {
  const n = typeof attr === "number" ? attr : typeof attr === "string" && attr.trim() ? Number(attr) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

// ---------- What the server computed ----------

export type ClauseStatus = "standard" | "fallback" | "non_standard" | "unknown";

export interface DiffOp {
  op: "equal" | "insert" | "delete";
  text: string;
}

/** One entry of `computed.clauses`: the n-th clause block of the terms, checked against the library. */
export interface ClauseCheck {
  index: number;
  clause_id: string;
  title: string;
  version: number | null;
  latest_version: number | null;
  status: ClauseStatus;
  fallback_rank: number | null;
  diff: DiffOp[];
  reason: string;
  /** Internal doc only. */
  category?: string;
  approval?: unknown;
  /** "free_text" for the text outside clause blocks (`computed.free_text`); absent on clause entries. */
  kind?: string;
  /** Variables the checked text uses that have no value yet. */
  unknown_variables?: string[];
}

const STATUSES: ReadonlySet<string> = new Set(["standard", "fallback", "non_standard", "unknown"]);
const OPS: ReadonlySet<string> = new Set(["equal", "insert", "delete"]);

/** A value of a computed map as plain data (a nested Y type reads as its JSON). */
export function plainOf(value: unknown): unknown {
  // A Y type (when the server wrote nested Y maps/arrays) reads as its JSON.
  if (value && typeof value === "object" && "toJSON" in value && typeof (value as { toJSON: unknown }).toJSON === "function" && !Array.isArray(value)) {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

function int(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

/** `computed.clauses`, read defensively (any key may be missing on an older server). */
export function readChecks(raw: unknown): ClauseCheck[] {
  const list = plainOf(raw);
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => plainOf(item))
    .filter((item): item is Record<string, unknown> => isRecord(item))
    .map((r, i) => readCheck(r, i));
}

/** A plain object (not null, not an array), a Y map read as its JSON. */
export function recordOf(raw: unknown): Record<string, unknown> | null {
  const value = plainOf(raw);
  return isRecord(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/** One checked entry (`computed.clauses[i]`, `computed.free_text`); `i` stands in for a missing index. */
export function readCheck(r: Record<string, unknown>, i: number): ClauseCheck {
  const status = str(r.status);
  const diff = plainOf(r.diff);
  const unknownVariables = plainOf(r.unknown_variables);
  return {
    index: int(r.index) ?? i,
    clause_id: str(r.clause_id),
    title: str(r.title),
    version: int(r.version),
    latest_version: int(r.latest_version),
    status: (STATUSES.has(status) ? status : "unknown") as ClauseStatus,
    fallback_rank: int(r.fallback_rank),
    diff: (Array.isArray(diff) ? diff : [])
      .map((d) => plainOf(d))
      .filter((d): d is Record<string, unknown> => isRecord(d))
      .filter((d) => OPS.has(str(d.op)))
      .map((d) => ({ op: str(d.op) as DiffOp["op"], text: str(d.text) })),
    reason: str(r.reason),
    category: typeof r.category === "string" ? r.category : undefined,
    approval: r.approval,
    ...(typeof r.kind === "string" ? { kind: r.kind } : {}),
    ...(Array.isArray(unknownVariables) ? { unknown_variables: unknownVariables.filter((v): v is string => typeof v === "string" && v !== "") } : {}),
  };
}

/** `computed.variables`: variable name → current value (as text). */
export function readVariables(raw: unknown): Map<string, string> {
  const v = plainOf(raw);
  const out = new Map<string, string>();
  if (!v || typeof v !== "object" || Array.isArray(v)) return out;
  for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
    const text = str(value);
    if (text) out.set(name, text);
  }
  return out;
}

export function statusLabel(status: ClauseStatus | "pending", rank?: number | null): string {
  switch (status) {
    case "standard":
      return "Standard";
    case "fallback":
      return rank ? `Fallback ${rank}` : "Fallback";
    case "non_standard":
      return "Non-standard";
    case "unknown":
      return "Unknown clause";
    default:
      return "Checking…";
  }
}

export const VERSION_LABELS: Record<VersionStatus, string> = { draft: "Draft", published: "Published", retired: "Retired" };

/**
 * What an unset variable shows instead of its key, to both sides: "deal.start_date" → "[start date]",
 * "customer.name" → "[customer name]".
 */
export function variablePlaceholder(name: string): string {
  const parts = name.split(".").filter(Boolean);
  const last = parts[parts.length - 1] ?? name;
  const party = parts.length > 1 && (parts[0] === "customer" || parts[0] === "vendor") ? `${parts[0]} ` : "";
  return `[${(party + last).replace(/[_-]+/g, " ").trim()}]`;
}

/** The category (and `kind`) the server files the text outside clause blocks under. */
export const FREE_TEXT = "free_text";
export const FREE_TEXT_TITLE = "Text outside the clauses";

/** A category key as people say it: "data_protection" → "Data protection"; "free_text" → "Text outside the clauses". */
export function categoryLabel(key: string): string {
  if (key === FREE_TEXT) return FREE_TEXT_TITLE;
  const words = key.replace(/[_-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

/** Who approves a deviation, in words ("legal" → "Legal", "vp_sales" → "VP sales"). */
export function approverLabel(name: string): string {
  const known: Record<string, string> = { legal: "Legal", sales_manager: "Sales manager", vp_sales: "VP sales", finance: "Finance", admin: "Admin", none: "Nobody" };
  if (!name) return "Legal";
  return known[name] ?? name.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}
