import { afterEach, describe, expect, it, vi } from "vitest";
import { SeatWaitText } from "./seat-wait";

const REASON = "you already have 8 connections to this room, the most one person may have; close one to open another";

afterEach(() => vi.useRealTimers());

describe("the words while a room waits for a place", () => {
  it("counts down for the eye, and tells a screen reader the reason once", () => {
    vi.useFakeTimers();
    const text = new SeatWaitText();
    text.show({ code: 4529, reason: REASON, retryAt: Date.now() + 30_000 });
    const [shown, spoken] = Array.from(text.el.children) as HTMLElement[];
    expect(shown.getAttribute("aria-hidden")).toBe("true");
    expect(shown.textContent).toBe(`This room is open in too many of your tabs or devices: ${REASON}. Trying again in 30 s.`);
    expect(spoken.className).toBe("visually-hidden");
    expect(spoken.textContent).toBe(`This room is open in too many of your tabs or devices: ${REASON}. The room tries again by itself.`);
    vi.advanceTimersByTime(1_000);
    expect(shown.textContent).toContain("Trying again in 29 s.");
    const node = spoken.firstChild;
    vi.advanceTimersByTime(5_000);
    expect(spoken.firstChild).toBe(node); // not rewritten, so not read out again
    text.show({ code: 4529, reason: REASON, retryAt: null });
    expect(shown.textContent).toContain("Trying again now…");
    expect(spoken.textContent).toContain("Trying again now…");
    text.stop();
    vi.advanceTimersByTime(5_000);
    expect(shown.textContent).toContain("Trying again now…");
    expect(text.el.dataset.code).toBe("4529");
  });
});
