/**
 * The totals of the pricing table and the problems of the deal as a whole.
 *
 * Two parts: `notes` (the caption and the deal-wide problems) sit under the lines, and `el` (net
 * total, first year, discount, and "Incomplete" when the server cannot price everything) is the
 * table's last element, kept in sight at the bottom of the screen while the lines scroll by
 * (pricing.css: `position: sticky`).
 */
import { h, icon } from "../lib/dom";
import type { TotalsView } from "./quote-view";

export class QuoteTotals {
  readonly el: HTMLElement;
  readonly notes: HTMLElement;
  private readonly net: HTMLElement;
  private readonly firstYear: HTMLElement;
  private readonly discount: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly incomplete: HTMLElement;
  private readonly violations: HTMLUListElement;

  constructor() {
    const row = (label: string, value: HTMLElement, cls = "") =>
      h("div", { class: `totals-row ${cls}`.trim() }, h("dt", {}, label), h("dd", {}, value));
    this.net = h("output", { class: "total-value", "data-testid": "quote-total" });
    this.firstYear = h("output", { "data-testid": "quote-first-year" });
    this.discount = h("output", { "data-testid": "quote-discount" });
    this.caption = h("p", { class: "totals-caption", "data-testid": "quote-caption" });
    this.incomplete = h("p", { class: "totals-incomplete", "data-testid": "quote-unpriceable", hidden: true });
    this.violations = h("ul", { class: "violations quote-violations", "aria-label": "Problems with the deal", hidden: true });
    this.notes = h("div", { class: "quote-notes" }, this.violations, this.caption);
    this.el = h(
      "div",
      { class: "quote-totals", "data-testid": "quote-totals", role: "group", "aria-label": "Totals" },
      this.incomplete,
      h("dl", { class: "totals" }, row("Net total", this.net, "totals-main"), row("First year", this.firstYear, "totals-first-year"), row("Discount", this.discount, "totals-discount")),
    );
  }

  render(view: TotalsView): void {
    this.net.textContent = view.net;
    this.firstYear.textContent = view.firstYear;
    this.discount.textContent = view.discount;
    this.caption.textContent = view.caption;
    this.caption.hidden = !view.caption;
    if (this.incomplete.textContent !== view.unpriceable) this.incomplete.replaceChildren(...(view.unpriceable ? [icon("alert", 14), h("span", {}, view.unpriceable)] : []));
    this.incomplete.hidden = !view.unpriceable;
    this.el.classList.toggle("is-stale", view.stale);
    this.el.classList.toggle("is-unpriced", !view.priced);
    this.el.classList.toggle("is-incomplete", !!view.unpriceable);
    const shown = Array.from(this.violations.children, (li) => li.textContent);
    if (shown.length !== view.violations.length || shown.some((t, i) => t !== view.violations[i])) {
      this.violations.replaceChildren(
        ...view.violations.map((message) => h("li", { class: "violation", "data-testid": "quote-violation" }, icon("alert", 16), h("span", {}, message))),
      );
    }
    this.violations.hidden = view.violations.length === 0;
  }
}
