/** The HTTP API of the server (API.md): JSON in and out, the CSRF double-submit header, errors. */

export interface Me {
  id: number;
  email: string;
  name: string;
  role: string;
}

export type RoomRole = "rep" | "legal" | "approver" | "customer" | "viewer";

export interface RoomSummary {
  id: string;
  title: string;
  customer_name: string;
  customer_may_edit_pricing: boolean;
  customer_deal_fields: string[];
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

/** An error answer of the server: `{"error": CODE, "detail": "human sentence"}` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
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

export const api = {
  me: () => request<Me>("GET", "/api/me"),
  signIn: (email: string, password: string) => request<{ user: Me }>("POST", "/api/session", { email, password }),
  signOut: () => request<void>("DELETE", "/api/session"),
  acceptInvitation: (token: string, name: string, password: string) =>
    request<{ user: Me; room_id: string }>("POST", `/api/invitations/${encodeURIComponent(token)}/accept`, {
      name,
      password,
    }),
  rooms: (q: string) => request<{ rooms: RoomSummary[] }>("GET", "/api/rooms" + (q ? `?q=${encodeURIComponent(q)}` : "")),
  room: (id: string) => request<RoomDetail>("GET", `/api/rooms/${encodeURIComponent(id)}`),
  createRoom: (title: string, customer_name: string) =>
    request<RoomSummary>("POST", "/api/rooms", { title, customer_name }),
  patchRoom: (id: string, changes: Partial<Pick<RoomSummary, "customer_may_edit_pricing" | "customer_deal_fields">>) =>
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
};

/** Internal company roles may create rooms. */
export function mayCreateRooms(me: Me): boolean {
  return me.role === "rep" || me.role === "admin";
}

function roomQuery(room?: string): string {
  return room ? `?room=${encodeURIComponent(room)}` : "";
}
