/**
 * One live Y doc of a room: the doc, its y-websocket provider, the connection state, the count of
 * edits waiting for the server, the local copy of those edits, and what to do when the server
 * closes the socket.
 *
 * Edits count as waiting until the server acknowledges them (acks.ts); until then they are also kept
 * in this browser (local-store.ts), so a reload or a closed tab does not lose them, and leaving the
 * page asks first (beforeunload).
 *
 * After a refusal the page calls `reset()`: the doc and provider are dropped and new ones made, so
 * the refused change is not resent forever, and the page binds its views to the new doc. The local
 * copy is deleted at the refusal already, so the refused change cannot come back from it either.
 *
 * A socket the server had no place for (4503 room full, 4529 too many of the person's connections) refused
 * nothing the doc holds: the session keeps the doc and its edits, tells the page why (`onWait`) and asks
 * again after a growing pause (refusal.ts, `seatRetryDelay`), not while the page is hidden.
 */
import * as authProtocol from "y-protocols/auth";
import type * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { ServerAcks } from "./acks";
import { browserBackend, forgetOthers, LocalEdits, storeName, type StoreBackend } from "./local-store";
import { PendingEdits } from "./pending";
import { closeAction, reconnectsByItself, seatRetryDelay, type CloseAction } from "./refusal";

export type ConnState = "live" | "connecting" | "reconnecting" | "offline" | "waiting";

/** The DOM contract's states: reconnecting is a kind of connecting; "waiting" is for a place in a full room. */
export function stateAttr(state: ConnState): "live" | "connecting" | "offline" | "waiting" {
  return state === "reconnecting" ? "connecting" : state;
}

/** The server had no place for the socket: why, and when the session asks again. */
export interface SeatWait {
  code: number;
  /** The server's close reason. */
  reason: string;
  /** When the next attempt is due (epoch ms; a hidden page makes it when shown again); null while it runs. */
  retryAt: number | null;
}

/** After this many failed attempts in a row the room reads as offline (y-websocket keeps trying). */
export const OFFLINE_AFTER_FAILURES = 3;

export interface SessionHooks {
  onState?(state: ConnState): void;
  onPending?(count: number): void;
  /** The server closed the socket with a code that needs the page's decision. */
  onClose?(action: CloseAction, reason: string, code: number, aboutLocalEdits: boolean): void;
  /** No place in the room for now (the session retries by itself); null once it has one again. */
  onWait?(wait: SeatWait | null): void;
}

export interface LocalUser {
  /** The signed-in person's id: keys the local copy of unsent edits (none is kept without it). */
  id?: number;
  name: string;
  color: string;
}

/** Edits on a live socket are confirmed in a batch once typing pauses this long. */
const PROBE_DELAY_MS = 300;

/** Other people's internal docs are deleted from this browser once per page load. */
let othersForgotten = false;

export function wsBase(loc: Location = location): string {
  return (loc.protocol === "https:" ? "wss://" : "ws://") + loc.host;
}

export class SyncSession {
  doc!: Y.Doc;
  provider!: WebsocketProvider;
  pending!: PendingEdits;
  local: LocalEdits | null = null;
  private acks!: ServerAcks;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  state: ConnState = "connecting";
  /** Whether the current provider ever completed a sync. */
  everSynced = false;
  private everLive = false;
  private stopped = false;
  /** Loading the local copy: the socket waits, so that what was kept goes out in the first sync. */
  private restoring = false;
  private deniedReason = "";
  /** Waiting for a place in the room: why, how many refusals in a row, and the timer of the next attempt. */
  private seat: { code: number; reason: string; attempts: number; retryAt: number | null } | null = null;
  private seatTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly roomId: string,
    readonly docName: "shared" | "internal",
    private readonly user: LocalUser,
    private readonly hooks: SessionHooks = {},
    private readonly backend: StoreBackend | null = browserBackend(),
  ) {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    document.addEventListener("visibilitychange", this.onVisibility);
    if (user.id !== undefined && backend && !othersForgotten) {
      othersForgotten = true;
      void forgetOthers(user.id, backend);
    }
    this.open();
  }

  get url(): string {
    return `${wsBase()}/ws/rooms/${encodeURIComponent(this.roomId)}`;
  }

  private open(): void {
    this.stopped = false;
    this.everSynced = false;
    this.deniedReason = "";
    const doc = new Y.Doc();
    // Cross-tab BroadcastChannel sync is off: a refused change must not come back from another tab.
    const provider = new WebsocketProvider(this.url, this.docName, doc, {
      connect: false,
      disableBc: true,
      // A refused seat is retried by this session, slower than y-websocket would.
      shouldReconnect: (event) => reconnectsByItself(event.code),
    });
    // The server says why it refuses in the auth message before it closes the socket.
    provider.messageHandlers[2] = (_encoder, decoder: decoding.Decoder) => {
      authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => {
        this.deniedReason = reason;
      });
    };
    provider.awareness.setLocalStateField("user", { name: this.user.name, color: this.user.color });
    const local =
      this.user.id !== undefined && this.backend ? new LocalEdits(storeName(this.user.id, this.roomId, this.docName), doc, this.backend) : null;
    const pending = new PendingEdits(doc, provider, { ignore: (origin) => local?.isStore(origin) ?? false });
    const acks = new ServerAcks(provider, (mark) => {
      pending.confirm(mark);
      if (pending.unconfirmed > 0) this.probeSoon();
    });
    pending.subscribe((n) => {
      this.warnOnLeave(n > 0);
      this.hooks.onPending?.(n);
    });
    pending.onChanges((n) => local?.track(n));
    pending.onEdit(() => this.probeSoon());

    const onStatus = () => this.update();
    const onSync = (synced: boolean) => {
      if (synced) {
        this.everSynced = true;
        this.everLive = true;
        this.endSeatWait();
        // Our step 2 (what was edited offline) went out before this answer came in: ask again.
        if (pending.unconfirmed > 0) acks.probe(pending.mark);
      }
      this.update();
    };
    const onClose = (event: CloseEvent | null) => {
      if (!event) return this.update();
      const action = closeAction(event.code);
      if (action === "retry") return this.update();
      if (action === "wait") return this.waitForSeat(event.code, event.reason);
      if (action === "reconnect") {
        // y-websocket stops after a 44xx close once this handler returns: connect after that.
        queueMicrotask(() => {
          if (this.provider === provider && !this.stopped) provider.connect();
          this.update();
        });
        return this.update();
      }
      const aboutLocalEdits = this.everSynced || pending.unconfirmed > 0;
      // Whatever was refused must not come back from the local copy, even if the page goes now.
      if (action === "reset" || action === "not-found") void local?.discard();
      this.stopped = true;
      this.update();
      this.hooks.onClose?.(action, event.reason || this.deniedReason, event.code, aboutLocalEdits);
    };
    provider.on("status", onStatus);
    provider.on("sync", onSync);
    provider.on("connection-close", onClose);
    this.doc = doc;
    this.provider = provider;
    this.pending = pending;
    this.acks = acks;
    this.local = local;
    this.restoring = local !== null;
    this.update();
    this.hooks.onPending?.(0);
    const start = () => {
      this.restoring = false;
      if (!this.stopped && navigator.onLine !== false) provider.connect();
      // Connected meanwhile (retry()): what was kept went out as updates; have it acknowledged.
      if (provider.synced && pending.unconfirmed > 0) this.probeSoon();
      this.update();
    };
    // Load what an earlier visit kept before syncing, so it goes out in the first step 2.
    if (local) {
      void local.restore().then((kept) => {
        if (this.provider !== provider) return;
        pending.restore(kept);
        start();
      });
    } else start();
  }

  private probeSoon(): void {
    if (this.probeTimer !== undefined) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      if (this.pending.unconfirmed > 0) this.acks.probe(this.pending.mark);
    }, PROBE_DELAY_MS);
  }

  private warning = false;
  private warnOnLeave(on: boolean): void {
    if (on === this.warning) return;
    this.warning = on;
    if (on) window.addEventListener("beforeunload", this.onBeforeUnload);
    else window.removeEventListener("beforeunload", this.onBeforeUnload);
  }

  /** Edits the server has not got yet: the browser asks before the tab is closed or reloaded. */
  private readonly onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (this.pending.count === 0) return;
    event.preventDefault();
    event.returnValue = ""; // browsers that predate preventDefault() here
  };

  /** No place for now: keep the doc, say why, and ask again after a pause that grows with each refusal. */
  private waitForSeat(code: number, reason: string): void {
    const attempts = (this.seat?.attempts ?? 0) + 1;
    this.seat = { code, reason, attempts, retryAt: null };
    this.scheduleSeatRetry(Date.now() + seatRetryDelay(attempts));
  }

  private scheduleSeatRetry(at: number): void {
    const seat = this.seat;
    if (!seat) return;
    clearTimeout(this.seatTimer);
    this.seatTimer = undefined;
    // A hidden page does not ask; it asks when it is shown again (at once if its time has passed).
    seat.retryAt = at;
    if (document.visibilityState !== "hidden") {
      this.seatTimer = setTimeout(() => this.retrySeat(), Math.max(0, at - Date.now()));
    }
    this.update();
    this.hooks.onWait?.({ code: seat.code, reason: seat.reason, retryAt: seat.retryAt });
  }

  private retrySeat(): void {
    clearTimeout(this.seatTimer);
    this.seatTimer = undefined;
    const seat = this.seat;
    if (!seat || this.stopped) return;
    seat.retryAt = null;
    this.hooks.onWait?.({ code: seat.code, reason: seat.reason, retryAt: null });
    if (navigator.onLine !== false) this.provider.connect();
    this.update();
  }

  private endSeatWait(): void {
    clearTimeout(this.seatTimer);
    this.seatTimer = undefined;
    if (!this.seat) return;
    this.seat = null;
    this.hooks.onWait?.(null);
  }

  private readonly onVisibility = (): void => {
    const seat = this.seat;
    if (!seat || seat.retryAt === null) return;
    if (document.visibilityState === "hidden") {
      clearTimeout(this.seatTimer);
      this.seatTimer = undefined;
    } else this.scheduleSeatRetry(seat.retryAt);
  };

  private close(): void {
    this.endSeatWait();
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.warnOnLeave(false);
    this.local?.close();
    this.acks.destroy();
    this.pending.destroy();
    this.provider.destroy();
    this.doc.destroy();
  }

  /** Drop the local doc (and whatever the server refused in it) and sync a fresh one. */
  reset(): void {
    this.close();
    this.open();
  }

  /** Stop for good (the page is leaving, or the room is gone). */
  destroy(): void {
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.close();
  }

  /** Stop reconnecting, keeping the doc as it is (e.g. the server refused the socket itself). */
  halt(): void {
    this.stopped = true;
    this.provider.disconnect();
    this.update();
  }

  retry(): void {
    this.stopped = false;
    if (this.seat) return this.retrySeat();
    this.provider.connect();
    this.update();
  }

  private readonly onOnline = () => {
    // Waiting for a place: the pause holds, back online or not (an attempt that fell in the offline time runs now).
    if (!this.stopped && !this.restoring && !this.seat?.retryAt) this.provider.connect();
    this.update();
  };

  private readonly onOffline = () => {
    // Without a network the socket may linger for a while before it notices: say so at once.
    // Edits stay counted as waiting until the server acknowledges them on a fresh connection.
    this.provider.disconnect();
    this.update();
  };

  private update(): void {
    const p = this.provider;
    let state: ConnState;
    if (p.synced && p.wsconnected) state = "live";
    else if (this.stopped || navigator.onLine === false) state = "offline";
    else if (this.seat) state = this.seat.retryAt ? "waiting" : this.everLive ? "reconnecting" : "connecting";
    else if (this.restoring) state = this.everLive ? "reconnecting" : "connecting";
    else if (!p.shouldConnect) state = "offline";
    else if (p.wsUnsuccessfulReconnects >= OFFLINE_AFTER_FAILURES) state = "offline";
    else state = this.everLive ? "reconnecting" : "connecting";
    if (state !== this.state) {
      this.state = state;
      this.hooks.onState?.(state);
    }
  }
}
