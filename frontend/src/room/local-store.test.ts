import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { forgetAll, forgetOthers, LocalEdits, storeName } from "./local-store";
import { flush, MemoryBackend } from "./store.fixture";

const NAME = storeName(7, "room-1", "shared");

function lineQty(doc: Y.Doc): unknown {
  return doc.getMap("deal").get("qty");
}

async function settle(): Promise<void> {
  await flush(20);
  await vi.advanceTimersByTimeAsync(0);
  await flush(20);
}

/** A room doc with one edit the server has not acknowledged, kept in a fresh in-memory backend. */
async function oneUnsentEdit(): Promise<{ backend: MemoryBackend; doc: Y.Doc; local: LocalEdits }> {
  const backend = new MemoryBackend();
  const doc = new Y.Doc();
  const local = new LocalEdits(NAME, doc, backend);
  await local.restore();
  doc.getMap("deal").set("qty", 300);
  local.track(1);
  await settle();
  return { backend, doc, local };
}

describe("local copy of unsent edits", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("is one copy per person, room and doc", () => {
    const names = new Set([storeName(7, "r", "shared"), storeName(8, "r", "shared"), storeName(7, "s", "shared"), storeName(7, "r", "internal")]);
    expect(names.size).toBe(4);
  });

  it("keeps an edit made offline, with the doc around it, and gives it back on the next visit", async () => {
    const backend = new MemoryBackend();
    const doc = new Y.Doc();
    doc.getMap("deal").set("title", "from the server");
    const local = new LocalEdits(NAME, doc, backend);
    expect(await local.restore()).toBe(0);
    expect(backend.disk.has(NAME)).toBe(false); // nothing unsent: nothing kept

    doc.getMap("deal").set("qty", 300);
    local.track(1);
    await settle();
    doc.getMap("deal").set("note", "written in the lift");
    local.track(2);
    await settle();
    local.close(); // the tab goes (or reloads) before the network is back
    await settle();

    const next = new Y.Doc();
    const again = new LocalEdits(NAME, next, backend);
    expect(await again.restore()).toBe(2);
    expect(lineQty(next)).toBe(300);
    expect(next.getMap("deal").get("note")).toBe("written in the lift");
    expect(next.getMap("deal").get("title")).toBe("from the server");
  });

  it("is never loaded by another person signed in on the same browser", async () => {
    const { backend } = await oneUnsentEdit();
    expect(backend.disk.has(NAME)).toBe(true); // the first person's copy is there, under their name only
    const other = new Y.Doc();
    expect(await new LocalEdits(storeName(8, "room-1", "shared"), other, backend).restore()).toBe(0);
    expect(lineQty(other)).toBeUndefined();
  });

  it("is deleted shortly after the server has acknowledged everything", async () => {
    const { backend, local } = await oneUnsentEdit();
    expect(backend.disk.has(NAME)).toBe(true);
    local.track(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(backend.disk.has(NAME)).toBe(true); // typing on: no reopening per keystroke
    expect(backend.disk.get(NAME)?.custom.get("changes")).toBe(0); // a reload now restores nothing to send
    await vi.advanceTimersByTimeAsync(4500);
    await settle();
    expect(backend.disk.has(NAME)).toBe(false);
  });

  it("is deleted at a refusal and not written again, so the refused change cannot come back", async () => {
    const backend = new MemoryBackend();
    const doc = new Y.Doc();
    const local = new LocalEdits(NAME, doc, backend);
    await local.restore();
    doc.getMap("deal").set("qty", 999); // the server will refuse this
    local.track(1);
    await settle();
    await local.discard();
    doc.getMap("deal").set("qty", 1000); // typed while the refusal notice shows
    local.track(2);
    local.close();
    await settle();
    expect(backend.disk.has(NAME)).toBe(false);
    const fresh = new Y.Doc();
    expect(await new LocalEdits(NAME, fresh, backend).restore()).toBe(0);
    expect(lineQty(fresh)).toBeUndefined();
  });

  it("counts a copy cut off before its count was written as one edit", async () => {
    const backend = new MemoryBackend();
    const source = new Y.Doc();
    source.getMap("deal").set("qty", 5);
    backend.disk.set(NAME, { updates: [Y.encodeStateAsUpdate(source)], custom: new Map() });
    const doc = new Y.Doc();
    expect(await new LocalEdits(NAME, doc, backend).restore()).toBe(1);
    expect(lineQty(doc)).toBe(5);
  });

  it("tells its own loading apart from edits", async () => {
    const backend = new MemoryBackend();
    const source = new Y.Doc();
    source.getMap("deal").set("qty", 5);
    backend.disk.set(NAME, { updates: [Y.encodeStateAsUpdate(source)], custom: new Map([["unconfirmed", 1]]) });
    const doc = new Y.Doc();
    const local = new LocalEdits(NAME, doc, backend);
    const origins: unknown[] = [];
    doc.on("update", (_u: Uint8Array, origin: unknown) => origins.push(origin));
    await local.restore();
    expect(origins).toHaveLength(1);
    expect(local.isStore(origins[0])).toBe(true);
    expect(local.isStore(null)).toBe(false);
  });

  it("forgets other people's internal docs, and everything at sign-out", async () => {
    const backend = new MemoryBackend();
    for (const name of [storeName(7, "r", "internal"), storeName(8, "r", "internal"), storeName(8, "r", "shared")]) {
      backend.disk.set(name, { updates: [], custom: new Map() });
    }
    await forgetOthers(7, backend);
    expect([...backend.disk.keys()].sort()).toEqual([storeName(7, "r", "internal"), storeName(8, "r", "shared")].sort());
    await forgetAll(backend);
    expect(backend.disk.size).toBe(0);
  });
});
