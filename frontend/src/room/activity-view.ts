/**
 * Pure: the words of the room's record. A session's heading ("Bo Buyer · Customer", "14:02–14:20"), a
 * change's line ("Quantity of Platform Professional", "3 edits"), an event of the feed ("Approval
 * submitted") and the bell's count ("99+"). The server sends the labels; this only arranges them.
 */
import type { BellItem, RoomEventView, TimelineChange, TimelineSession } from "../lib/api";
import { roleLabel } from "../pages/labels";
import { clockTime } from "../lib/when";

const KIND_TITLES: Record<string, string> = {
  "change.lines": "Pricing changed",
  "change.deal": "Deal changed",
  "change.terms": "Terms changed",
  "change.notes": "Internal notes changed",
  "approval.submitted": "Submitted for approval",
  "approval.decided": "Approval decided",
  "approval.recalled": "Approval recalled",
  export: "Contract exported",
  invite: "Invitation sent",
};

/** The kind of an event as a short title; an unknown kind by its own words ("thread.opened" → "Thread opened"). */
export function kindTitle(kind: string): string {
  return KIND_TITLES[kind] ?? kind.replace(/[._]/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}

/** "Bo Buyer" (or "Dealroom" for the server's own events). */
export function personName(actor: { name: string | null } | null): string {
  return actor?.name || "Dealroom";
}

/** "Bo Buyer · Customer". */
export function sessionWho(session: TimelineSession): string {
  const name = personName(session.person);
  return session.role ? `${name} · ${roleLabel(session.role)}` : name;
}

/** "14:02–14:20", "14:02" for a moment, or "3 Mar, 14:02–14:20". */
export function span(from: string, to: string, now: number = Date.now()): string {
  const start = clockTime(from, now);
  const end = clockTime(to, now);
  if (!start) return end;
  if (!end || end === start) return start;
  // The same day: the end needs only its clock time.
  const endClock = end.includes(", ") && start.includes(", ") && end.split(", ")[0] === start.split(", ")[0] ? end.split(", ")[1] : end;
  return `${start}–${endClock}`;
}

/** "1 edit", "12 edits". */
export function edits(count: number): string {
  return `${count} edit${count === 1 ? "" : "s"}`;
}

/** A change of a session: its label and how many edits it took. */
export function changeLine(change: TimelineChange): { label: string; detail: string } {
  return { label: change.label, detail: edits(change.edits) };
}

/** An event of the feed: who, what, when. A change says what it touched; other events their summary. */
export function eventLine(event: RoomEventView): { who: string; title: string; what: string } {
  const who = personName(event.actor);
  if (event.kind.startsWith("change.")) return { who, title: kindTitle(event.kind), what: event.label };
  const summary = event.summary.startsWith(`${who} `) ? event.summary.slice(who.length + 1) : event.summary;
  return { who, title: kindTitle(event.kind), what: summary.replace(/^\w/, (c) => c.toUpperCase()) };
}

/** The bell's badge: "" for none, "99+" past what the server counts. */
export function countText(unread: number, capped = false): string {
  if (unread <= 0) return "";
  return capped || unread > 99 ? "99+" : String(unread);
}

/** A bell item in one line: "Bo Buyer changed Quantity of Platform seats". */
export function bellLine(item: BellItem): string {
  return item.summary || `${personName(item.actor)}: ${item.label}`;
}
