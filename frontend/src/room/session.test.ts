/**
 * The session against a scripted server on a fake WebSocket: edits made offline are kept locally,
 * come back on the next visit and are sent; the server's acknowledgement clears them; a refusal
 * deletes the local copy.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as authProtocol from "y-protocols/auth";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { storeName } from "./local-store";
import type { CloseAction } from "./refusal";
import { SyncSession, type SeatWait } from "./session";
import { MemoryBackend } from "./store.fixture";

class FakeSocket {
  static sockets: FakeSocket[] = [];
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readyState = 0;
  binaryType = "";
  sent: Uint8Array[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.sockets.push(this);
  }
  send(data: Uint8Array): void {
    if (this.readyState === 1) this.sent.push(new Uint8Array(data));
  }
  close(): void {
    this.readyState = 3;
  }
}

/** The server's side of one socket: the y-websocket protocol over `doc`, in order. */
class Server {
  private read = 0;
  constructor(
    readonly doc: Y.Doc,
    readonly ws: FakeSocket,
  ) {}

  private deliver(build: (e: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder();
    build(encoder);
    const bytes = encoding.toUint8Array(encoder);
    this.ws.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  }

  /** Accept the socket and send our step 1 first, like workspace/sync/connection.py. */
  accept(): void {
    this.ws.readyState = 1;
    this.ws.onopen?.({});
    this.deliver((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, this.doc);
    });
  }

  /** Handle what the client sent so far; `refuse` answers the first update with a refusal. */
  pump(refuse?: string): void {
    while (this.read < this.ws.sent.length && this.ws.readyState === 1) {
      const decoder = decoding.createDecoder(this.ws.sent[this.read++]);
      if (decoding.readVarUint(decoder) !== 0) continue; // awareness
      const kind = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (kind === syncProtocol.messageYjsSyncStep1) {
        this.deliver((e) => {
          encoding.writeVarUint(e, 0);
          syncProtocol.writeSyncStep2(e, this.doc, payload);
        });
      } else if (refuse !== undefined) {
        this.deliver((e) => {
          encoding.writeVarUint(e, 2);
          authProtocol.writePermissionDenied(e, refuse);
        });
        this.ws.readyState = 3;
        this.ws.onclose?.({ code: 4403, reason: refuse });
      } else {
        Y.applyUpdate(this.doc, payload);
      }
    }
  }
}

const USER = { id: 7, name: "Blake Buyer", color: "#123456" };

async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await vi.advanceTimersByTimeAsync(ms);
    for (let j = 0; j < 20; j++) await Promise.resolve();
  }
}

/** Exactly `ms` of the fake clock (settle() runs it five times over). */
async function after(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  for (let j = 0; j < 20; j++) await Promise.resolve();
}

function lastSocket(): FakeSocket {
  return FakeSocket.sockets[FakeSocket.sockets.length - 1];
}

describe("sync session", () => {
  let sessions: SyncSession[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("WebSocket", FakeSocket);
    FakeSocket.sockets = [];
    sessions = [];
  });
  afterEach(() => {
    for (const s of sessions) s.destroy();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  function open(backend: MemoryBackend, hooks = {}): SyncSession {
    const session = new SyncSession("room-1", "shared", USER, hooks, backend);
    sessions.push(session);
    return session;
  }

  it("keeps an offline edit through a reload, sends it on the next visit, and forgets it once acknowledged", async () => {
    const backend = new MemoryBackend();
    const serverDoc = new Y.Doc();
    serverDoc.getMap("deal").set("title", "Acme renewal");

    const first = open(backend);
    expect(first.state).toBe("connecting"); // not "offline" while the local copy is looked for
    await settle();
    const server = new Server(serverDoc, lastSocket());
    server.accept();
    server.pump();
    await settle();
    expect(first.state).toBe("live");
    expect(first.doc.getMap("deal").get("title")).toBe("Acme renewal");

    window.dispatchEvent(new Event("offline"));
    first.doc.getMap("deal").set("paymentTermsDays", 45);
    await settle();
    expect(first.pending.count).toBe(1);
    const leaving = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(true); // the browser asks before the tab goes
    expect(backend.disk.has(storeName(7, "room-1", "shared"))).toBe(true);

    // The tab reloads. (The old page is gone; its teardown keeps unconfirmed edits as they are.)
    first.destroy();
    expect(backend.disk.has(storeName(7, "room-1", "shared"))).toBe(true);
    // The next visit loads the kept edit before it connects.
    const pendingSeen: number[] = [];
    const second = open(backend, { onPending: (n: number) => pendingSeen.push(n) });
    await settle();
    expect(second.doc.getMap("deal").get("paymentTermsDays")).toBe(45);
    expect(second.pending.count).toBe(1);
    const again = new Server(serverDoc, lastSocket());
    again.accept();
    again.pump(); // our step 1 answered: synced; our step 2 stored; then the probe
    await settle(400);
    again.pump(); // the probe answered: acknowledged
    await settle();
    expect(serverDoc.getMap("deal").get("paymentTermsDays")).toBe(45);
    expect(second.pending.count).toBe(0);
    expect(pendingSeen.at(-1)).toBe(0);
    await settle(5500);
    expect(backend.disk.has(storeName(7, "room-1", "shared"))).toBe(false);
    const after = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
  });

  it("deletes the local copy when the server refuses the kept edit", async () => {
    const backend = new MemoryBackend();
    const serverDoc = new Y.Doc();
    const closes: CloseAction[] = [];
    const first = open(backend, { onClose: (action: CloseAction) => closes.push(action) });
    await settle();
    window.dispatchEvent(new Event("offline"));
    first.doc.getMap("lines").set("qty", 999);
    await settle();
    expect(backend.disk.has(storeName(7, "room-1", "shared"))).toBe(true);

    window.dispatchEvent(new Event("online"));
    await settle();
    const server = new Server(serverDoc, lastSocket());
    server.accept();
    server.pump("line l1 is locked");
    await settle();
    expect(closes).toEqual(["reset"]);
    expect(backend.disk.has(storeName(7, "room-1", "shared"))).toBe(false);
    first.reset();
    await settle();
    expect(first.doc.getMap("lines").get("qty")).toBeUndefined();
    expect(serverDoc.getMap("lines").get("qty")).toBeUndefined();
  });

  it("keeps nothing locally without a signed-in person's id, and keys the internal doc apart", async () => {
    const backend = new MemoryBackend();
    const anonymous = new SyncSession("room-1", "shared", { name: "x", color: "#000" }, {}, backend);
    sessions.push(anonymous);
    const internal = new SyncSession("room-1", "internal", USER, {}, backend);
    sessions.push(internal);
    await settle();
    window.dispatchEvent(new Event("offline"));
    anonymous.doc.getMap("deal").set("a", 1);
    internal.doc.getXmlFragment("notes").insert(0, [new Y.XmlText("floor is 81k")]);
    await settle();
    expect([...backend.disk.keys()]).toEqual([storeName(7, "room-1", "internal")]);
  });

  /** The server takes the socket, then closes it: no place for it (workspace/sync/endpoint.py). */
  function refuseSeat(code: number, reason: string): void {
    const ws = lastSocket();
    ws.readyState = 1;
    ws.onopen?.({});
    ws.readyState = 3;
    ws.onclose?.({ code, reason });
  }

  it("waits for a place after 4529: says why, keeps the doc and its edits, and asks again after a growing pause", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5); // the pauses without their spread: 5 s, then 10 s
    const backend = new MemoryBackend();
    const serverDoc = new Y.Doc();
    const waits: (SeatWait | null)[] = [];
    const closes: CloseAction[] = [];
    const session = open(backend, { onWait: (w: SeatWait | null) => waits.push(w), onClose: (a: CloseAction) => closes.push(a) });
    await settle();
    const doc = session.doc;
    const reason = "you already have 8 connections to this room, the most one person may have; close one to open another";
    const start = Date.now();
    refuseSeat(4529, reason);
    expect(session.state).toBe("waiting");
    expect(waits.at(-1)).toEqual({ code: 4529, reason, retryAt: start + 5_000 });
    expect(closes).toEqual([]); // nothing for the page to decide: no reset
    // Typed while waiting: kept, here and on the device.
    doc.getMap("deal").set("billing", "annual");
    await settle();
    expect(backend.disk.has(storeName(7, "room-1", "shared"))).toBe(true);

    const sockets = FakeSocket.sockets.length;
    await after(900); // y-websocket on its own would have tried twice by now, and every 2.5 s after
    expect(FakeSocket.sockets.length).toBe(sockets);
    await after(4_200);
    expect(FakeSocket.sockets.length).toBe(sockets + 1);
    expect(waits.at(-1)).toMatchObject({ code: 4529, retryAt: null }); // "Trying again now…"
    expect(session.state).toBe("connecting");

    refuseSeat(4529, reason);
    const second = waits.at(-1)!;
    expect(second.retryAt! - Date.now()).toBe(10_000);
    await after(9_000);
    expect(FakeSocket.sockets.length).toBe(sockets + 1);
    await after(1_200);
    expect(FakeSocket.sockets.length).toBe(sockets + 2);

    const server = new Server(serverDoc, lastSocket());
    server.accept();
    server.pump();
    await settle();
    expect(session.state).toBe("live");
    expect(waits.at(-1)).toBeNull();
    expect(session.doc).toBe(doc); // the same doc: nothing was dropped
    expect(serverDoc.getMap("deal").get("billing")).toBe("annual");
    vi.mocked(Math.random).mockRestore();
  });

  it("does not ask while the page is hidden, and asks when it is shown again; Try now asks at once", async () => {
    const session = open(new MemoryBackend());
    await settle();
    refuseSeat(4503, "this room's last 10 places are kept for the deal team; it already has 40 connections");
    const sockets = FakeSocket.sockets.length;
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    document.dispatchEvent(new Event("visibilitychange"));
    await after(120_000);
    expect(FakeSocket.sockets.length).toBe(sockets);
    expect(session.state).toBe("waiting");
    visibility.mockReturnValue("visible");
    document.dispatchEvent(new Event("visibilitychange"));
    await settle();
    expect(FakeSocket.sockets.length).toBe(sockets + 1);

    refuseSeat(4503, "this room already has 50 connections");
    session.retry(); // the notice's "Try now"
    await settle();
    expect(FakeSocket.sockets.length).toBe(sockets + 2);
    await after(30_000); // the timer it replaced does not ask a second time
    expect(FakeSocket.sockets.length).toBe(sockets + 2);
    visibility.mockRestore();
  });

  it("connects again after a handshake timeout (4408), keeping the doc", async () => {
    const backend = new MemoryBackend();
    const session = open(backend);
    await settle();
    const server = new Server(new Y.Doc(), lastSocket());
    server.accept();
    server.pump();
    await settle();
    session.doc.getMap("deal").set("billing", "annual");
    const before = FakeSocket.sockets.length;
    lastSocket().readyState = 3;
    lastSocket().onclose?.({ code: 4408, reason: "no sync handshake within 10 s" });
    await settle(5000);
    expect(FakeSocket.sockets.length).toBeGreaterThan(before);
    expect(session.doc.getMap("deal").get("billing")).toBe("annual");
  });
});
