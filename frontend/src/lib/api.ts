/** The HTTP API of the server (API.md): JSON in and out, the CSRF double-submit header, errors. */

export interface Me {
  id: number;
  email: string;
  name: string;
  role: string;
}

export type RoomRole = "rep" | "legal" | "approver" | "customer" | "viewer";

/** `GET /api/invitations/{token}`: what the invitation page shows before asking for a password. */
export interface InvitationInfo {
  status: "open" | "used" | "expired";
  room_title: string;
  customer_name: string;
  invited_by: string;
  email: string;
  name: string;
  has_account: boolean;
  expires_at: string;
}

export interface RoomSummary {
  id: string;
  title: string;
  customer_name: string;
  customer_may_edit_pricing: boolean;
  customer_deal_fields: string[];
  /** How the room takes the customer's changes to pricing and clauses: proposals the rep decides, or directly. */
  customer_changes?: "propose" | "direct";
  created_at: string;
  role: RoomRole;
  /** When the room's documents last changed (ISO date). */
  last_edit_at?: string;
  /** How many different people have the room open right now. */
  people_here?: number;
}

export interface Member {
  id: number;
  name: string;
  role: string;
}

export interface RoomDetail extends RoomSummary {
  members: Member[];
}

/** Who did something in a room (`null` for the server's own events). */
export interface EventActor {
  id: number | null;
  name: string | null;
}

/** One event of a room (`GET /api/rooms/{id}/activity`); `audience` only for the vendor's people. */
export interface RoomEventView {
  id: number;
  at: string;
  until: string;
  kind: string;
  actor: EventActor | null;
  role: string | null;
  what: Record<string, unknown>;
  label: string;
  summary: string;
  edits: number;
  audience?: "everyone" | "internal";
}

/** A subject changed within a session of the timeline: when first and last, how many edits. */
export interface TimelineChange {
  id: number;
  at: string;
  until: string;
  kind: string;
  what: Record<string, unknown>;
  label: string;
  edits: number;
  audience?: "everyone" | "internal";
}

/** One person's run of changes (no pause of 15 minutes or more). */
export interface TimelineSession {
  person: EventActor | null;
  role: string | null;
  from: string;
  to: string;
  edits: number;
  changes: TimelineChange[];
  more_subjects?: number;
}

export interface BellRoom {
  room_id: string;
  title: string;
  unread: number;
  unread_capped: boolean;
  read_up_to: number;
  latest_id: number;
}

export interface BellItem extends RoomEventView {
  room_id: string;
  room_title: string;
  unread: boolean;
}

/** `GET /api/notifications`: the bell. */
export interface Notifications {
  unread: number;
  rooms: BellRoom[];
  items: BellItem[];
}

/** An error answer of the server: `{"error": CODE, "detail": "human sentence"}` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** The whole error body (e.g. a 422's `problems`, an export's `missing`). */
    readonly data: unknown = null,
  ) {
    super(detail);
  }
}

export const CSRF_COOKIE = "dealroom_csrf";

export function readCookie(name: string, cookies = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!SAFE_METHODS.has(method)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers["X-CSRF-Token"] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "Cannot reach the server. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  let data: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = (data ?? {}) as { error?: string; detail?: string };
    throw new ApiError(
      response.status,
      err.error ?? "http_" + response.status,
      err.detail ?? `The server answered ${response.status} ${response.statusText}`.trim(),
      data,
    );
  }
  return data as T;
}

/** A product of the price book, as the product list gives it to any member of a room. */
export interface ProductSummary {
  sku: string;
  name: string;
  unit: string;
  billing_period: string;
  description: string;
}

/** A product with the facts the caller may see (the server leaves out what customers may not). */
export interface ProductDetail extends ProductSummary {
  facts: {
    collateral: { title: string; url: string; internal?: boolean }[];
    /** Present only for internal roles. */
    competitor_notes?: { competitor: string; note: string }[];
    often_bought_with: string[];
  };
}

/** A fact an approval rule tested, with what was approved last time for that rule in that room. */
export interface ApprovalFact {
  fact: string;
  label?: string;
  value: unknown;
  approved_value?: unknown;
}

/** A person as the approval endpoints name them; older answers may give a bare user id. */
export interface PersonRef {
  id: number | string;
  name?: string;
}

/** One step waiting on the caller (`GET /api/approvals/inbox`). */
export interface InboxItem {
  request_id: string;
  room_id: string;
  room_title?: string;
  step_id: string;
  name: string;
  reason: string;
  headline?: string;
  details?: string[];
  fingerprint: string;
  since?: string;
  submitted_by?: PersonRef | number | null;
  on_behalf_of?: (PersonRef | number | string)[];
  facts?: ApprovalFact[];
  /** For steps about clauses: the room's edited clause blocks, each with its word diff against the library. */
  clauses?: ClauseWording[];
}

/** A clause block an approver is asked about, as the inbox and the link page show it. */
export interface ClauseWording {
  title: string;
  status: string;
  diff: { op: "equal" | "insert" | "delete"; text: string }[];
}

/** What a mailed approval link opens (`GET /api/approvals/link/{token}`). */
export interface LinkStep {
  request_id: string;
  step_id: string;
  name: string;
  reason: string;
  headline?: string;
  room_title: string;
  fingerprint: string;
  request_state: string;
  step_state: string;
  /** What the link's approver decided on this step already, if anything. */
  your_decision?: DecisionChoice | null;
  details?: string[];
  facts?: ApprovalFact[];
  clauses?: ClauseWording[];
  customer_name?: string;
  /** Who asks: the rep who submitted. */
  submitted_by?: string;
  /** The deal priced now (decimal strings). */
  summary?: DealSummary;
}

/** A deal in a line, for a decision on a phone. */
export interface DealSummary {
  currency?: string | null;
  term_months?: number | null;
  net_total?: string | null;
  first_year?: string | null;
  total_discount_pct?: string | null;
  max_line_discount_pct?: string | null;
  lines?: number;
}

export type DecisionChoice = "approve" | "reject";

export interface DecisionBody {
  decision: DecisionChoice;
  /** Required for a rejection (the app asks for it); left out when blank (the server refuses ""). */
  comment?: string;
  fingerprint: string;
}

/** The body of a decision: a blank comment is left out rather than sent as "". */
export function decisionBody(decision: DecisionChoice, comment: string, fingerprint: string): DecisionBody {
  const text = comment.trim();
  return text ? { decision, comment: text, fingerprint } : { decision, fingerprint };
}

/** A request as submit, recall and decisions answer it (only what the app reads). */
export interface RequestAnswer {
  request_id: string;
  state?: string;
  steps?: { id: string; state?: string; name?: string }[];
}

export type DelegationState = "scheduled" | "active" | "ended" | "revoked";

/** "While I am away, they decide for me" (`GET /api/approvals/delegations`): the window is [starts_at, ends_at). */
export interface Delegation {
  id: number;
  from: { id: number; name: string };
  to: { id: number; name: string };
  starts_at: string;
  ends_at: string;
  state: DelegationState;
}

export interface NewDelegation {
  to: string;
  starts_at: string;
  ends_at: string;
}

/** A person of the company, as admins manage them (`GET /api/users`). */
export interface Person {
  id: number;
  email: string;
  name: string;
  role: string;
  active: boolean;
  manager_id: number | null;
  /** Invited as a colleague and has not chosen a password yet (`GET /api/users` only). */
  invited?: boolean;
}

export type PersonChange = { active: boolean } | { manager: string | null } | { role: string };

/** `GET /api/sso/settings` (admins): whether an identity provider is set up and whether staff must use it. */
export interface SsoSettings {
  configured: boolean;
  issuer: string | null;
  /** The admins' choice; in force only while `configured`. */
  required_for_internal: boolean;
  updated_at: string | null;
  /** The admin who last changed it (a user id). */
  updated_by: number | null;
}

export const api = {
  me: () => request<Me>("GET", "/api/me"),
  signIn: (email: string, password: string) => request<{ user: Me }>("POST", "/api/session", { email, password }),
  /** Ends the session here; after single sign-on, answers where the browser signs out at the identity
   * provider (else null). */
  signOut: async () => (await request<{ logout_url: string | null }>("POST", "/api/sso/logout")).logout_url,
  /** `GET /api/sso`: whether the sign-in page offers single sign-on (and whether staff must use it). */
  sso: () => request<{ configured: boolean; required_for_internal: boolean; login_url: string | null }>("GET", "/api/sso"),
  invitation: (token: string) => request<InvitationInfo>("GET", `/api/invitations/${encodeURIComponent(token)}`),
  acceptInvitation: (token: string, name: string, password: string) =>
    request<{ user: Me; room_id: string }>("POST", `/api/invitations/${encodeURIComponent(token)}/accept`, {
      name,
      password,
    }),
  /** The room's changes grouped into sessions, newest first (`before`: the previous page's `next_before`). */
  timeline: (room: string, before?: number | null) =>
    request<{ sessions: TimelineSession[]; next_before: number | null }>(
      "GET",
      `/api/rooms/${encodeURIComponent(room)}/timeline${before ? `?before=${before}` : ""}`,
    ),
  /** Every event of the room the caller may see, newest first. */
  activity: (room: string, before?: number | null) =>
    request<{ events: RoomEventView[]; next_before: number | null }>(
      "GET",
      `/api/rooms/${encodeURIComponent(room)}/activity${before ? `?before=${before}` : ""}`,
    ),
  notifications: () => request<Notifications>("GET", "/api/notifications"),
  markRead: (room_id: string, up_to: number) =>
    request<{ room_id: string; read_up_to: number }>("POST", "/api/notifications/read", { room_id, up_to }),
  rooms: (q: string) => request<{ rooms: RoomSummary[] }>("GET", "/api/rooms" + (q ? `?q=${encodeURIComponent(q)}` : "")),
  room: (id: string) => request<RoomDetail>("GET", `/api/rooms/${encodeURIComponent(id)}`),
  createRoom: (title: string, customer_name: string) =>
    request<RoomSummary>("POST", "/api/rooms", { title, customer_name }),
  decideProposal: (room: string, proposal: string, decision: "accept" | "decline" | "counter", body: { revision: number; value?: number }) =>
    request<{ decision: string }>("POST", `/api/rooms/${encodeURIComponent(room)}/proposals/${encodeURIComponent(proposal)}/${decision}`, body),
  patchRoom: (id: string, changes: Partial<Pick<RoomSummary, "customer_may_edit_pricing" | "customer_deal_fields" | "customer_changes">>) =>
    request<RoomSummary>("PATCH", `/api/rooms/${encodeURIComponent(id)}`, changes),
  invite: (id: string, email: string, name: string) =>
    request<{ url: string; expires_in_days: number }>("POST", `/api/rooms/${encodeURIComponent(id)}/invitations`, {
      email,
      name,
    }),
  /** The products of the price book a room is pinned to (the newest one without a room). */
  products: (room?: string) =>
    request<{ version: number; products: ProductSummary[] }>("GET", `/api/pricebook/products${roomQuery(room)}`),
  product: (sku: string, room?: string) =>
    request<ProductDetail>("GET", `/api/pricebook/products/${encodeURIComponent(sku)}${roomQuery(room)}`),
  submitApproval: (room: string) => request<RequestAnswer>("POST", `/api/rooms/${encodeURIComponent(room)}/approvals`),
  recallApproval: (requestId: string) => request<RequestAnswer>("POST", `/api/approvals/${encodeURIComponent(requestId)}/recall`),
  inbox: () => request<{ items: InboxItem[] }>("GET", "/api/approvals/inbox"),
  decide: (requestId: string, stepId: string, body: DecisionBody) =>
    request<RequestAnswer>("POST", `/api/approvals/${encodeURIComponent(requestId)}/steps/${encodeURIComponent(stepId)}/decision`, body),
  linkStep: (token: string) => request<LinkStep>("GET", `/api/approvals/link/${encodeURIComponent(token)}`),
  linkDecide: (token: string, body: DecisionBody) =>
    request<RequestAnswer>("POST", `/api/approvals/link/${encodeURIComponent(token)}/decision`, body),
  delegations: () => request<{ delegations: Delegation[] }>("GET", "/api/approvals/delegations"),
  delegate: (body: NewDelegation) => request<Delegation>("POST", "/api/approvals/delegations", body),
  revokeDelegation: (id: number) => request<void>("DELETE", `/api/approvals/delegations/${encodeURIComponent(String(id))}`),
  people: () => request<{ users: Person[] }>("GET", "/api/users"),
  changePerson: (id: number, change: PersonChange) => request<Person>("PATCH", `/api/users/${encodeURIComponent(String(id))}`, change),
  ssoSettings: () => request<SsoSettings>("GET", "/api/sso/settings"),
  requireSso: (required: boolean) => request<SsoSettings>("PUT", "/api/sso/settings", { required_for_internal: required }),
};

/** Everyone but customers works for the company: they have an approvals inbox. */
export function isInternalUser(me: Me): boolean {
  return me.role !== "customer";
}

/** Admins manage the company's people (`/people`). */
export function isAdmin(me: Me): boolean {
  return me.role === "admin";
}

/** Internal company roles may create rooms. */
export function mayCreateRooms(me: Me): boolean {
  return me.role === "rep" || me.role === "admin";
}

function roomQuery(room?: string): string {
  return room ? `?room=${encodeURIComponent(room)}` : "";
}
