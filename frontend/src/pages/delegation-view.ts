/**
 * Pure helpers of the delegation form and list: calendar days as `YYYY-MM-DD`, the request body,
 * "1–14 Dec" ranges and "You → Frankie Finance, 1–14 Dec, active" labels.
 */
import type { Delegation, DelegationState, Me, NewDelegation } from "../lib/api";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** The person's own calendar day of `date` (local time), as a date input holds it. */
export function localDay(date: Date = new Date()): string {
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The UTC calendar day of `date`. */
function utcDay(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** A real calendar day `YYYY-MM-DD` (not "2026-02-30"), else null. */
export function parseDay(day: string): Date | null {
  const m = DAY.exec(day.trim());
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return utcDay(date) === day.trim() ? date : null;
}

/** `day` moved by `n` calendar days ("2026-12-31" + 1 → "2027-01-01"); "" for a day it cannot read. */
export function addDays(day: string, n: number): string {
  const date = parseDay(day);
  if (!date) return "";
  date.setUTCDate(date.getUTCDate() + n);
  return utcDay(date);
}

/**
 * What the form sends. People think of "until 14 Dec" as including the 14th, but the server's window
 * is half-open — in force from `starts_at` up to, not including, `ends_at` — and reads a bare date as
 * that day's midnight (UTC). So `ends_at` is the day AFTER the chosen last day: until 14 Dec →
 * `ends_at` 15 Dec 00:00, which covers all of the 14th. The start is sent as chosen.
 * Dates the form cannot read are sent as typed, so the server's refusal explains them.
 */
export function delegationBody(to: string, from: string, until: string): NewDelegation {
  return { to: to.trim(), starts_at: from.trim(), ends_at: addDays(until, 1) || until.trim() };
}

/**
 * The calendar day a delegation starts (or, with `last`, the last day it covers). A moment at
 * midnight UTC is a bare date the app (or an API client) sent: its UTC day, and for the end the day
 * before, since the end is exclusive. Any other moment is shown on the viewer's own calendar.
 */
export function shownDay(iso: string, last = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const atMidnightUtc = date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0;
  if (atMidnightUtc) return last ? addDays(utcDay(date), -1) : utcDay(date);
  const local = new Date(date.getTime());
  if (last && local.getHours() === 0 && local.getMinutes() === 0 && local.getSeconds() === 0 && local.getMilliseconds() === 0) {
    local.setDate(local.getDate() - 1); // ends at local midnight: that day is not covered
  }
  return localDay(local);
}

/**
 * "1–14 Dec", "28 Nov – 5 Dec", "1 Dec" (in the reader's locale: "Dec 1 – 14" in en-US); the year
 * only when a day is not in this year. "" when a day cannot be read.
 */
export function dayRange(first: string, last: string, locale?: string, now: Date = new Date()): string {
  const a = parseDay(first);
  const b = parseDay(last);
  if (!a || !b) return "";
  const thisYear = now.getFullYear();
  const withYear = a.getUTCFullYear() !== thisYear || b.getUTCFullYear() !== thisYear;
  const format = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: withYear ? "numeric" : undefined, timeZone: "UTC" });
  if (b.getTime() <= a.getTime()) return format.format(a);
  return format.formatRange(a, b);
}

export const STATE_LABELS: Record<DelegationState, string> = {
  scheduled: "scheduled",
  active: "active",
  ended: "ended",
  revoked: "revoked",
};

/** "You", or the person's name. */
function who(person: { id: number; name: string }, me: Me, capital: boolean): string {
  if (person.id === me.id) return capital ? "You" : "you";
  return person.name || `User ${person.id}`;
}

/** The days a delegation covers, as a range ("1–14 Dec"). */
export function delegationDays(d: Pick<Delegation, "starts_at" | "ends_at">, locale?: string, now?: Date): string {
  return dayRange(shownDay(d.starts_at), shownDay(d.ends_at, true), locale, now);
}

/** "You → Frankie Finance", "Morgan Manager → you" (an admin also sees others' delegations). */
export function delegationPeople(d: Pick<Delegation, "from" | "to">, me: Me): string {
  return `${who(d.from, me, true)} → ${who(d.to, me, false)}`;
}

/** "You → Frankie Finance, 1–14 Dec, active". */
export function delegationLabel(d: Delegation, me: Me, locale?: string, now?: Date): string {
  const days = delegationDays(d, locale, now);
  return [delegationPeople(d, me), days, STATE_LABELS[d.state] ?? d.state].filter(Boolean).join(", ");
}

/** Revoke is offered on what is still to come or in force, to the one who gave it (the server lets admins too). */
export function mayRevoke(d: Delegation, me: Me): boolean {
  return (d.state === "scheduled" || d.state === "active") && (d.from.id === me.id || me.role === "admin");
}

/** The ones in force or to come first (newest first, as the server lists them), then the past ones. */
export function orderDelegations(list: Delegation[], keepPast = 5): Delegation[] {
  const current = list.filter((d) => d.state === "active" || d.state === "scheduled");
  const past = list.filter((d) => d.state !== "active" && d.state !== "scheduled");
  return [...current, ...past.slice(0, keepPast)];
}
