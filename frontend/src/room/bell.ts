/**
 * The bell (room header and app bar): how many events of others the person has not seen in their rooms
 * (`GET /api/notifications`), and on a tap the latest of them — a sheet on phones, a drop-down on wider
 * screens. Opening it marks each room read up to its newest event (`POST /api/notifications/read`).
 * Refreshed every 20 s while the page is visible, and when the page says the room changed (`changed`).
 */
import { ApiError, api, type Notifications } from "../lib/api";
import { h, icon, mount } from "../lib/dom";
import { ago } from "../lib/when";
import { bellLine, countText } from "./activity-view";
import "./activity.css";

const POLL_MS = 20_000;

export class Bell {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly badge = h("span", { class: "count-badge", "data-testid": "bell-count", hidden: true });
  private sheet: HTMLElement | null = null;
  private backdrop: HTMLElement | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private later: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  /** `roomId`: the room the page shows (its items open `onActivity`, the room's Activity); null elsewhere. */
  constructor(
    private readonly roomId: string | null = null,
    private readonly onActivity: () => void = () => undefined,
  ) {
    this.button = h("button", { type: "button", class: "bell-button", "data-testid": "bell", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-label": "Notifications" }, icon("bell", 20), this.badge);
    this.button.addEventListener("click", () => (this.sheet ? this.close() : void this.open()));
    this.el = h("div", { class: "bell" }, this.button);
    this.timer = setInterval(() => {
      // The app bar has no teardown: a bell whose page is gone stops by itself.
      if (!this.el.isConnected) return this.destroy();
      if (document.visibilityState === "visible") void this.refresh();
    }, POLL_MS);
    void this.refresh();
  }

  /** Fetch the counts again. */
  async refresh(): Promise<void> {
    const mine = ++this.seq;
    try {
      const answer = await api.notifications();
      if (mine !== this.seq) return;
      this.show(answer);
    } catch {
      // The bell is a hint: a failed poll leaves the last count.
    }
  }

  /** The room changed: ask again shortly (edits come in bursts). */
  changed(): void {
    clearTimeout(this.later);
    this.later = setTimeout(() => void this.refresh(), 1500);
  }

  private show(answer: Notifications): void {
    const capped = answer.rooms.some((room) => room.unread_capped);
    const text = countText(answer.unread, capped);
    this.badge.textContent = text;
    this.badge.hidden = !text;
    this.button.setAttribute("aria-label", text ? `Notifications, ${text} unread` : "Notifications");
  }

  private async open(): Promise<void> {
    this.backdrop = h("div", { class: "bell-backdrop", "data-testid": "bell-backdrop" });
    this.backdrop.addEventListener("click", () => this.close());
    const list = h("div", { class: "bell-list" }, h("p", { class: "muted" }, "Loading…"));
    const closeButton = h("button", { type: "button", class: "btn btn-ghost", "aria-label": "Close notifications" }, icon("close", 18));
    closeButton.addEventListener("click", () => this.close());
    this.sheet = h("div", { class: "bell-sheet", role: "dialog", "aria-label": "Notifications", "data-testid": "bell-sheet", tabindex: -1 },
      h("div", { class: "bell-sheet-head" }, h("h2", {}, "Notifications"), closeButton), list);
    this.sheet.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.close();
    });
    this.el.append(this.backdrop, this.sheet);
    this.button.setAttribute("aria-expanded", "true");
    this.sheet.focus();
    let answer: Notifications;
    try {
      answer = await api.notifications();
    } catch (e) {
      mount(list, h("p", { class: "field-error" }, e instanceof ApiError ? e.detail : "Notifications could not be loaded."));
      return;
    }
    if (!this.sheet) return;
    mount(list, this.items(answer));
    // Seen: every room read up to its newest event (what was unread stays marked in this list).
    const reads = answer.rooms.filter((room) => room.unread > 0 && room.latest_id > room.read_up_to);
    await Promise.allSettled(reads.map((room) => api.markRead(room.room_id, room.latest_id)));
    this.show({ ...answer, unread: 0, rooms: answer.rooms.map((room) => ({ ...room, unread: 0, unread_capped: false })) });
  }

  private items(answer: Notifications): HTMLElement {
    if (!answer.items.length) return h("p", { class: "muted" }, "Nothing new. Changes, questions and decisions by others in your rooms show here.");
    return h(
      "ul",
      { class: "bell-items" },
      answer.items.map((item) =>
        h(
          "li",
          { class: `bell-item${item.unread ? " is-unread" : ""}`, "data-testid": "bell-item" },
          h(
            "a",
            {
              href: `/rooms/${encodeURIComponent(item.room_id)}#activity`,
              onclick: item.room_id === this.roomId ? (e: Event) => (e.preventDefault(), this.close(), this.onActivity()) : undefined,
            },
            h("span", {}, bellLine(item)),
            h("span", { class: "bell-item-room" }, `${item.room_id === this.roomId ? "This room" : item.room_title} · ${ago(item.until)}`),
          ),
        ),
      ),
    );
  }

  close(): void {
    this.sheet?.remove();
    this.backdrop?.remove();
    this.sheet = null;
    this.backdrop = null;
    this.button.setAttribute("aria-expanded", "false");
    this.button.focus();
  }

  destroy(): void {
    clearInterval(this.timer);
    clearTimeout(this.later);
    this.seq += 1;
    this.sheet?.remove();
    this.backdrop?.remove();
  }
}
