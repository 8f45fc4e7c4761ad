/**
 * The pricing table, bound to the shared doc's `lines` and showing the server's quote
 * (`computed.quote`: net prices, line totals, totals and violations).
 *
 * Rows are keyed by line id and kept across renders: a remote change updates the row it touches
 * and moves rows with as few DOM moves as possible, so that someone typing in another row keeps
 * their focus, caret and unsent text. Past a handful of lines a search box filters the rows by SKU
 * or product name; the totals stay in sight at the bottom of the screen (pricing.css).
 */
import type * as Y from "yjs";
import { api, type ProductDetail } from "../lib/api";
import { h, icon, uid } from "../lib/dom";
import { readQuote } from "./computed";
import { readProposals } from "./proposals";
import { addLineForm } from "./add-line";
import { MAX_QTY } from "./inputs";
import { LineRow, type RowHost } from "./line-row";
import { readLine, type LineData, type Lines } from "./lines";
import { canManageLines, pricingReadOnlyReason, type Access } from "./permissions";
import type { ProductCatalog } from "./products";
import { QuoteTotals } from "./quote-totals";
import { lineView, quoteCurrency, totalsView } from "./quote-view";
import "./pricing.css";

export { MAX_QTY };

/** From this many lines on, the table offers a search box. */
export const SEARCH_FROM = 6;

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
  /** Opens a thread about a line ("Discuss" on each row). */
  discuss?: (lineId: string) => void;
}

export class PricingTable implements RowHost {
  readonly el: HTMLElement;
  readonly list: HTMLOListElement;
  readonly suggestions?: string;
  private readonly rows = new Map<string, LineRow>();
  private readonly totals = new QuoteTotals();
  private readonly empty: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly searchBox: HTMLElement;
  private readonly searchStatus: HTMLElement;
  private words: string[] = [];
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
    const searchId = uid("line-search");
    this.search = h("input", { id: searchId, class: "input line-search-input", type: "search", autocomplete: "off", placeholder: "Find a line by SKU or product", "data-testid": "line-search", enterkeyhint: "search" });
    this.searchStatus = h("p", { class: "hint line-search-status", id: uid("line-search-status"), "data-testid": "line-search-status", "aria-live": "polite" });
    this.search.setAttribute("aria-describedby", this.searchStatus.id);
    this.searchBox = h(
      "div",
      { class: "line-search", role: "search", hidden: true },
      h("label", { for: searchId, class: "visually-hidden" }, "Find a line by SKU or product name"),
      h("span", { class: "line-search-icon", "aria-hidden": "true" }, icon("search", 16)),
      this.search,
      this.searchStatus,
    );
    this.search.addEventListener("input", () => {
      this.words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
      this.filter();
    });
    this.search.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.search.value) {
        this.search.value = "";
        this.words = [];
        this.filter();
      }
    });
    this.el = h(
      "div",
      { class: "pricing" },
      reason ? h("p", { class: "readonly-banner" }, icon("eye", 16), reason) : null,
      this.searchBox,
      this.list,
      this.empty,
      manage ? addLineForm({ lines: parts.lines, access: opts.access, products: opts.products, suggestions: this.suggestions }) : null,
      this.totals.notes,
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

  get products(): ProductCatalog | undefined {
    return this.opts.products;
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

  get discuss(): ((lineId: string) => void) | undefined {
    return this.opts.discuss;
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
    const proposals = readProposals(this.parts.computed).filter((p) => p.kind === "line");
    for (const row of this.rows.values()) {
      const data = row.values;
      if (!data) continue;
      rows.push(data);
      row.renderComputed(lineView(quote, data, currency));
      row.markProposals(proposals.filter((p) => p.subject.line_id === data.id));
    }
    this.totals.render(totalsView(quote, rows, currency));
    this.filter();
  }

  /** Show the rows whose SKU or product name holds every word typed in the search box. */
  private filter(): void {
    const nameOf = (sku: string) => this.opts.products?.find(sku)?.name;
    let shown = 0;
    for (const row of this.rows.values()) {
      const match = row.matches(this.words, nameOf);
      row.el.hidden = !match;
      if (match) shown++;
    }
    const total = this.rows.size;
    this.searchBox.hidden = total < SEARCH_FROM && !this.search.value;
    const query = this.search.value.trim();
    this.searchStatus.textContent = !query ? "" : shown === 0 ? `No line matches “${query}”.` : `${shown} of ${total} ${total === 1 ? "line" : "lines"}`;
  }

  /** Operations of the rep's buttons, guarded by the same rights the server checks. */
  get lines(): Lines {
    return this.parts.lines;
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
