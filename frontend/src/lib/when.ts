/** Times as people say them: "since 14:02 (5 min ago)", "since 3 Mar, 09:10". Pure, local time. */

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:02" today, "3 Mar, 14:02" on another day; "" for a time it cannot read. */
export function clockTime(iso: string | null | undefined, now: number = Date.now()): string {
  const date = parse(iso);
  if (!date) return "";
  const clock = clockFormat.format(date);
  return sameDay(date, new Date(now)) ? clock : `${dayFormat.format(date)}, ${clock}`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; "" for a time it cannot read. */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  const date = parse(iso);
  if (!date) return "";
  const minutes = Math.floor((now - date.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

/** "since 14:02 (5 min ago)"; "" for a time it cannot read. */
export function since(iso: string | null | undefined, now: number = Date.now()): string {
  const clock = clockTime(iso, now);
  return clock ? `since ${clock} (${ago(iso, now)})` : "";
}
