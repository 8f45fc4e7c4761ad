/**
 * "N edits waiting": local doc updates made while the provider is not synced with the server.
 * y-websocket keeps them in the doc and sends them on reconnect; the counter resets once synced.
 */
import type * as Y from "yjs";

/** What the counter needs of a provider: its sync flag, its sync event, and its identity as an origin. */
export interface SyncSource {
  readonly synced: boolean;
  on(event: "sync", handler: (synced: boolean) => void): void;
  off(event: "sync", handler: (synced: boolean) => void): void;
}

export class PendingEdits {
  count = 0;
  private readonly listeners = new Set<(count: number) => void>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: SyncSource,
  ) {
    doc.on("update", this.onUpdate);
    provider.on("sync", this.onSync);
  }

  /** Updates that came from the provider are the server's; anything else was made here. */
  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider || this.provider.synced) return;
    this.set(this.count + 1);
  };

  private readonly onSync = (synced: boolean): void => {
    if (synced) this.set(0);
  };

  private set(count: number): void {
    if (count === this.count) return;
    this.count = count;
    for (const listener of this.listeners) listener(count);
  }

  subscribe(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.doc.off("update", this.onUpdate);
    this.provider.off("sync", this.onSync);
    this.listeners.clear();
  }
}

export function pendingLabel(count: number): string {
  return `${count} edit${count === 1 ? "" : "s"} waiting`;
}
