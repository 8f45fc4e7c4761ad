import { describe, expect, it } from "vitest";
import { CLOSE, ResetBudget, closeAction, refusalMessage } from "./refusal";

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

  it.each([null, undefined, CLOSE.NORMAL, CLOSE.GOING_AWAY, 1006, CLOSE.INTERNAL_ERROR, CLOSE.ROOM_FULL, CLOSE.TOO_MANY_CONNECTIONS])(
    "leaves transient closes (%s) to y-websocket's reconnect, keeping offline edits",
    (code) => {
      expect(closeAction(code)).toBe("retry");
    },
  );

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
