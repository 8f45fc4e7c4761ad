/**
 * The what-if panel (internal chunk only, under the commission estimate): the rep tries another discount on
 * every line or another term, and sees commission, margin, total and tier now and what-if, side by side,
 * priced by the server's engine (`GET /api/rooms/{id}/whatif`). It never changes the room. A customer's
 * browser never loads this code, so it can neither render nor fetch it.
 */
import type * as Y from "yjs";
import { ApiError, request } from "../lib/api";
import { h, uid } from "../lib/dom";
import { tierChange, whatIfRows, whatIfUrl, type WhatIfAnswer } from "./whatif-view";

const DEBOUNCE_MS = 250;

export class WhatIfPanel {
  readonly el: HTMLElement;
  private readonly discount: HTMLInputElement;
  private readonly slider: HTMLInputElement;
  private readonly term: HTMLInputElement;
  private readonly table: HTMLElement;
  private readonly message: HTMLElement;
  private readonly tier: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;
  private computed: Y.Map<unknown> | null = null;
  private started = false;
  private readonly onComputed = () => this.start();

  constructor(private readonly roomId: string) {
    const ids = { d: uid("whatif"), t: uid("whatif"), head: uid("whatif") };
    this.discount = h("input", { id: ids.d, class: "input", type: "number", min: "0", max: "100", step: "0.5", inputmode: "decimal", "data-testid": "whatif-discount" }) as HTMLInputElement;
    this.slider = h("input", { type: "range", min: "0", max: "60", step: "0.5", "aria-label": "Discount on every line", "data-testid": "whatif-slider" }) as HTMLInputElement;
    this.term = h("input", { id: ids.t, class: "input", type: "number", min: "1", max: "120", step: "1", inputmode: "numeric", "data-testid": "whatif-term" }) as HTMLInputElement;
    this.table = h("div", { class: "whatif-table", "data-testid": "whatif-table" });
    this.message = h("p", { class: "hint", role: "status", "data-testid": "whatif-message" }, "Try a discount or a term.");
    this.tier = h("p", { class: "whatif-tier", role: "status", hidden: true, "data-testid": "whatif-tier-change" });
    this.discount.addEventListener("input", () => {
      this.slider.value = this.discount.value;
      this.schedule();
    });
    this.slider.addEventListener("input", () => {
      this.discount.value = this.slider.value;
      this.schedule();
    });
    this.term.addEventListener("input", () => this.schedule());
    this.el = h(
      "section",
      { class: "whatif", "aria-labelledby": ids.head, "data-testid": "whatif-panel" },
      h("h3", { class: "rep-subhead", id: ids.head }, "What if"),
      h("p", { class: "hint" }, "Compare before you change the deal. Customers never see this."),
      h(
        "div",
        { class: "whatif-inputs" },
        h("div", { class: "field" }, h("label", { for: ids.d, class: "label" }, "Discount on every line (%)"), this.discount, this.slider),
        h("div", { class: "field" }, h("label", { for: ids.t, class: "label" }, "Term (months)"), this.term),
      ),
      this.tier,
      this.table,
      this.message,
    );
  }

  /** Read the deal's term from the internal quote once, and show now beside the same deal. */
  bind(computed: Y.Map<unknown>): void {
    this.computed = computed;
    computed.observe(this.onComputed);
    this.start();
  }

  unbind(): void {
    this.computed?.unobserve(this.onComputed);
    this.computed = null;
  }

  private start(): void {
    if (this.started) return;
    const quote = this.computed?.get("quote") as { term_months?: number; totals?: { max_line_discount_pct?: string } } | undefined;
    if (!quote || typeof quote.term_months !== "number") return;
    this.started = true;
    this.term.value = String(quote.term_months);
    const discount = quote.totals?.max_line_discount_pct;
    if (discount !== undefined) this.slider.value = discount;
    void this.fetch();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fetch(), DEBOUNCE_MS);
  }

  private async fetch(): Promise<void> {
    const built = whatIfUrl(this.roomId, this.discount.value, this.term.value);
    if ("error" in built) {
      this.message.textContent = built.error;
      return;
    }
    const mine = ++this.asked;
    this.message.textContent = "Pricing…";
    try {
      const answer = await request<WhatIfAnswer>("GET", built.url);
      if (mine !== this.asked) return;
      this.render(answer);
      this.message.textContent = answer.what_if.priceable ? "" : "The deal cannot be priced like this (see the pricing rules of its products).";
    } catch (e) {
      if (mine !== this.asked) return;
      this.message.textContent = e instanceof ApiError ? e.detail : "The what-if could not be priced. Check your connection.";
    }
  }

  private render(answer: WhatIfAnswer): void {
    const rows = whatIfRows(answer);
    this.table.replaceChildren(
      h(
        "table",
        { class: "whatif-grid" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""), h("th", { scope: "col" }, "Now"), h("th", { scope: "col" }, "What if"))),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              { "data-testid": `whatif-${r.key}` },
              h("th", { scope: "row" }, r.label),
              h("td", { "data-testid": "now" }, r.now),
              h("td", { "data-testid": "what-if", class: r.change > 0 ? "is-up" : r.change < 0 ? "is-down" : "" }, r.whatIf),
            ),
          ),
        ),
      ),
    );
    const change = tierChange(answer);
    this.tier.textContent = change ?? "";
    this.tier.hidden = change === null;
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.unbind();
  }
}
