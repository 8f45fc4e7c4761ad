/**
 * The rep panel (internal chunk only): the deal's margin, cost and floor breaches, and the rep's
 * commission estimate with how it is made up, bound live to the internal doc's `computed`.
 */
import type * as Y from "yjs";
import { h, icon, uid } from "../lib/dom";
import { ComputedBinding } from "./computed";
import { commissionView, economicsView, readEconomics, type CommissionView, type EconomicsView } from "./internal-view";

export class RepPanel {
  readonly el: HTMLElement;
  private readonly margin: HTMLElement;
  private readonly cost: HTMLElement;
  private readonly maxDiscount: HTMLElement;
  private readonly floor: HTMLElement;
  private readonly commissionTotal: HTMLElement;
  private readonly commissionNote: HTMLElement;
  private readonly layers: HTMLElement;
  private readonly hints: HTMLElement;
  private readonly live = new ComputedBinding(() => this.render());

  /** `yours`: the person looking is the rep whose commission it is. */
  constructor(yours: boolean) {
    const stat = (label: string, value: HTMLElement, cls = "") => h("div", { class: `stat ${cls}`.trim() }, h("dt", {}, label), h("dd", {}, value));
    this.margin = h("output", { "data-testid": "quote-margin" });
    this.cost = h("output", { "data-testid": "quote-cost" });
    this.maxDiscount = h("output", { "data-testid": "quote-max-discount" });
    this.floor = h("div", { class: "floor", "data-testid": "below-floor" });
    this.commissionTotal = h("output", { class: "commission-total", "data-testid": "commission-total" });
    this.commissionNote = h("p", { class: "hint", hidden: true });
    this.layers = h("ol", { class: "layers", "aria-label": "How the estimate is made up" });
    this.hints = h("ul", { class: "commission-hints", "aria-label": "Within reach" });
    const heading = uid("commission");
    this.el = h(
      "div",
      { class: "rep-panel", "data-testid": "rep-panel" },
      h("dl", { class: "stats" }, stat("Margin", this.margin, "stat-main"), stat("Cost", this.cost), stat("Highest line discount", this.maxDiscount)),
      this.floor,
      h(
        "section",
        { class: "commission", "aria-labelledby": heading },
        h("h3", { class: "rep-subhead", id: heading }, yours ? "Your commission estimate" : "Rep's commission estimate"),
        this.commissionTotal,
        this.commissionNote,
        this.layers,
        this.hints,
      ),
    );
    this.render();
  }

  bind(computed: Y.Map<unknown>): void {
    this.live.bind(computed);
  }

  unbind(): void {
    this.live.unbind();
  }

  render(): void {
    const computed = this.live.map;
    this.renderEconomics(computed ? readEconomics(computed) : economicsView(undefined));
    this.renderCommission(commissionView(computed?.get("commission")));
  }

  private renderEconomics(v: EconomicsView): void {
    this.margin.textContent = v.margin;
    this.cost.textContent = v.cost;
    this.maxDiscount.textContent = v.maxDiscount;
    this.el.classList.toggle("has-floor-breach", v.belowFloor.length > 0);
    if (!v.priced) {
      this.floor.replaceChildren();
    } else if (!v.belowFloor.length) {
      this.floor.replaceChildren(h("p", { class: "floor-ok" }, icon("check", 16), "Every line is at or above its floor price."));
    } else {
      this.floor.replaceChildren(
        h("p", { class: "floor-head" }, icon("alert", 16), v.belowFloor.length === 1 ? "1 line is below its floor price" : `${v.belowFloor.length} lines are below their floor price`),
        h("ul", { class: "floor-list" }, v.belowFloor.map((text) => h("li", { "data-testid": "line-below-floor" }, text))),
      );
    }
  }

  private renderCommission(v: CommissionView): void {
    this.commissionTotal.textContent = v.total;
    this.commissionTotal.hidden = v.state === "none";
    this.commissionNote.hidden = v.state !== "none";
    this.commissionNote.textContent = v.state === "none" ? "No incentive plan is set up yet, so there is no estimate." : "";
    this.layers.replaceChildren(
      ...v.layers.map((l) =>
        h(
          "li",
          { class: `layer${l.negative ? " is-negative" : ""}`, "data-testid": "commission-layer" },
          h("div", { class: "layer-top" }, h("span", { class: "layer-name" }, l.name), h("span", { class: "layer-amount" }, l.amount)),
          l.explanation ? h("p", { class: "layer-why" }, l.explanation) : null,
        ),
      ),
    );
    this.layers.hidden = v.layers.length === 0;
    this.hints.replaceChildren(...v.hints.map((text) => h("li", { "data-testid": "commission-hint" }, icon("spark", 16), h("span", {}, text))));
    this.hints.hidden = v.hints.length === 0;
  }

  destroy(): void {
    this.unbind();
  }
}
