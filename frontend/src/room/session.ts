/**
 * One live Y doc of a room: the doc, its y-websocket provider, the connection state, the count of
 * edits waiting to be sent, and what to do when the server closes the socket.
 *
 * After a refusal the page calls `reset()`: the doc and provider are dropped and new ones made, so
 * the refused change is not resent forever, and the page binds its views to the new doc.
 */
import * as authProtocol from "y-protocols/auth";
import type * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { PendingEdits } from "./pending";
import { closeAction, type CloseAction } from "./refusal";

export type ConnState = "live" | "connecting" | "reconnecting" | "offline";

/** The DOM contract's three states: reconnecting is a kind of connecting. */
export function stateAttr(state: ConnState): "live" | "connecting" | "offline" {
  return state === "reconnecting" ? "connecting" : state;
}

/** After this many failed attempts in a row the room reads as offline (y-websocket keeps trying). */
export const OFFLINE_AFTER_FAILURES = 3;

export interface SessionHooks {
  onState?(state: ConnState): void;
  onPending?(count: number): void;
  /** The server closed the socket with a code that needs the page's decision. */
  onClose?(action: CloseAction, reason: string, code: number, aboutLocalEdits: boolean): void;
}

export interface LocalUser {
  name: string;
  color: string;
}

export function wsBase(loc: Location = location): string {
  return (loc.protocol === "https:" ? "wss://" : "ws://") + loc.host;
}

export class SyncSession {
  doc!: Y.Doc;
  provider!: WebsocketProvider;
  pending!: PendingEdits;
  state: ConnState = "connecting";
  /** Whether the current provider ever completed a sync. */
  everSynced = false;
  private everLive = false;
  private stopped = false;
  private deniedReason = "";

  constructor(
    readonly roomId: string,
    readonly docName: "shared" | "internal",
    private readonly user: LocalUser,
    private readonly hooks: SessionHooks = {},
  ) {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
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
    const provider = new WebsocketProvider(this.url, this.docName, doc, { connect: false, disableBc: true });
    // The server says why it refuses in the auth message before it closes the socket.
    provider.messageHandlers[2] = (_encoder, decoder: decoding.Decoder) => {
      authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => {
        this.deniedReason = reason;
      });
    };
    provider.awareness.setLocalStateField("user", { ...this.user });
    const pending = new PendingEdits(doc, provider);
    pending.subscribe((n) => this.hooks.onPending?.(n));

    const onStatus = () => this.update();
    const onSync = (synced: boolean) => {
      if (synced) {
        this.everSynced = true;
        this.everLive = true;
      }
      this.update();
    };
    const onClose = (event: CloseEvent | null) => {
      if (!event) return this.update();
      const action = closeAction(event.code);
      if (action === "retry") return this.update();
      if (action === "reconnect") {
        provider.connect();
        return this.update();
      }
      const aboutLocalEdits = this.everSynced || pending.count > 0;
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
    if (navigator.onLine !== false) provider.connect();
    this.update();
    this.hooks.onPending?.(0);
  }

  private close(): void {
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
    this.provider.connect();
    this.update();
  }

  private readonly onOnline = () => {
    if (!this.stopped) this.provider.connect();
    this.update();
  };

  private readonly onOffline = () => {
    // Without a network the socket may linger for a while before it notices: say so at once,
    // and keep the edits counted as waiting until a fresh connection has synced them.
    this.provider.disconnect();
    this.update();
  };

  private update(): void {
    const p = this.provider;
    let state: ConnState;
    if (p.synced && p.wsconnected) state = "live";
    else if (this.stopped || navigator.onLine === false || !p.shouldConnect) state = "offline";
    else if (p.wsUnsuccessfulReconnects >= OFFLINE_AFTER_FAILURES) state = "offline";
    else state = this.everLive ? "reconnecting" : "connecting";
    if (state !== this.state) {
      this.state = state;
      this.hooks.onState?.(state);
    }
  }
}
