/**
 * Edits the server does not have yet, kept in this browser (IndexedDB, through y-indexeddb) so that
 * a phone tab that is reloaded or closed while offline loses nothing: the next visit to the room
 * loads them back and sends them.
 *
 * The copy exists only while there are such edits: it is opened at the first unacknowledged edit (with
 * the whole doc, so the edits have their context) and deleted once the server has acknowledged
 * everything. After a refusal it is deleted at once: what the server refused must not come back.
 * Each copy is one database per user, room and doc, so another person signing in on the same browser
 * never loads it; internal docs are only ever opened by internal roles.
 */
import { IndexeddbPersistence } from "y-indexeddb";
import type * as Y from "yjs";

const PREFIX = "dealroom-unsent";
/** The number of unacknowledged changes, next to the doc in y-indexeddb's `custom` store. */
const COUNT_KEY = "changes";
/** Acknowledgements come while typing on a live socket: the database is not reopened for each. */
const DROP_AFTER_MS = 5000;
/** A browser whose IndexedDB hangs (some private modes) must not keep the room from connecting. */
const LOAD_TIMEOUT_MS = 3000;

/** What the session needs of one stored copy (y-indexeddb's IndexeddbPersistence). */
export interface StoredDoc {
  readonly whenSynced: Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: number): Promise<unknown>;
  destroy(): Promise<void>;
}

export interface StoreBackend {
  open(name: string, doc: Y.Doc): StoredDoc;
  remove(name: string): Promise<void>;
  /** Every stored copy's name; null where the browser cannot list them. */
  names(): Promise<string[] | null>;
}

function request(req: IDBOpenDBRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/** IndexedDB, where the browser has it. */
export function browserBackend(): StoreBackend | null {
  if (typeof indexedDB === "undefined") return null;
  return {
    open: (name, doc) => new IndexeddbPersistence(name, doc),
    remove: (name) => request(indexedDB.deleteDatabase(name)),
    async names() {
      if (typeof indexedDB.databases !== "function") return null;
      const dbs = await indexedDB.databases();
      return dbs.map((db) => db.name ?? "").filter((name) => name.startsWith(`${PREFIX}:`));
    },
  };
}

export function storeName(userId: number, roomId: string, docName: string): string {
  return `${PREFIX}:u${userId}:${encodeURIComponent(roomId)}:${docName}`;
}

/** Opening and deleting one database must happen in order, across the copies of a reset session. */
const chains = new Map<string, Promise<unknown>>();
function inOrder<T>(name: string, op: () => Promise<T>): Promise<T> {
  const run = (chains.get(name) ?? Promise.resolve()).then(op, op);
  chains.set(
    name,
    run.catch(() => undefined),
  );
  return run;
}

/** `promise`, or `fallback` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export class LocalEdits {
  private stored: StoredDoc | null = null;
  private count = 0;
  private dropTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private discarded = false;

  constructor(
    readonly name: string,
    private readonly doc: Y.Doc,
    private readonly backend: StoreBackend,
  ) {}

  /** Whether an update came from the stored copy (not an edit made now). */
  isStore(origin: unknown): boolean {
    return origin !== null && origin === this.stored;
  }

  /** Load what an earlier visit kept; resolves with how many unacknowledged changes it held. */
  restore(): Promise<number> {
    return inOrder(this.name, async () => {
      const names = await this.backend.names().catch(() => null);
      if (this.closed || (names && !names.includes(this.name))) return 0;
      let loaded = false;
      const stored = this.backend.open(this.name, this.doc);
      this.stored = stored;
      const onUpdate = (_u: Uint8Array, origin: unknown) => {
        if (origin === stored) loaded = true;
      };
      this.doc.on("update", onUpdate);
      try {
        await within(stored.whenSynced, LOAD_TIMEOUT_MS, null);
        const kept = await within(stored.get(COUNT_KEY), LOAD_TIMEOUT_MS, undefined);
        // A copy without its count was cut off right after it was opened: it holds at least one edit.
        const count = typeof kept === "number" ? kept : loaded ? 1 : 0;
        this.count = count;
        if (count === 0) await this.remove();
        return count;
      } finally {
        this.doc.off("update", onUpdate);
      }
    }).catch(() => 0);
  }

  /** Keep the doc, and every later update, while unacknowledged `changes` exist; drop it soon after. */
  track(changes: number): void {
    if (this.closed) return;
    this.count = changes;
    clearTimeout(this.dropTimer);
    if (changes === 0) {
      if (!this.stored) return;
      // Said at once, so a reload before the copy is dropped does not bring back "1 change waiting".
      void inOrder(this.name, async () => {
        if (this.count === 0 && !this.discarded) await this.stored?.set(COUNT_KEY, 0);
      }).catch(() => undefined);
      this.dropTimer = setTimeout(() => this.drop(), DROP_AFTER_MS);
      return;
    }
    void inOrder(this.name, async () => {
      // Not `closed`: an edit made just before the page left the room is still worth keeping.
      if (this.discarded || this.count === 0) return;
      // Opening stores the whole doc as it is then, this edit included (y-indexeddb).
      const stored = (this.stored ??= this.backend.open(this.name, this.doc));
      await within(stored.whenSynced, LOAD_TIMEOUT_MS, null);
      await stored.set(COUNT_KEY, this.count);
    }).catch(() => undefined);
  }

  /** The server has everything: delete the copy. */
  private drop(): void {
    void inOrder(this.name, async () => {
      if (this.count === 0 && !this.discarded) await this.remove();
    }).catch(() => undefined);
  }

  /** The server refused something in this doc: delete the copy now and never write it again. */
  discard(): Promise<void> {
    clearTimeout(this.dropTimer);
    this.discarded = true;
    this.closed = true;
    this.count = 0;
    return inOrder(this.name, () => this.remove()).catch(() => undefined);
  }

  /** The session ends (the page leaves the room): keep unacknowledged edits, drop a copy without any. */
  close(): void {
    if (this.closed) return;
    clearTimeout(this.dropTimer);
    this.closed = true;
    void inOrder(this.name, async () => {
      if (this.count === 0) {
        if (this.stored) await this.remove();
        return;
      }
      if (this.stored) await within(this.stored.destroy(), LOAD_TIMEOUT_MS, undefined);
      this.stored = null;
    }).catch(() => undefined);
  }

  private async remove(): Promise<void> {
    const stored = this.stored;
    this.stored = null;
    // Another tab of this room holding the database open blocks its deletion until it lets go; the
    // queue goes on meanwhile (a copy opened later waits for the deletion, then stores the whole doc).
    if (stored) await within(stored.destroy(), LOAD_TIMEOUT_MS, undefined);
    await within(this.backend.remove(this.name), LOAD_TIMEOUT_MS, undefined);
  }
}

/** Delete the kept copies of other people (a shared browser); with `internalOnly`, only internal docs. */
export async function forgetOthers(userId: number, backend = browserBackend(), internalOnly = true): Promise<void> {
  const names = (await backend?.names().catch(() => null)) ?? [];
  const mine = `${PREFIX}:u${userId}:`;
  await Promise.all(
    names
      .filter((name) => !name.startsWith(mine) && (!internalOnly || name.endsWith(":internal")))
      .map((name) => inOrder(name, () => backend!.remove(name)).catch(() => undefined)),
  );
}

/** Delete every kept copy on this browser (sign-out: nothing of the rooms stays behind). */
export async function forgetAll(backend = browserBackend()): Promise<void> {
  const names = (await backend?.names().catch(() => null)) ?? [];
  await Promise.all(names.map((name) => inOrder(name, () => backend!.remove(name)).catch(() => undefined)));
}
