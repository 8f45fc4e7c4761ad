import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { PendingEdits, pendingLabel, type SyncSource } from "./pending";

class FakeProvider implements SyncSource {
  synced = false;
  private handlers = new Set<(s: boolean) => void>();
  on(_e: "sync", h: (s: boolean) => void) {
    this.handlers.add(h);
  }
  off(_e: "sync", h: (s: boolean) => void) {
    this.handlers.delete(h);
  }
  setSynced(s: boolean) {
    this.synced = s;
    for (const h of this.handlers) h(s);
  }
}

describe("pending edits", () => {
  it("counts local updates made while not synced and resets when synced", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider();
    const pending = new PendingEdits(doc, provider);
    const seen: number[] = [];
    pending.subscribe((n) => seen.push(n));
    doc.getMap("deal").set("termMonths", 24);
    doc.getMap("deal").set("paymentTermsDays", 45);
    expect(pending.count).toBe(2);
    provider.setSynced(true);
    expect(pending.count).toBe(0);
    expect(seen).toEqual([1, 2, 0]);
  });

  it("does not count edits made while synced, nor updates that come from the server", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider();
    const pending = new PendingEdits(doc, provider);
    const remote = new Y.Doc();
    remote.getMap("deal").set("currency", "EUR");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), provider);
    expect(pending.count).toBe(0);
    provider.setSynced(true);
    doc.getMap("deal").set("currency", "GBP");
    expect(pending.count).toBe(0);
    provider.setSynced(false);
    doc.getMap("deal").set("currency", "USD");
    expect(pending.count).toBe(1);
  });

  it("stops counting once destroyed", () => {
    const doc = new Y.Doc();
    const pending = new PendingEdits(doc, new FakeProvider());
    pending.destroy();
    doc.getMap("deal").set("billing", "monthly");
    expect(pending.count).toBe(0);
  });

  it("labels the count", () => {
    expect(pendingLabel(1)).toBe("1 edit waiting");
    expect(pendingLabel(3)).toBe("3 edits waiting");
  });
});
