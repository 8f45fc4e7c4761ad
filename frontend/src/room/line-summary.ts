/**
 * A line as one or two lines of text, for the compact rows on phones: "Platform Enterprise  $202,500.00"
 * over "PLAT-ENT · 250 × $67.50/mo  −10%  🔒  ⚠ 1". It is the button that opens the row's controls
 * (`aria-expanded`, `aria-controls`); wider screens hide it and show the controls (pricing.css).
 */
import { h, icon } from "../lib/dom";
import type { LineData } from "./lines";
import type { LineView } from "./quote-view";

const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });

export class LineSummary {
  readonly el: HTMLButtonElement;
  private readonly name: HTMLElement;
  private readonly total: HTMLElement;
  private readonly calc: HTMLElement;
  private readonly flags: HTMLElement;
  private flagsKey = "";

  constructor(controls: string, toggle: () => void) {
    this.name = h("span", { class: "ls-name", "data-testid": "line-summary-name" });
    this.total = h("span", { class: "ls-total", "data-testid": "line-summary-total" });
    this.calc = h("span", { class: "ls-calc", "data-testid": "line-summary-calc" });
    this.flags = h("span", { class: "ls-flags" });
    this.el = h(
      "button",
      { type: "button", class: "line-summary", "data-testid": "line-summary", "aria-expanded": "false", "aria-controls": controls },
      h("span", { class: "ls-text" }, h("span", { class: "ls-main" }, this.name, this.total), h("span", { class: "ls-sub" }, this.calc, this.flags)),
      h("span", { class: "ls-chevron", "aria-hidden": "true" }, icon("next", 16)),
    );
    this.el.addEventListener("click", toggle);
  }

  set expanded(open: boolean) {
    this.el.setAttribute("aria-expanded", String(open));
  }

  render(d: LineData, view: LineView): void {
    const sku = d.sku.trim() || "No SKU";
    this.name.textContent = view.name || sku;
    this.total.textContent = view.priced ? view.total : "Not priced";
    this.total.classList.toggle("is-unpriced", !view.priced);
    const qty = numbers.format(d.qty);
    const price = `${view.net}${view.net === "—" ? "" : view.perShort}`;
    this.calc.textContent = view.priced ? `${view.name ? `${sku} · ` : ""}${qty} × ${price}` : `${sku} · qty ${qty}`;
    // Rebuilt only when they change: a re-pricing touches every row of a long deal.
    const key = `${d.discountPct}|${d.locked}|${view.violations.length}`;
    if (key === this.flagsKey) return;
    this.flagsKey = key;
    const flags: Node[] = [];
    if (d.discountPct) flags.push(h("span", { class: "ls-flag ls-discount" }, `−${numbers.format(d.discountPct)}%`));
    if (d.locked) flags.push(h("span", { class: "ls-flag ls-locked", title: "Locked" }, icon("lock", 12), h("span", { class: "visually-hidden" }, "Locked")));
    const n = view.violations.length;
    if (n) flags.push(h("span", { class: "ls-flag ls-problems" }, icon("alert", 12), `${n}`, h("span", { class: "visually-hidden" }, n === 1 ? " problem" : " problems")));
    this.flags.replaceChildren(...flags);
  }
}
