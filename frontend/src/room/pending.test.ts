import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { CHANGE_GAP_MS, PendingEdits, pendingLabel, type SyncSource } from "./pending";

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

/** Edits this far apart are separate changes. */
const pause = () => vi.advanceTimersByTime(CHANGE_GAP_MS);

describe("pending edits", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("counts changes made offline, and keeps counting them after the sync until the server acknowledges them", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider();
    const pending = new PendingEdits(doc, provider);
    const seen: number[] = [];
    pending.subscribe((n) => seen.push(n));
    doc.getMap("deal").set("termMonths", 24);
    pause();
    doc.getMap("deal").set("paymentTermsDays", 45);
    expect(pending.count).toBe(2);
    const mark = pending.mark;
    provider.setSynced(true);
    expect(pending.count).toBe(2); // sent, but the server has not said it has them
    pending.confirm(mark);
    expect(pending.count).toBe(0);
    expect(pending.unconfirmed).toBe(0);
    expect(seen).toEqual([1, 2, 0]);
  });

  it("counts a burst of edits (a sentence typed) as one change", () => {
    const doc = new Y.Doc();
    const pending = new PendingEdits(doc, new FakeProvider());
    const text = doc.getText("t");
    for (const ch of "Net 45.") {
      text.insert(text.length, ch);
      vi.advanceTimersByTime(150);
    }
    expect(pending.unconfirmed).toBe(7);
    expect(pending.count).toBe(1);
    pause();
    doc.getMap("deal").set("qty", 300);
    expect(pending.count).toBe(2);
  });

  it("counts edits to another part of the doc as another change, however quick", () => {
    const doc = new Y.Doc();
    const pending = new PendingEdits(doc, new FakeProvider());
    const line = new Y.Map<unknown>();
    doc.getArray("lines").push([line]);
    vi.advanceTimersByTime(CHANGE_GAP_MS);
    line.set("qty", 320);
    doc.getXmlFragment("terms").insert(0, [new Y.XmlText("Signed in the lift.")]);
    line.set("qty", 330);
    expect(pending.count).toBe(4); // the new line; then quantity, terms, quantity again
  });

  it("does not count updates that come from the server or from the local copy", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider();
    const store = { kind: "stored copy" };
    const pending = new PendingEdits(doc, provider, { ignore: (origin) => origin === store });
    const remote = new Y.Doc();
    remote.getMap("deal").set("currency", "EUR");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), provider);
    remote.getMap("deal").set("billing", "annual");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), store);
    expect(pending.unconfirmed).toBe(0);
    expect(pending.count).toBe(0);
  });

  it("hides edits on a live socket while their acknowledgement is on its way, and shows them if it never comes", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider();
    provider.setSynced(true);
    const pending = new PendingEdits(doc, provider, { graceMs: 3000 });
    doc.getMap("deal").set("currency", "GBP");
    expect(pending.changes).toBe(1);
    expect(pending.count).toBe(0); // no flicker on every keystroke
    vi.advanceTimersByTime(2999);
    expect(pending.count).toBe(0);
    vi.advanceTimersByTime(1);
    expect(pending.count).toBe(1); // a dead socket that still looks open: say so
    pending.confirm(pending.mark);
    expect(pending.count).toBe(0);
  });

  it("confirms only what an acknowledgement covers", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider();
    const pending = new PendingEdits(doc, provider);
    doc.getMap("deal").set("termMonths", 12);
    const first = pending.mark;
    pause();
    doc.getMap("deal").set("termMonths", 24);
    pause();
    doc.getMap("deal").set("termMonths", 36);
    pending.confirm(first);
    expect(pending.unconfirmed).toBe(2);
    expect(pending.count).toBe(2);
    pending.confirm(first); // a late duplicate changes nothing
    expect(pending.unconfirmed).toBe(2);
  });

  it("counts changes kept from an earlier visit until they are acknowledged", () => {
    const doc = new Y.Doc();
    const provider = new FakeProvider();
    const pending = new PendingEdits(doc, provider);
    const changes: number[] = [];
    pending.onChanges((n) => changes.push(n));
    pending.restore(3);
    expect(pending.count).toBe(3);
    provider.setSynced(true);
    expect(pending.count).toBe(3); // kept for long: shown until acknowledged
    pending.confirm(pending.mark);
    expect(pending.count).toBe(0);
    expect(changes).toEqual([3, 0]);
  });

  it("tells each edit with its mark", () => {
    const doc = new Y.Doc();
    const pending = new PendingEdits(doc, new FakeProvider());
    const marks: number[] = [];
    pending.onEdit((m) => marks.push(m));
    doc.getMap("deal").set("a", 1);
    doc.getMap("deal").set("b", 2);
    expect(marks).toEqual([1, 2]);
  });

  it("stops counting once destroyed", () => {
    const doc = new Y.Doc();
    const pending = new PendingEdits(doc, new FakeProvider());
    pending.destroy();
    doc.getMap("deal").set("billing", "monthly");
    expect(pending.count).toBe(0);
  });

  it("labels the count", () => {
    expect(pendingLabel(1)).toBe("1 change waiting");
    expect(pendingLabel(3)).toBe("3 changes waiting");
  });
});
