import { describe, expect, it } from "vitest";
import { CLOSE, ResetBudget, SEAT_RETRY, closeAction, reconnectsByItself, refusalMessage, retryIn, seatRetryDelay, seatWaitMessage } from "./refusal";

describe("close decision", () => {
  it.each([CLOSE.FORBIDDEN, CLOSE.BAD_MESSAGE, CLOSE.MESSAGE_TOO_LARGE, CLOSE.RATE_LIMITED])("drops the local doc on %i", (code) => {
    expect(closeAction(code)).toBe("reset");
  });

  it("sends the person to sign in on 4401 and says 'not found' on 4404", () => {
    expect(closeAction(CLOSE.UNAUTHENTICATED)).toBe("signin");
    expect(closeAction(CLOSE.NOT_FOUND)).toBe("not-found");
  });

  it("reconnects, keeping the doc, on a handshake timeout", () => {
    expect(closeAction(CLOSE.HANDSHAKE_TIMEOUT)).toBe("reconnect");
  });

  it.each([null, undefined, CLOSE.NORMAL, CLOSE.GOING_AWAY, 1006, CLOSE.INTERNAL_ERROR, CLOSE.MOVED, CLOSE.TRY_AGAIN_LATER, 4500])(
    "leaves transient closes (%s) to y-websocket's reconnect, keeping offline edits",
    (code) => {
      expect(closeAction(code)).toBe("retry");
    },
  );

  it.each([CLOSE.ROOM_FULL, CLOSE.TOO_MANY_CONNECTIONS])("waits for a place on %i, keeping the doc, and retries itself, not y-websocket", (code) => {
    expect(closeAction(code)).toBe("wait");
    expect(reconnectsByItself(code)).toBe(false);
  });

  it("lets y-websocket reconnect by itself on transient closes only", () => {
    expect(reconnectsByItself(1006)).toBe(true);
    expect(reconnectsByItself(CLOSE.INTERNAL_ERROR)).toBe(true);
    expect(reconnectsByItself(CLOSE.FORBIDDEN)).toBe(false);
    expect(reconnectsByItself(CLOSE.HANDSHAKE_TIMEOUT)).toBe(false); // the session reconnects (action "reconnect")
  });

  it("treats an unknown 44xx refusal as a reason to resync from scratch", () => {
    expect(closeAction(4499)).toBe("reset");
  });

  it("words the notice with the server's reason", () => {
    expect(refusalMessage("reset", "line l2 is locked")).toContain("line l2 is locked");
    expect(refusalMessage("not-found", "")).toContain("Room not found");
  });
});

describe("reset budget", () => {
  it("does not reset for a refusal that came before any sync or local edit (it would repeat)", () => {
    expect(new ResetBudget().allow(false)).toBe(false);
  });

  it("allows a few resets, then stops a loop", () => {
    const budget = new ResetBudget(3, 30_000);
    expect([budget.allow(true, 0), budget.allow(true, 1), budget.allow(true, 2)]).toEqual([true, true, true]);
    expect(budget.allow(true, 3)).toBe(false);
    expect(budget.allow(true, 40_000)).toBe(true);
  });
});

describe("waiting for a place in the room", () => {
  it("pauses 5 s, then twice as long each time up to a minute, spread by ±20 %", () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 12].map((n) => seatRetryDelay(n, middle))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    expect(seatRetryDelay(1, () => 0)).toBe(4_000);
    expect(seatRetryDelay(1, () => 0.9999)).toBeLessThanOrEqual(6_000);
    expect(seatRetryDelay(30, () => 0.9999)).toBeLessThanOrEqual(SEAT_RETRY.maxMs * 1.2);
    // Never the tight loop y-websocket would run (every 2.5 s at most).
    expect(Math.min(...Array.from({ length: 50 }, () => seatRetryDelay(1)))).toBeGreaterThanOrEqual(4_000);
  });

  it("says why in words, with the server's reason, and when it tries again", () => {
    expect(seatWaitMessage(CLOSE.ROOM_FULL, "this room's last 10 places are kept for the deal team; it already has 40 connections", 30_000)).toBe(
      "This room is full: this room's last 10 places are kept for the deal team; it already has 40 connections. Trying again in 30 s.",
    );
    expect(
      seatWaitMessage(CLOSE.TOO_MANY_CONNECTIONS, "you already have 8 connections to this room, the most one person may have; close one to open another", 4_200),
    ).toBe(
      "This room is open in too many of your tabs or devices: you already have 8 connections to this room, the most one person may have; close one to open another. Trying again in 5 s.",
    );
    expect(seatWaitMessage(CLOSE.ROOM_FULL, "", null)).toBe("This room is full: every place is taken. Trying again now…");
    expect(seatWaitMessage(CLOSE.TOO_MANY_CONNECTIONS, "  ", 1)).toBe("This room is open in too many of your tabs or devices: close one to open another. Trying again in 1 s.");
  });

  it("counts down in seconds, then minutes", () => {
    expect(retryIn(0)).toBe("in 1 s");
    expect(retryIn(29_001)).toBe("in 30 s");
    expect(retryIn(60_000)).toBe("in 1 min");
    expect(retryIn(65_000)).toBe("in 1 min 5 s");
  });
});
