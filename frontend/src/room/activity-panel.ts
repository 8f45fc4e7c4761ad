/**
 * The room's record (the Activity tab on phones; under the deal on desktop): "Who changed what" — the
 * timeline, one card per session of one person with each subject they changed — and "Everything", the
 * feed of every event the person may see (the server filters by role: a customer gets no internal event).
 * Fetched when shown, then again after the room's document changes (the page calls `changed`, debounced)
 * and every 20 s while it is on screen; older pages on request.
 */
import { ApiError, api, type RoomEventView, type TimelineSession } from "../lib/api";
import { h, icon, mount } from "../lib/dom";
import { ago, clockTime } from "../lib/when";
import { initials } from "../pages/labels";
import { changeLine, eventLine, sessionWho, span } from "./activity-view";
import "./activity.css";

type View = "timeline" | "feed";
const POLL_MS = 20_000;

export class ActivityPanel {
  readonly el: HTMLElement;
  private view: View = "timeline";
  private readonly body = h("div", { class: "activity-body", "aria-live": "polite", "aria-busy": "false" });
  private readonly buttons: Record<View, HTMLButtonElement>;
  private loaded = false;
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private later: ReturnType<typeof setTimeout> | undefined;
  private seen: IntersectionObserver | null = null;

  constructor(private readonly roomId: string) {
    const button = (view: View, label: string) => {
      const b = h("button", { type: "button", class: "seg-button", "data-testid": `activity-view-${view}`, "aria-pressed": String(view === this.view) }, label);
      b.addEventListener("click", () => this.show(view));
      return b;
    };
    this.buttons = { timeline: button("timeline", "Who changed what"), feed: button("feed", "Everything") };
    this.el = h("div", { class: "activity", "data-testid": "activity" }, h("div", { class: "seg", role: "group", "aria-label": "Show" }, this.buttons.timeline, this.buttons.feed), this.body);
    this.timer = setInterval(() => {
      if (this.visible() && document.visibilityState === "visible") void this.load();
    }, POLL_MS);
    // Fetched when it comes on screen (its tab chosen on a phone; scrolled to on a desktop).
    if (typeof IntersectionObserver !== "undefined") {
      this.seen = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.shown();
      });
      this.seen.observe(this.el);
    }
  }

  private visible(): boolean {
    return this.el.isConnected && this.el.offsetParent !== null;
  }

  /** Show `view` (or the current one) now. */
  show(view: View = this.view): void {
    this.view = view;
    for (const [name, b] of Object.entries(this.buttons)) b.setAttribute("aria-pressed", String(name === view));
    void this.load();
  }

  /** The room changed: fetch again soon if on screen (or when next shown). */
  changed(): void {
    clearTimeout(this.later);
    this.later = setTimeout(() => {
      if (this.visible()) void this.load();
      else this.loaded = false;
    }, 1500);
  }

  /** Shown (a tab chosen): fetch unless fresh. */
  shown(): void {
    if (!this.loaded) this.show();
  }

  private async load(): Promise<void> {
    const mine = ++this.seq;
    this.body.setAttribute("aria-busy", "true");
    try {
      if (this.view === "timeline") {
        const page = await api.timeline(this.roomId);
        if (mine !== this.seq) return;
        mount(this.body, this.timeline(page.sessions, page.next_before));
      } else {
        const page = await api.activity(this.roomId);
        if (mine !== this.seq) return;
        mount(this.body, this.feed(page.events, page.next_before));
      }
      this.loaded = true;
    } catch (e) {
      if (mine !== this.seq) return;
      mount(this.body, h("p", { class: "field-error" }, e instanceof ApiError ? e.detail : "The activity could not be loaded."));
    } finally {
      if (mine === this.seq) this.body.setAttribute("aria-busy", "false");
    }
  }

  private timeline(sessions: TimelineSession[], next: number | null): HTMLElement {
    if (!sessions.length) return h("p", { class: "muted activity-empty" }, "No changes yet. Edits to the terms, the pricing and the deal show here, with who made them.");
    const list = h("ol", { class: "sessions", "data-testid": "timeline" }, sessions.map((s) => sessionCard(s)));
    return h("div", {}, list, this.more(next, async (before) => {
      const page = await api.timeline(this.roomId, before);
      list.append(...page.sessions.map((s) => sessionCard(s)));
      return page.next_before;
    }));
  }

  private feed(events: RoomEventView[], next: number | null): HTMLElement {
    if (!events.length) return h("p", { class: "muted activity-empty" }, "Nothing has happened in this room yet.");
    const list = h("ol", { class: "feed", "data-testid": "activity-feed" }, events.map(feedItem));
    return h("div", {}, list, this.more(next, async (before) => {
      const page = await api.activity(this.roomId, before);
      list.append(...page.events.map(feedItem));
      return page.next_before;
    }));
  }

  private more(next: number | null, fetchOlder: (before: number) => Promise<number | null>): HTMLElement | null {
    if (next === null) return null;
    let cursor: number | null = next;
    const b = h("button", { type: "button", class: "btn btn-ghost activity-more", "data-testid": "activity-more" }, "Show older");
    b.addEventListener("click", async () => {
      if (cursor === null) return;
      b.disabled = true;
      try {
        cursor = await fetchOlder(cursor);
      } catch {
        cursor = cursor ?? null;
      }
      b.disabled = false;
      if (cursor === null) b.remove();
    });
    return b;
  }

  destroy(): void {
    this.seen?.disconnect();
    clearInterval(this.timer);
    clearTimeout(this.later);
    this.seq += 1;
  }
}

function sessionCard(session: TimelineSession): HTMLElement {
  const name = session.person?.name ?? "Dealroom";
  return h(
    "li",
    { class: "session", "data-testid": "timeline-session" },
    h(
      "div",
      { class: "session-head" },
      h("span", { class: "avatar avatar-sm", "aria-hidden": "true" }, initials(name)),
      h("span", { class: "session-who", "data-testid": "session-who" }, sessionWho(session)),
      h("time", { class: "session-when", datetime: session.to, title: `${clockTime(session.from)} to ${clockTime(session.to)}` }, span(session.from, session.to)),
    ),
    h(
      "ul",
      { class: "session-changes" },
      session.changes.map((change) => {
        const line = changeLine(change);
        return h(
          "li",
          { class: `session-change${change.audience === "internal" ? " is-internal" : ""}`, "data-testid": "timeline-change" },
          change.audience === "internal" ? h("span", { class: "internal-mark", title: "Internal: customers never see this" }, icon("lock", 12)) : null,
          h("span", { class: "change-label" }, line.label),
          h("span", { class: "change-detail" }, line.detail),
        );
      }),
      session.more_subjects ? h("li", { class: "session-change muted" }, `and ${session.more_subjects} more`) : null,
    ),
  );
}

function feedItem(event: RoomEventView): HTMLElement {
  const line = eventLine(event);
  return h(
    "li",
    { class: `feed-item${event.audience === "internal" ? " is-internal" : ""}`, "data-testid": "activity-item", "data-kind": event.kind },
    h("span", { class: "avatar avatar-sm", "aria-hidden": "true" }, initials(line.who)),
    h(
      "span",
      { class: "feed-text" },
      h("span", { class: "feed-title" }, line.title, event.audience === "internal" ? h("span", { class: "internal-tag" }, icon("lock", 12), "Internal") : null),
      h("span", { class: "feed-what" }, line.what),
      h("span", { class: "feed-meta" }, `${line.who} · `, h("time", { datetime: event.until }, ago(event.until) || clockTime(event.until))),
    ),
  );
}
