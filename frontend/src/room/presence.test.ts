import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { distinctUsers, PresenceList } from "./presence";

const SELF = { id: 1, name: "Riley Rep", color: "#2f5bea" };

function names(list: PresenceList): string[] {
  return Array.from(list.el.querySelectorAll("[data-testid=presence-user]"), (li) => li.textContent ?? "");
}

/** A remote person's awareness as the server relays it. */
function remote(clientId: number, clock: number, user: Record<string, unknown> | null): Uint8Array {
  const other = new awarenessProtocol.Awareness(new Y.Doc());
  other.clientID = clientId;
  other.states.set(clientId, user === null ? {} : { user });
  other.meta.set(clientId, { clock, lastUpdated: Date.now() });
  const update = awarenessProtocol.encodeAwarenessUpdate(other, [clientId], user === null ? new Map() : other.states);
  other.destroy();
  return update;
}

describe("presence", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("lists each person once, the caller first", () => {
    const states = new Map<number, Record<string, unknown>>([
      [10, { user: { id: 2, name: "Blake Buyer", role: "customer" } }],
      [11, { user: { id: 2, name: "Blake Buyer", role: "customer" } }],
      [12, { user: { id: 3, name: "Lee Legal", role: "legal" } }],
    ]);
    expect(distinctUsers(states, { ...SELF, clientId: 99 }).map((u) => u.name)).toEqual(["Riley Rep", "Blake Buyer", "Lee Legal"]);
  });

  it("drops a person whose presence was not renewed for 30 s (their network is gone)", () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    const list = new PresenceList(SELF);
    list.bind(awareness);
    awarenessProtocol.applyAwarenessUpdate(awareness, remote(10, 1, { id: 2, name: "Blake Buyer" }), "server");
    expect(names(list)).toEqual(["Riley Rep", "Blake Buyer"]);
    // y-protocols reads the clock through lib0's own reference to Date.now, which fake timers do
    // not reach: age the state instead. Its check runs every 3 s.
    const age = (ms: number) => {
      awareness.meta.get(10)!.lastUpdated -= ms;
      vi.advanceTimersByTime(3000);
    };
    age(15_000);
    expect(names(list)).toContain("Blake Buyer"); // within the renewal period
    age(15_000);
    expect(names(list)).toEqual(["Riley Rep"]);
    list.destroy();
    awareness.destroy();
  });

  it("drops a person at once when the server says they left", () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    const list = new PresenceList(SELF);
    list.bind(awareness);
    awarenessProtocol.applyAwarenessUpdate(awareness, remote(10, 1, { id: 2, name: "Blake Buyer" }), "server");
    awarenessProtocol.applyAwarenessUpdate(awareness, remote(10, 2, null), "server");
    expect(names(list)).toEqual(["Riley Rep"]);
    list.destroy();
    awareness.destroy();
  });
});
