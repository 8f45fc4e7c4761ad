/**
 * The words a room shows while the server has no place for it (4503 room full, 4529 too many of the person's
 * connections): the server's reason and a countdown to the next attempt. The countdown ticks for the eye only;
 * a screen reader hears the reason once per refusal, not a number every second.
 */
import { h } from "../lib/dom";
import { seatRefusalReason, seatWaitMessage } from "./refusal";
import type { SeatWait } from "./session";

export class SeatWaitText {
  readonly el: HTMLElement;
  private readonly shown: HTMLElement;
  private readonly spoken: HTMLElement;
  private wait: SeatWait | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly now: () => number = Date.now) {
    this.shown = h("span", { "aria-hidden": "true" });
    this.spoken = h("span", { class: "visually-hidden" });
    this.el = h("span", { class: "seat-wait", "data-testid": "seat-wait" }, this.shown, this.spoken);
  }

  show(wait: SeatWait): void {
    this.wait = wait;
    this.el.dataset.code = String(wait.code);
    const spoken =
      wait.retryAt === null ? seatWaitMessage(wait.code, wait.reason, null) : `${seatRefusalReason(wait.code, wait.reason)} The room tries again by itself.`;
    if (this.spoken.textContent !== spoken) this.spoken.textContent = spoken;
    this.tick();
    clearInterval(this.timer);
    this.timer = wait.retryAt === null ? undefined : setInterval(() => this.tick(), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.wait = null;
  }

  private tick(): void {
    const wait = this.wait;
    if (!wait) return;
    this.shown.textContent = seatWaitMessage(wait.code, wait.reason, wait.retryAt === null ? null : wait.retryAt - this.now());
  }
}
