/**
 * The Guidance panel (internal chunk only; a customer's browser never downloads it): the enablement cards the
 * room triggers now, each with why, asked of the server (`GET /api/rooms/{id}/cards`) when the room opens and
 * again shortly after the deal changes (the page announces changes of the shared doc with GUIDANCE_EVENT; the
 * internal doc's changes are followed here). Hidden while no card applies. A rep marks a card helpful once.
 */
import "./guidance.css";
import { ApiError } from "../lib/api";
import { debounce, h, icon } from "../lib/dom";
import { enablementApi, type RoomCard } from "../lib/enablement-api";
import { GUIDANCE_EVENT } from "./guidance-event";
import { headline, kindLabel, newlyShown, paragraphs } from "./guidance-view";
const SETTLE_MS = 600;

export interface GuidanceOptions {
  roomId: string;
  /** The panel's section in the page, shown only while a card applies. */
  frame: HTMLElement;
  notify?: (message: string, tone?: "info" | "error") => void;
}

export class GuidancePanel {
  readonly el: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;
  private readonly live: HTMLElement;
  private cards: RoomCard[] = [];
  private seq = 0;
  private destroyed = false;
  readonly refreshSoon = debounce(() => void this.refresh(), SETTLE_MS);
  private readonly onEvent = () => this.refreshSoon();

  constructor(private readonly opts: GuidanceOptions) {
    this.summary = h("p", { class: "guidance-summary", "data-testid": "guidance-summary" });
    this.list = h("div", { class: "guidance-list" });
    this.live = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    this.el = h("div", { class: "guidance", "data-testid": "guidance" }, this.summary, this.list, this.live);
    opts.frame.addEventListener(GUIDANCE_EVENT, this.onEvent);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    try {
      const { cards } = await enablementApi.roomCards(this.opts.roomId);
      if (this.destroyed || mine !== this.seq) return;
      const fresh = newlyShown(this.cards, cards);
      this.cards = cards;
      this.render(new Set(fresh));
      if (fresh.length) this.live.textContent = `New guidance: ${cards.filter((c) => fresh.includes(c.id)).map((c) => c.title).join("; ")}`;
    } catch (e) {
      if (this.destroyed || mine !== this.seq) return;
      // Not allowed or gone: nothing to show. A network blip keeps what was shown until the next change.
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
        this.cards = [];
        this.render(new Set());
      }
    }
  }

  private render(fresh: Set<number>): void {
    this.opts.frame.hidden = this.cards.length === 0;
    this.summary.textContent = headline(this.cards.length);
    // What just started to apply comes first: on a phone it is what the rep must see.
    const ordered = [...this.cards.filter((c) => fresh.has(c.id)), ...this.cards.filter((c) => !fresh.has(c.id))];
    this.list.replaceChildren(...ordered.map((card) => this.card(card, fresh.has(card.id) && fresh.size < this.cards.length)));
  }

  private card(card: RoomCard, fresh: boolean): HTMLElement {
    const helpful = h(
      "button",
      { type: "button", class: "btn btn-small guidance-helpful", "data-testid": "guidance-helpful", "aria-pressed": String(card.helpful), disabled: card.helpful },
      card.helpful ? icon("check", 16) : null,
      card.helpful ? "Marked helpful" : "Helpful",
    );
    helpful.addEventListener("click", () => void this.markHelpful(card, helpful));
    const body = paragraphs(card.body).map((text) => h("p", {}, text));
    return h(
      "article",
      { class: `guidance-card kind-${card.kind}${fresh ? " is-new" : ""}`, "data-testid": "guidance-card", "data-card-id": card.id, "data-kind": card.kind },
      h("header", { class: "guidance-card-head" }, h("div", { class: "guidance-heading" }, h("span", { class: "guidance-kind" }, kindLabel(card.kind)), h("h3", { class: "guidance-title" }, card.title)), helpful),
      h("ul", { class: "guidance-why", "aria-label": "Why this card" }, card.why.map((why) => h("li", { "data-testid": "guidance-why" }, why))),
      h("details", { class: "guidance-body", open: this.cards.length === 1 }, h("summary", {}, "Read the card"), ...body),
    );
  }

  private async markHelpful(card: RoomCard, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await enablementApi.helpful(card.id, this.opts.roomId);
    } catch (e) {
      const already = e instanceof ApiError && e.status === 409 && (e.data as { reason?: string } | null)?.reason === "already_marked";
      if (!already) {
        button.disabled = false;
        this.opts.notify?.(e instanceof ApiError ? e.detail : "Could not reach the server. Try again.", "error");
        return;
      }
    }
    card.helpful = true;
    button.setAttribute("aria-pressed", "true");
    button.replaceChildren(icon("check", 16), "Marked helpful");
  }

  destroy(): void {
    this.destroyed = true;
    this.refreshSoon.cancel();
    this.opts.frame.removeEventListener(GUIDANCE_EVENT, this.onEvent);
  }
}
