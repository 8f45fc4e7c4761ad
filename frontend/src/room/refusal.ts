/**
 * What to do when the server closes a room's socket (workspace/sync/closecodes.py).
 *
 * A refused edit comes as the y-websocket auth message `[2, 0, reason]` and a 44xx close. The local
 * doc then holds a change the server will never take; y-websocket would resend it on every
 * reconnect, so the app drops its copy of the doc and syncs a fresh one (the Yjs author's advice).
 */

export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  INTERNAL_ERROR: 1011,
  /** The room moved to another worker (several workers): reconnect, keeping the doc. */
  MOVED: 1012,
  /** The workers cannot reach Redis for now: reconnect in a moment, keeping the doc. */
  TRY_AGAIN_LATER: 1013,
  BAD_MESSAGE: 4400,
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  HANDSHAKE_TIMEOUT: 4408,
  MESSAGE_TOO_LARGE: 4413,
  RATE_LIMITED: 4429,
  ROOM_FULL: 4503,
  TOO_MANY_CONNECTIONS: 4529,
} as const;

export type CloseAction =
  /** A transient drop: y-websocket reconnects by itself and resends local edits. */
  | "retry"
  /** The server refused something the local doc holds: drop the doc, resync a fresh one. */
  | "reset"
  /** The session is gone: sign in again. */
  | "signin"
  /** The room does not exist or is no longer the caller's. */
  | "not-found"
  /** Nothing was refused, but y-websocket stops on 44xx: connect again. */
  | "reconnect"
  /** No place for this socket right now (4503 room full, 4529 too many of one person's connections): keep
   * the doc and its local edits, say why, and try again after a growing pause (SEAT_RETRY). */
  | "wait";

const RESET_CODES: ReadonlySet<number> = new Set([CLOSE.BAD_MESSAGE, CLOSE.FORBIDDEN, CLOSE.MESSAGE_TOO_LARGE, CLOSE.RATE_LIMITED]);

/** The decision for a close event; `code` is null when the app closed the socket itself. */
export function closeAction(code: number | null | undefined): CloseAction {
  if (code === null || code === undefined) return "retry";
  if (code === CLOSE.UNAUTHENTICATED) return "signin";
  if (code === CLOSE.NOT_FOUND) return "not-found";
  if (code === CLOSE.HANDSHAKE_TIMEOUT) return "reconnect";
  if (code === CLOSE.ROOM_FULL || code === CLOSE.TOO_MANY_CONNECTIONS) return "wait";
  if (RESET_CODES.has(code)) return "reset";
  // Any other deliberate 44xx refusal: y-websocket will not reconnect, and the doc may hold what
  // was refused, so starting from a fresh copy is the safe choice.
  if (code >= 4400 && code < 4500) return "reset";
  return "retry";
}

/** Whether y-websocket should reconnect by itself after the server closed with `code` (its own default, except
 * that a refused seat waits for the app's slower retry rather than y-websocket's, which comes every 2.5 s). */
export function reconnectsByItself(code: number): boolean {
  return !(code >= 4400 && code < 4500) && closeAction(code) !== "wait";
}

/**
 * Pauses before asking again for a place in a full room: the first after 5 s, then twice as long each time up
 * to a minute. Each is spread by ±20 % so that the customers a full room refused do not all come back in the
 * same second. A place frees itself when someone closes a tab; this is not the time to hammer the server.
 */
export const SEAT_RETRY = { firstMs: 5_000, maxMs: 60_000, spread: 0.2 } as const;

/** The pause before attempt `attempt` (1 for the first retry); `random` in [0, 1). */
export function seatRetryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(SEAT_RETRY.firstMs * 2 ** Math.max(0, attempt - 1), SEAT_RETRY.maxMs);
  return Math.round(base * (1 - SEAT_RETRY.spread + 2 * SEAT_RETRY.spread * random()));
}

/** Why this socket has no place, in words: a headline for the close code, then the server's own reason. */
export function seatRefusalReason(code: number, reason: string): string {
  const why = reason.trim().replace(/\.*$/, "");
  if (code === CLOSE.TOO_MANY_CONNECTIONS) {
    return `This room is open in too many of your tabs or devices: ${why || "close one to open another"}.`;
  }
  return `This room is full: ${why || "every place is taken"}.`;
}

/** "in 30 s", "in 1 min 5 s": how long until the next attempt, rounded up to whole seconds. */
export function retryIn(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `in ${seconds} s`;
  const rest = seconds % 60;
  return `in ${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ""}`;
}

/** The whole notice: why, and when the room tries again ("now" once it does). */
export function seatWaitMessage(code: number, reason: string, msLeft: number | null): string {
  const when = msLeft === null ? "Trying again now…" : `Trying again ${retryIn(msLeft)}.`;
  return `${seatRefusalReason(code, reason)} ${when}`;
}

/**
 * Guards against a reset loop: a socket refused before it ever synced (e.g. 4403 "not a member"
 * at the handshake) is not about a local edit, and a fresh doc would be refused the same way.
 * Likewise, more than `maxResets` resets in `windowMs` means something keeps being refused.
 */
export class ResetBudget {
  private times: number[] = [];

  constructor(
    private readonly maxResets = 3,
    private readonly windowMs = 30_000,
  ) {}

  /** `aboutLocalEdits`: the doc synced before the refusal, or holds edits not yet sent. */
  allow(aboutLocalEdits: boolean, now = Date.now()): boolean {
    if (!aboutLocalEdits) return false;
    this.times = this.times.filter((t) => now - t < this.windowMs);
    if (this.times.length >= this.maxResets) return false;
    this.times.push(now);
    return true;
  }
}

/** A readable sentence for a refusal notice. */
export function refusalMessage(action: CloseAction, reason: string): string {
  const why = reason.trim().replace(/\.*$/, "");
  switch (action) {
    case "reset":
      return why
        ? `Your last change was not accepted: ${why}. The room was reloaded from the server.`
        : "Your last change was not accepted. The room was reloaded from the server.";
    case "not-found":
      return "Room not found. It may have been removed, or you no longer have access.";
    case "signin":
      return "Your session has ended. Sign in again to continue.";
    default:
      return why;
  }
}
