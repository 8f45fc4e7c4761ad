/**
 * Threads: questions, disputes and notes anchored to what they are about (issue 12). The server writes
 * them (the API below) into the shared doc's `comments` (external) and the internal doc's `comments`
 * (internal, the vendor's people only); the app reads them live from there. Pure helpers and the API.
 */
import type * as Y from "yjs";
import { request } from "../lib/api";
import { DEAL_LABELS } from "./permissions";

export type ThreadKind = "question" | "dispute" | "note";
export type ThreadState = "open" | "answered" | "resolved";
export type Visibility = "external" | "internal";

export interface Author {
  id: number;
  name: string;
  role: string;
}

export type Anchor =
  | { type: "range"; from: string; to: string; quote: string }
  | { type: "clause"; clauseId: string }
  | { type: "line"; lineId: string }
  | { type: "field"; field: string }
  | { type: "room" };

export interface Message {
  id: string;
  author: Author;
  at: string;
  text: string;
}

export interface Thread {
  id: string;
  kind: ThreadKind;
  state: ThreadState;
  visibility: Visibility;
  anchor: Anchor;
  createdBy: Author;
  createdAt: string;
  messages: Message[];
  resolvedBy: Author | null;
  resolvedAt: string | null;
}

export type ThreadFilter = "open" | "disputes" | "resolved" | "all";

export const MAX_TEXT = 10_000;
export const MAX_QUOTE = 500;
const KINDS = new Set(["question", "dispute", "note"]);

export const KIND_LABELS: Record<ThreadKind, string> = { question: "Question", dispute: "Dispute", note: "Note" };
export const STATE_LABELS: Record<ThreadState, string> = { open: "Open", answered: "Answered", resolved: "Resolved" };
export const FILTER_LABELS: Record<ThreadFilter, string> = { open: "Open", disputes: "Disputes", resolved: "Resolved", all: "All" };

/** The threads of one `comments` map, read defensively (an older room may hold free-form comments). */
export function readThreads(map: Y.Map<unknown> | null): Thread[] {
  if (!map) return [];
  const found: Thread[] = [];
  for (const value of map.values()) {
    const raw = (value && typeof value === "object" && "toJSON" in value ? (value as { toJSON(): unknown }).toJSON() : null) as Record<string, unknown> | null;
    if (!raw || typeof raw.id !== "string" || !KINDS.has(String(raw.kind))) continue;
    found.push({
      ...(raw as unknown as Thread),
      messages: Array.isArray(raw.messages) ? (raw.messages as Message[]) : [],
      visibility: raw.visibility === "internal" ? "internal" : "external",
      state: raw.state === "answered" || raw.state === "resolved" ? raw.state : "open",
    });
  }
  return found;
}

/** External and internal threads together, oldest first. */
export function mergeThreads(...lists: Thread[][]): Thread[] {
  return lists.flat().sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id.localeCompare(b.id)));
}

export function filterThreads(threads: Thread[], filter: ThreadFilter): Thread[] {
  if (filter === "open") return threads.filter((t) => t.state !== "resolved");
  if (filter === "disputes") return threads.filter((t) => t.kind === "dispute");
  if (filter === "resolved") return threads.filter((t) => t.state === "resolved");
  return threads;
}

/** Threads still waiting on someone: the header's count. */
export function openCount(threads: Thread[]): number {
  return threads.filter((t) => t.state !== "resolved").length;
}

/** What a thread is about, in words. `lineName` names a line by its product (or SKU). */
export function anchorLabel(anchor: Anchor, lineName: (id: string) => string | undefined = () => undefined): string {
  switch (anchor.type) {
    case "range":
      return `“${anchor.quote}”`;
    case "clause":
      return `Clause ${anchor.clauseId}`;
    case "line":
      return `Line ${lineName(anchor.lineId) ?? anchor.lineId}`;
    case "field":
      return `Deal: ${Object.hasOwn(DEAL_LABELS, anchor.field) ? DEAL_LABELS[anchor.field as keyof typeof DEAL_LABELS] : anchor.field}`;
    default:
      return "The room";
  }
}

/** May this person resolve or reopen the thread? Its opener, or the room's rep (the server decides too). */
export function mayResolve(thread: Thread, me: { id: number }, role: string): boolean {
  return thread.createdBy.id === me.id || role === "rep";
}

export type TextPart = string | { name: string; id: number };

const MENTION = /@\[([^\]\n]{1,200})\]\((\d{1,12})\)/g;

/** A message's text with its mentions (`@[Name](id)`, as the app inserts them) split out. */
export function mentionParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    if (m.index! > last) parts.push(text.slice(last, m.index));
    parts.push({ name: m[1], id: Number(m[2]) });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** What the app inserts for a picked person: the id decides who is told, the name is what shows. */
export function mentionToken(person: { id: number; name: string }): string {
  return `@[${person.name.replace(/[[\]\n]/g, " ").trim()}](${person.id}) `;
}

/** The quote a range thread keeps: the selected words, whitespace folded, at most 500 characters. */
export function quoteOf(text: string): string {
  const folded = text.replace(/\s+/g, " ").trim();
  return folded.length <= MAX_QUOTE ? folded : folded.slice(0, MAX_QUOTE - 1) + "…";
}

/** The thread a deep link (`/rooms/{id}?thread={tid}`, from a mail) opens. */
export function threadFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get("thread");
  return id && /^[\w-]{1,64}$/.test(id) ? id : null;
}

export function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Carries the internal doc's `comments` map (or null once unbound) from the internal chunk to the page. */
export const INTERNAL_THREADS_EVENT = "dealroom:internal-threads";

export function announceInternalThreads(from: HTMLElement, map: Y.Map<unknown> | null): void {
  from.dispatchEvent(new CustomEvent<Y.Map<unknown> | null>(INTERNAL_THREADS_EVENT, { bubbles: true, detail: map }));
}

const enc = encodeURIComponent;

export const threadsApi = {
  open: (room: string, body: { kind: ThreadKind; visibility: Visibility; anchor: Anchor; text: string }) => request<Thread>("POST", `/api/rooms/${enc(room)}/threads`, body),
  reply: (room: string, id: string, text: string) => request<Thread>("POST", `/api/rooms/${enc(room)}/threads/${enc(id)}/messages`, { text }),
  resolve: (room: string, id: string) => request<Thread>("POST", `/api/rooms/${enc(room)}/threads/${enc(id)}/resolve`),
  reopen: (room: string, id: string) => request<Thread>("POST", `/api/rooms/${enc(room)}/threads/${enc(id)}/reopen`),
};
