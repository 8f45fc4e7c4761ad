/**
 * Tests only: an in-memory stand-in for IndexedDB behind `StoreBackend`, behaving like y-indexeddb
 * (opening loads what is kept with the copy as origin, then keeps the whole doc and every update).
 */
import * as Y from "yjs";
import type { StoreBackend, StoredDoc } from "./local-store";

export interface Kept {
  updates: Uint8Array[];
  custom: Map<string, unknown>;
}

export class MemoryBackend implements StoreBackend {
  readonly disk = new Map<string, Kept>();

  open(name: string, doc: Y.Doc): StoredDoc {
    const kept: Kept = this.disk.get(name) ?? { updates: [], custom: new Map() };
    this.disk.set(name, kept);
    let closed = false;
    const copy: StoredDoc = {
      whenSynced: Promise.resolve().then(() => {
        if (closed) return;
        Y.transact(doc, () => kept.updates.forEach((u) => Y.applyUpdate(doc, u)), copy, false);
        kept.updates.push(Y.encodeStateAsUpdate(doc));
      }),
      get: async (key) => kept.custom.get(key),
      set: async (key, value) => kept.custom.set(key, value),
      destroy: async () => {
        closed = true;
        doc.off("update", onUpdate);
      },
    };
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin !== copy && !closed) kept.updates.push(update);
    };
    doc.on("update", onUpdate);
    return copy;
  }

  async remove(name: string): Promise<void> {
    this.disk.delete(name);
  }

  async names(): Promise<string[]> {
    return [...this.disk.keys()];
  }

  /** What a fresh doc would hold if it loaded the copy `name`. */
  load(name: string): Y.Doc {
    const doc = new Y.Doc();
    for (const update of this.disk.get(name)?.updates ?? []) Y.applyUpdate(doc, update);
    return doc;
  }
}

/** Let promise chains (and zero-delay timers under fake timers) run. */
export async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
