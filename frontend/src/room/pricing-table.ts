/**
 * The pricing table, bound to the shared doc's `lines` and showing the server's quote
 * (`computed.quote`: net prices, line totals, totals and violations).
 *
 * Rows are keyed by line id and kept across renders: a remote change updates the row it touches
 * and moves rows with as few DOM moves as possible, so that someone typing in another row keeps
 * their focus, caret and unsent text.
 */
import type * as Y from "yjs";
import { api, type ProductDetail } from "../lib/api";
import { h, icon, uid } from "../lib/dom";
import { readQuote } from "./computed";
import { parseNumber } from "./inputs";
import { LineRow, MAX_QTY, type RowHost } from "./line-row";
import { addLine, readLine, type LineData, type Lines } from "./lines";
import { canManageLines, pricingReadOnlyReason, type Access } from "./permissions";
import { priceUnit, type ProductCatalog } from "./products";
import { QuoteTotals } from "./quote-totals";
import { lineView, quoteCurrency, totalsView } from "./quote-view";

export { MAX_QTY };

export interface PricingParts {
  lines: Lines;
  computed: Y.Map<unknown>;
  deal: Y.Map<unknown>;
}

export interface PricingOptions {
  access: Access;
  notify(message: string): void;
  /** Commit delay for typed values (tests shorten it). */
  delayMs?: number;
  /** The price book's products: SKU suggestions for the rep, names in the product facts. */
  products?: ProductCatalog;
  /** Fetches one product's facts (tests replace it). */
  loadFacts?: (sku: string) => Promise<ProductDetail>;
}

export class PricingTable implements RowHost {
  readonly el: HTMLElement;
  readonly list: HTMLOListElement;
  readonly suggestions?: string;
  private readonly rows = new Map<string, LineRow>();
  private readonly totals = new QuoteTotals();
  private readonly empty: HTMLElement;
  private readonly observer = () => this.render();
  private readonly computedObserver = () => this.renderComputed();

  constructor(
    private readonly parts: PricingParts,
    private readonly opts: PricingOptions,
  ) {
    const reason = pricingReadOnlyReason(opts.access);
    const manage = canManageLines(opts.access);
    if (manage && opts.products) {
      this.suggestions = opts.products.datalist.id;
      void opts.products.load();
    }
    this.list = h("ol", { class: "lines", "data-testid": "pricing-table", "aria-label": "Line items" });
    this.empty = h("p", { class: "empty" }, manage ? "No line items yet. Add the first product below." : "No line items yet.");
    this.el = h(
      "div",
      { class: "pricing" },
      reason ? h("p", { class: "readonly-banner" }, icon("eye", 16), reason) : null,
      this.list,
      this.empty,
      manage ? this.addForm() : null,
      this.totals.el,
      manage ? (opts.products?.datalist ?? null) : null,
    );
    parts.lines.observeDeep(this.observer);
    parts.computed.observeDeep(this.computedObserver);
    parts.deal.observe(this.computedObserver);
    this.render();
  }

  destroy(): void {
    this.parts.lines.unobserveDeep(this.observer);
    this.parts.computed.unobserveDeep(this.computedObserver);
    this.parts.deal.unobserve(this.computedObserver);
    for (const row of this.rows.values()) row.destroy();
    this.rows.clear();
  }

  get access(): Access {
    return this.opts.access;
  }

  get delayMs(): number | undefined {
    return this.opts.delayMs;
  }

  notify(message: string): void {
    this.opts.notify(message);
  }

  /** Opens the product's facts; the dialog is its own chunk, fetched with the facts on first use. */
  openFacts(sku: string, opener: HTMLElement): void {
    const facts = (this.opts.loadFacts ?? api.product)(sku);
    facts.catch(() => undefined); // shown in the dialog
    const products = this.opts.products;
    void products?.load();
    import("./product-facts")
      .then(({ openProductFacts }) => openProductFacts({ sku, facts, opener, nameOf: (s) => products?.find(s)?.name }))
      .catch(() => this.opts.notify("The product facts could not be opened. Check your connection and try again."));
  }

  row(id: string): LineRow | undefined {
    return this.rows.get(id);
  }

  render(): void {
    const active = document.activeElement as HTMLElement | null;
    const selection = saveSelection(active);
    const items = this.parts.lines.toArray();
    const seen = new Set<string>();
    items.forEach((map, index) => {
      const data = readLine(map);
      // Two concurrent moves of one line can leave two copies with one id: show both.
      let key = data.id;
      for (let n = 2; seen.has(key); n++) key = `${data.id}#${n}`;
      seen.add(key);
      let row = this.rows.get(key);
      if (!row) {
        row = new LineRow(this, data.id);
        this.rows.set(key, row);
      }
      row.update(data, index, items.length);
      const at = this.list.children[index] ?? null;
      if (at !== row.el) this.list.insertBefore(row.el, at);
    });
    for (const [key, row] of this.rows) {
      if (!seen.has(key)) {
        row.destroy();
        row.el.remove();
        this.rows.delete(key);
      }
    }
    this.empty.hidden = items.length > 0;
    // A DOM move of the row holding the focus blurs it: put the focus and caret back.
    if (active && active !== document.activeElement && active.isConnected && !isDisabled(active)) {
      active.focus({ preventScroll: true });
      restoreSelection(active, selection);
    }
    this.renderComputed();
  }

  renderComputed(): void {
    const quote = readQuote(this.parts.computed);
    const currency = quoteCurrency(quote, this.parts.deal.get("currency"));
    const rows: LineData[] = [];
    for (const row of this.rows.values()) {
      const data = row.values;
      if (!data) continue;
      rows.push(data);
      row.renderComputed(lineView(quote, data, currency));
    }
    this.totals.render(totalsView(quote, rows, currency));
  }

  /** Operations of the rep's buttons, guarded by the same rights the server checks. */
  get lines(): Lines {
    return this.parts.lines;
  }

  private addForm(): HTMLElement {
    const skuId = uid("sku");
    const qtyId = uid("qty");
    const productId = uid("product");
    const sku = h("input", { id: skuId, class: "input", name: "sku", autocomplete: "off", placeholder: "e.g. PLAT-ENT", "data-testid": "new-line-sku", required: true, list: this.suggestions, "aria-describedby": productId });
    const qty = h("input", { id: qtyId, class: "input input-num", name: "qty", type: "number", inputmode: "decimal", min: 0, step: "any", "data-testid": "new-line-qty" });
    qty.value = "1";
    const product = h("p", { class: "hint add-line-product", id: productId, "data-testid": "new-line-product", "aria-live": "polite" });
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const add = h("button", { type: "submit", class: "btn btn-secondary", "data-testid": "add-line" }, icon("plus", 16), "Add line");
    const form = h(
      "form",
      { class: "add-line", novalidate: true, "aria-label": "Add a line item" },
      h("div", { class: "field field-new-sku" }, h("label", { for: skuId, class: "label" }, "SKU"), sku),
      h("div", { class: "field field-qty" }, h("label", { for: qtyId, class: "label" }, "Qty"), qty),
      h("div", { class: "add-line-action" }, add),
      product,
      error,
    );
    // What the typed SKU is, from the price book (when the list could be fetched).
    const describe = () => {
      const catalog = this.opts.products;
      const code = sku.value.trim();
      const found = code ? catalog?.find(code) : undefined;
      const unknown = !found && !!code && !!catalog?.size && !catalog.startsASku(code);
      product.textContent = found ? `${found.name} · ${priceUnit(found.unit, found.billing_period)}` : unknown ? "Not in the price book: the line will not be priced." : "";
      product.classList.toggle("is-warning", unknown);
    };
    sku.addEventListener("input", describe);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const code = sku.value.trim();
      const amount = parseNumber(qty.value, { min: 0, max: MAX_QTY });
      if (!code || amount === undefined) {
        error.textContent = !code ? "Enter a SKU." : "Enter a quantity of 0 or more.";
        error.hidden = false;
        (code ? qty : sku).focus();
        return;
      }
      error.hidden = true;
      if (!canManageLines(this.opts.access)) return;
      addLine(this.parts.lines, { sku: this.opts.products?.find(code)?.sku ?? code, qty: amount });
      sku.value = "";
      qty.value = "1";
      describe();
      sku.focus();
    });
    return form;
  }
}

function isDisabled(el: HTMLElement): boolean {
  return (el as HTMLButtonElement).disabled === true;
}

type Selection = { start: number | null; end: number | null } | null;

function saveSelection(el: Element | null): Selection {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    try {
      return { start: el.selectionStart, end: el.selectionEnd };
    } catch {
      return null; // number inputs have no selection API
    }
  }
  return null;
}

function restoreSelection(el: Element, selection: Selection): void {
  if (!selection || selection.start === null || selection.end === null) return;
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    try {
      el.setSelectionRange(selection.start, selection.end);
    } catch {
      // number inputs have no selection API
    }
  }
}
