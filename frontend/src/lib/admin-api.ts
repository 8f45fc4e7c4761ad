/** The admin screens' part of the HTTP API: price book versions and diffs, the policy's drafts, colleagues,
 * room templates and the audit trail. Text bodies (CSV, YAML) go out with their own content type. */
import { ApiError, CSRF_COOKIE, readCookie, request } from "./api";

export type Money = string;

export interface BookProduct {
  sku: string;
  name: string;
  description?: string;
  unit: string;
  unit_plural?: string;
  billing_period: string;
  prices: Record<string, Money>;
  cost?: Record<string, Money>;
  floor?: Record<string, Money>;
  tiers?: { from_qty: number | string; unit_price: Record<string, Money> }[];
  tier_mode?: string;
  rules?: Record<string, unknown>;
  facts?: {
    collateral?: { title: string; url: string; internal?: boolean }[];
    competitor_notes?: { competitor: string; note: string }[];
    often_bought_with?: string[];
  };
  active?: boolean;
}

export interface Book {
  version?: number;
  name?: string;
  effective_from?: string;
  currencies: string[];
  products: BookProduct[];
  [key: string]: unknown;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface BookDiff {
  added: { sku: string; name: string }[];
  removed: { sku: string; name: string }[];
  changed: { sku: string; name: string; changes: FieldChange[] }[];
  book: FieldChange[];
  empty: boolean;
}

export interface BookVersion {
  version: number;
  name: string;
  products: number;
  created_at: string;
  created_by: string | null;
}

export interface AuditEvent {
  id: number;
  at: string;
  kind: string;
  room_id: string | null;
  actor: { id: number; name: string | null } | null;
  data: Record<string, unknown>;
}

export interface PolicyRule {
  id: string;
  name?: string;
  reason?: string;
  when: unknown;
  step: { approvers: Record<string, unknown>; order?: number; mode?: string };
  [key: string]: unknown;
}

export interface PolicyDoc {
  version?: number;
  description?: string;
  rules: PolicyRule[];
  [key: string]: unknown;
}

export interface DraftStep {
  rule_id: string;
  name: string;
  reason: string;
  headline?: string;
  details?: string[];
  approvers_label: string;
  order: number;
  mode: string;
  people: { id: number; name: string }[];
}

export interface Template {
  id: number;
  name: string;
  deal_type: string;
  description: string;
  clauses: string[];
  lines: { sku: string; qty: number; discountPct: number }[];
  revision: number;
  updated_at: string;
}

export type TemplateInput = Omit<Template, "id" | "revision" | "updated_at"> & { revision?: number };

/** A request whose body is text (`text/csv`, `application/yaml`), answered in JSON. */
export async function sendText<T>(method: string, path: string, text: string, contentType: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Content-Type": contentType };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: text, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", "Cannot reach the server. Check your connection and try again.");
  }
  const raw = await response.text();
  let data: unknown = null;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const err = (data ?? {}) as { error?: string; detail?: string };
    throw new ApiError(response.status, err.error ?? `http_${response.status}`, err.detail ?? `The server answered ${response.status}`, data);
  }
  return data as T;
}

async function getText(path: string): Promise<string> {
  const response = await fetch(path, { credentials: "same-origin" });
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, `The server answered ${response.status}`);
  return response.text();
}

const id = (n: number) => encodeURIComponent(String(n));

export const adminApi = {
  book: () => request<Book>("GET", "/api/pricebook"),
  bookCsv: () => getText("/api/pricebook?format=csv"),
  versions: () => request<{ versions: BookVersion[] }>("GET", "/api/pricebook/versions"),
  versionDiff: (to?: number) => request<{ from: number | null; to: number; diff: BookDiff }>("GET", `/api/pricebook/diff${to ? `?to=${to}` : ""}`),
  checkBook: (book: Book) => request<{ base_version: number | null; errors: string[]; diff: BookDiff; book: Book }>("POST", "/api/pricebook/check", book),
  checkCsv: (csv: string) => sendText<{ base_version: number | null; errors: string[]; diff: BookDiff; book: Book }>("POST", "/api/pricebook/check", csv, "text/csv"),
  saveBook: (book: Book, base: number | null) =>
    request<{ version: number; products: number; diff: BookDiff }>("PUT", `/api/pricebook${base ? `?base_version=${base}` : ""}`, book),
  policy: () => request<{ version: number; policy: PolicyDoc }>("GET", "/api/approvals/policy"),
  policyYaml: () => getText("/api/approvals/policy?format=yaml"),
  validateYaml: (yaml: string) => sendText<PolicyCheck>("POST", "/api/approvals/policy/validate", yaml, "application/yaml"),
  validatePolicy: (policy: PolicyDoc) => request<PolicyCheck>("POST", "/api/approvals/policy/validate", policy),
  previewYaml: (room: string, yaml: string) =>
    sendText<{ steps: DraftStep[]; pricing_problems: unknown[] }>("POST", `/api/rooms/${encodeURIComponent(room)}/approvals/preview`, yaml, "application/yaml"),
  savedPreview: (room: string) => request<{ steps: Omit<DraftStep, "people">[] }>("GET", `/api/rooms/${encodeURIComponent(room)}/approvals/preview`),
  savePolicyYaml: (yaml: string, base: number | null) =>
    sendText<{ version: number }>("PUT", `/api/approvals/policy${base ? `?base_version=${base}` : ""}`, yaml, "application/yaml"),
  audit: (kind: string, limit = 20) => request<{ events: AuditEvent[] }>("GET", `/api/audit?kind=${encodeURIComponent(kind)}&limit=${limit}`),
  addColleague: (body: { email: string; name: string; role: string }) =>
    request<{ user: { id: number; name: string; email: string }; invitation_url: string }>("POST", "/api/users", body),
  reinvite: (userId: number) => request<{ invitation_url: string }>("POST", `/api/users/${id(userId)}/invitation`),
  welcome: (token: string) => request<{ email: string; name: string; role: string }>("GET", `/api/welcome/${encodeURIComponent(token)}`),
  acceptWelcome: (token: string, password: string) => request<{ user: unknown }>("POST", `/api/welcome/${encodeURIComponent(token)}/accept`, { password }),
  templates: () => request<{ templates: Template[] }>("GET", "/api/templates"),
  createTemplate: (body: TemplateInput) => request<Template>("POST", "/api/templates", body),
  changeTemplate: (templateId: number, body: TemplateInput) => request<Template>("PUT", `/api/templates/${id(templateId)}`, body),
  deleteTemplate: (templateId: number) => request<void>("DELETE", `/api/templates/${id(templateId)}`),
  createRoom: (title: string, customer_name: string, template: number | null) =>
    request<{ id: string }>("POST", "/api/rooms", { title, customer_name, template }),
};

/** `POST /api/approvals/policy/validate`: whether the draft would save, its problems, and the document as read. */
export interface PolicyCheck {
  valid: boolean;
  errors: string[];
  rules: string[];
  policy: PolicyDoc | null;
}
