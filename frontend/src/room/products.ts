/**
 * The price book's products, for the rep's SKU suggestions ("PLAT-ENT — Platform Enterprise") and for
 * naming the products a product's facts refer to. Fetched once per room page, and only when asked
 * for; without it (offline, or no price book yet) SKUs are simply typed by hand.
 */
import { api, type ProductSummary } from "../lib/api";
import { h, uid } from "../lib/dom";

export class ProductCatalog {
  /** Suggestions for every SKU input with `list={datalist.id}`; must be in the document. */
  readonly datalist: HTMLDataListElement;
  private readonly bySku = new Map<string, ProductSummary>();
  private loading: Promise<void> | null = null;
  private fetching = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly fetchProducts: () => Promise<{ products: ProductSummary[] }> = api.products) {
    this.datalist = h("datalist", { id: uid("products"), "data-testid": "product-suggestions" });
  }

  /** Fetch the list (once; a failed fetch may be retried by calling again). */
  load(): Promise<void> {
    if (!this.loading) this.fetching = true;
    this.loading ??= this.fetchProducts().then(
      ({ products }) => {
        this.fetching = false;
        this.bySku.clear();
        for (const p of products) if (p && typeof p.sku === "string") this.bySku.set(p.sku.toUpperCase(), p);
        this.datalist.replaceChildren(
          ...Array.from(this.bySku.values(), (p) => h("option", { value: p.sku }, p.name ? `${p.sku} — ${p.name}` : p.sku)),
        );
        for (const fn of this.listeners) fn();
      },
      () => {
        this.fetching = false;
        this.loading = null; // no suggestions this time; typing a SKU still works
      },
    );
    return this.loading;
  }

  /** Is the list being fetched right now? (A SKU is then checked once it has arrived.) */
  get pending(): boolean {
    return this.fetching;
  }

  get size(): number {
    return this.bySku.size;
  }

  find(sku: string): ProductSummary | undefined {
    return this.bySku.get(sku.trim().toUpperCase());
  }

  /** Could `typed` still become a known SKU (some SKU starts with it)? */
  startsASku(typed: string): boolean {
    const prefix = typed.trim().toUpperCase();
    for (const sku of this.bySku.keys()) if (sku.startsWith(prefix)) return true;
    return false;
  }

  onLoad(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/**
 * "user" + "monthly" → "per user per month" (a product's price unit, as the price book names it).
 * It lives here, free of Yjs: when the facts chunk imported it from a module that imports Yjs, the
 * bundler split Yjs out of the room chunk into a chunk of its own (one more request per room).
 */
export function priceUnit(unit: string, period: string | null | undefined): string {
  const per = unit ? `per ${unit}` : "";
  const when = period === "monthly" ? "per month" : period === "annual" ? "per year" : period === "one_time" ? "one-time" : "";
  return [per, when].filter(Boolean).join(period === "one_time" ? ", " : " ");
}
