/** The totals under the pricing table and the problems of the deal as a whole. */
import { h, icon } from "../lib/dom";
import type { TotalsView } from "./quote-view";

export class QuoteTotals {
  readonly el: HTMLElement;
  private readonly net: HTMLElement;
  private readonly firstYear: HTMLElement;
  private readonly discount: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly violations: HTMLUListElement;

  constructor() {
    const row = (label: string, value: HTMLElement, cls = "") =>
      h("div", { class: `totals-row ${cls}`.trim() }, h("dt", {}, label), h("dd", {}, value));
    this.net = h("output", { class: "total-value", "data-testid": "quote-total" });
    this.firstYear = h("output", { "data-testid": "quote-first-year" });
    this.discount = h("output", { "data-testid": "quote-discount" });
    this.caption = h("p", { class: "totals-caption", "data-testid": "quote-caption" });
    this.violations = h("ul", { class: "violations quote-violations", "aria-label": "Problems with the deal", hidden: true });
    this.el = h(
      "div",
      { class: "quote-totals", "data-testid": "quote-totals" },
      h("dl", { class: "totals" }, row("Discount", this.discount), row("Net total", this.net, "totals-main"), row("First year", this.firstYear)),
      this.caption,
      this.violations,
    );
  }

  render(view: TotalsView): void {
    this.net.textContent = view.net;
    this.firstYear.textContent = view.firstYear;
    this.discount.textContent = view.discount;
    this.caption.textContent = view.caption;
    this.caption.hidden = !view.caption;
    this.el.classList.toggle("is-stale", view.stale);
    this.el.classList.toggle("is-unpriced", !view.priced);
    const shown = Array.from(this.violations.children, (li) => li.textContent);
    if (shown.length !== view.violations.length || shown.some((t, i) => t !== view.violations[i])) {
      this.violations.replaceChildren(
        ...view.violations.map((message) => h("li", { class: "violation", "data-testid": "quote-violation" }, icon("alert", 16), h("span", {}, message))),
      );
    }
    this.violations.hidden = view.violations.length === 0;
  }
}
