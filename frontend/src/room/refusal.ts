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
  | "reconnect";

const RESET_CODES: ReadonlySet<number> = new Set([CLOSE.BAD_MESSAGE, CLOSE.FORBIDDEN, CLOSE.MESSAGE_TOO_LARGE, CLOSE.RATE_LIMITED]);

/** The decision for a close event; `code` is null when the app closed the socket itself. */
export function closeAction(code: number | null | undefined): CloseAction {
  if (code === null || code === undefined) return "retry";
  if (code === CLOSE.UNAUTHENTICATED) return "signin";
  if (code === CLOSE.NOT_FOUND) return "not-found";
  if (code === CLOSE.HANDSHAKE_TIMEOUT) return "reconnect";
  if (RESET_CODES.has(code)) return "reset";
  // Any other deliberate 44xx refusal: y-websocket will not reconnect, and the doc may hold what
  // was refused, so starting from a fresh copy is the safe choice.
  if (code >= 4400 && code < 4500) return "reset";
  return "retry";
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
