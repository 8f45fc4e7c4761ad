/**
 * "N changes waiting": edits made here that the server has not acknowledged yet. A change is a
 * burst of edits to one part of the doc (a sentence typed in the terms, a quantity set), not each
 * keystroke's update.
 *
 * Being synced is not enough: a phone whose network died keeps a socket that looks open for up to
 * 30 s, and what is typed meanwhile goes nowhere. So an edit counts until the server acknowledges
 * it (`confirm`, see acks.ts). The page shows the count while the socket is not synced, or once an
 * edit has waited longer than `graceMs` for its acknowledgement on a live one (no flicker on every
 * keystroke), and then until the server has them. The unacknowledged changes also decide how long
 * the local copy is kept (local-store.ts).
 */
import * as Y from "yjs";

/** What the counter needs of a provider: its sync flag, its sync event, and its identity as an origin. */
export interface SyncSource {
  readonly synced: boolean;
  on(event: "sync", handler: (synced: boolean) => void): void;
  off(event: "sync", handler: (synced: boolean) => void): void;
}

export interface PendingOptions {
  /** Origins whose updates were not made here either (the local store loading what it kept). */
  ignore?: (origin: unknown) => boolean;
  /** How long an edit on a live socket may wait for its acknowledgement before it shows. */
  graceMs?: number;
}

/** On a live socket the server answers in milliseconds; 3 s without an answer means trouble. */
export const ACK_GRACE_MS = 3000;
/** Edits to one part less than this apart are one change: a sentence typed is one, not one per key. */
export const CHANGE_GAP_MS = 2000;

type Listener = (n: number) => void;

interface Burst {
  /** The doc's parts it touched ("terms", "lines", ...). */
  part: string;
  /** When its first and its latest edit were made (0: kept from an earlier visit). */
  first: number;
  last: number;
  /** How many updates it holds that the server has not acknowledged. */
  size: number;
}

export class PendingEdits {
  /** What the page shows and warns about before unload. */
  count = 0;
  /** Changes made here (or kept from an earlier visit) that the server has not acknowledged. */
  changes = 0;
  private made = 0;
  private confirmed = 0;
  /** The unacknowledged updates in changes, oldest first. */
  private bursts: Burst[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly countListeners = new Set<Listener>();
  private readonly changeListeners = new Set<Listener>();
  private readonly editListeners = new Set<Listener>();
  private readonly graceMs: number;

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: SyncSource,
    private readonly options: PendingOptions = {},
  ) {
    this.graceMs = options.graceMs ?? ACK_GRACE_MS;
    doc.on("update", this.onUpdate);
    provider.on("sync", this.onSync);
  }

  /** Every edit made so far: what an acknowledgement asked for now will cover. */
  get mark(): number {
    return this.made;
  }

  /** Updates made here that the server has not acknowledged. */
  get unconfirmed(): number {
    return this.made - this.confirmed;
  }

  /** Updates that came from the provider are the server's; anything else not ignored was made here. */
  private readonly onUpdate = (_update: Uint8Array, origin: unknown, _doc?: Y.Doc, transaction?: Y.Transaction): void => {
    if (origin === this.provider || this.options.ignore?.(origin)) return;
    this.made += 1;
    const now = Date.now();
    const part = transaction ? touchedParts(this.doc, transaction) : "";
    const latest = this.bursts[this.bursts.length - 1];
    if (latest && latest.part === part && now - latest.last < CHANGE_GAP_MS) {
      latest.size += 1;
      latest.last = now;
    } else this.bursts.push({ part, first: now, last: now, size: 1 });
    this.recount();
    for (const listener of this.editListeners) listener(this.made);
  };

  private readonly onSync = (): void => this.recount();

  /** The server has everything made up to `mark`. */
  confirm(mark: number): void {
    const upTo = Math.min(mark, this.made);
    if (upTo <= this.confirmed) return;
    let covered = upTo - this.confirmed;
    while (covered > 0 && this.bursts.length > 0) {
      const oldest = this.bursts[0];
      const taken = Math.min(oldest.size, covered);
      oldest.size -= taken;
      covered -= taken;
      if (oldest.size === 0) this.bursts.shift();
    }
    this.confirmed = upTo;
    this.recount();
  }

  /** Changes an earlier visit kept locally and never got acknowledged. */
  restore(kept: number): void {
    if (kept <= 0) return;
    this.made += kept;
    const old = Array.from({ length: kept }, (): Burst => ({ part: "", first: 0, last: 0, size: 1 }));
    this.bursts.unshift(...old);
    this.recount();
  }

  private recount(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const changes = this.bursts.length;
    let shown = changes;
    // Once shown, changes stay shown until acknowledged: no "2 waiting, none, 2 waiting" on a reconnect.
    if (changes > 0 && this.provider.synced && this.count === 0) {
      const waited = Date.now() - this.bursts[0].first;
      if (waited < this.graceMs) {
        shown = 0;
        this.timer = setTimeout(() => this.recount(), this.graceMs - waited);
      }
    }
    if (changes !== this.changes) {
      this.changes = changes;
      for (const listener of this.changeListeners) listener(changes);
    }
    if (shown !== this.count) {
      this.count = shown;
      for (const listener of this.countListeners) listener(shown);
    }
  }

  /** The shown count, on every change. */
  subscribe(listener: Listener): () => void {
    this.countListeners.add(listener);
    return () => this.countListeners.delete(listener);
  }

  /** The number of unacknowledged changes, whenever it changes (shown or not). */
  onChanges(listener: Listener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Each edit made here, with the new mark. */
  onEdit(listener: Listener): () => void {
    this.editListeners.add(listener);
    return () => this.editListeners.delete(listener);
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.doc.off("update", this.onUpdate);
    this.provider.off("sync", this.onSync);
    this.countListeners.clear();
    this.changeListeners.clear();
    this.editListeners.clear();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its own types so
type SharedType = Y.AbstractType<Y.YEvent<any>>;

/** The names of the doc's root types a transaction changed, e.g. "lines" or "deal,terms". */
function touchedParts(doc: Y.Doc, transaction: Y.Transaction): string {
  const roots = new Set<SharedType>();
  for (const type of transaction.changed.keys()) {
    let root: SharedType = type;
    while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent;
    roots.add(root);
  }
  const names: string[] = [];
  for (const [name, type] of doc.share) if (roots.has(type)) names.push(name);
  return names.sort().join(",");
}

export function pendingLabel(count: number): string {
  return `${count} change${count === 1 ? "" : "s"} waiting`;
}
