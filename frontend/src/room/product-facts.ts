/**
 * "About this product": a modal dialog (a full-height sheet on phones) with a product's description,
 * collateral, competitor notes (only present when the server sent them, i.e. for internal roles) and
 * the products often bought with it. Its own chunk: loaded on the first click, with the facts.
 *
 * The native <dialog> opened with showModal() makes the page behind it inert and closes on Escape;
 * Tab is also kept inside it here, and the focus goes back to the button that opened it.
 */
import "./product-facts.css";
import { ApiError, type ProductDetail } from "../lib/api";
import { h, icon, uid } from "../lib/dom";
import { priceUnit } from "./products";

export interface FactsOptions {
  sku: string;
  facts: Promise<ProductDetail>;
  /** Gives the focus back here on close. */
  opener?: HTMLElement | null;
  /** The name of another product, for "often bought with". */
  nameOf?(sku: string): string | undefined;
}

export interface FactsDialog {
  readonly el: HTMLDialogElement;
  /** Resolves once the facts are shown (or the failure is). */
  readonly ready: Promise<void>;
  close(): void;
}

let open: FactsDialog | null = null;

export function openProductFacts(opts: FactsOptions): FactsDialog {
  open?.close();
  const titleId = uid("facts-title");
  const title = h("h2", { class: "sheet-title", id: titleId }, opts.sku);
  const sub = h("p", { class: "sheet-sub" }, h("span", { class: "sheet-sku" }, opts.sku));
  const close = h("button", { type: "button", class: "icon-btn sheet-close", "data-testid": "product-facts-close", "aria-label": "Close" }, icon("close", 20));
  const body = h("div", { class: "sheet-body", "aria-busy": "true" }, h("p", { class: "muted", role: "status" }, "Loading product facts…"));
  const el = h(
    "dialog",
    { class: "dialog-sheet sheet", "data-testid": "product-facts", "aria-labelledby": titleId },
    h("div", { class: "sheet-inner" }, h("header", { class: "sheet-head" }, h("div", { class: "sheet-heading" }, title, sub), close), body),
  );

  let closed = false;
  const dialog: FactsDialog = {
    el,
    ready: opts.facts.then(
      (product) => {
        if (closed) return;
        title.textContent = product.name || opts.sku;
        const unit = priceUnit(product.unit, product.billing_period);
        sub.replaceChildren(h("span", { class: "sheet-sku" }, product.sku), unit ? ` · ${unit}` : "");
        body.replaceChildren(...facts(product, opts.nameOf));
        body.removeAttribute("aria-busy");
      },
      (error: unknown) => {
        if (closed) return;
        const message =
          error instanceof ApiError && error.status === 404
            ? `${opts.sku} is not in the price book.`
            : error instanceof ApiError
              ? error.detail
              : "The product facts could not be loaded. Check your connection and try again.";
        body.replaceChildren(h("p", { class: "field-error", role: "alert", "data-testid": "product-facts-error" }, message));
        body.removeAttribute("aria-busy");
      },
    ),
    close() {
      if (closed) return;
      closed = true;
      if (el.open) el.close();
      el.remove();
      if (open === dialog) open = null;
      if (opts.opener?.isConnected) opts.opener.focus();
    },
  };

  close.addEventListener("click", () => dialog.close());
  // Escape: the browser sends `cancel` then `close`; either way the dialog goes away and focus returns.
  el.addEventListener("close", () => dialog.close());
  el.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      dialog.close();
    } else if (event.key === "Tab") {
      keepTabInside(el, event);
    }
  });
  // A tap on the backdrop (outside the sheet's box) closes it, as on a phone sheet.
  el.addEventListener("click", (event) => {
    if (event.target === el) dialog.close();
  });

  document.body.append(el);
  el.showModal();
  close.focus();
  open = dialog;
  return dialog;
}

function section(title: string, testid: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { class: "facts-section", "data-testid": testid }, h("h3", { class: "facts-title" }, title), ...content);
}

/** Only http(s) addresses become links (never `javascript:`), even though the server checks too. */
function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function facts(product: ProductDetail, nameOf?: (sku: string) => string | undefined): Node[] {
  const f = product.facts ?? { collateral: [], often_bought_with: [] };
  const out: Node[] = [];
  if (product.description) out.push(h("p", { class: "facts-description", "data-testid": "product-description" }, product.description));
  const links = (f.collateral ?? []).flatMap((c) => {
    const href = safeUrl(c.url);
    if (!href) return [];
    return [
      h(
        "li",
        {},
        h(
          "a",
          { href, target: "_blank", rel: "noopener noreferrer", class: "facts-link", "data-testid": "product-collateral" },
          icon("external", 16),
          h("span", {}, c.title || href),
          h("span", { class: "visually-hidden" }, " (opens in a new tab)"),
        ),
        c.internal ? h("span", { class: "badge badge-internal" }, "Internal") : null,
      ),
    ];
  });
  if (links.length) out.push(section("Collateral", "product-collateral-list", h("ul", { class: "facts-list" }, links)));
  const notes = f.competitor_notes;
  if (Array.isArray(notes) && notes.length) {
    out.push(
      section(
        "Competitor notes",
        "product-competitor-notes",
        h("p", { class: "hint facts-internal" }, icon("lock", 14), "Internal: customers never see these."),
        h(
          "ul",
          { class: "facts-notes" },
          notes.map((n) => h("li", { "data-testid": "product-competitor-note" }, h("strong", {}, n.competitor), h("p", {}, n.note))),
        ),
      ),
    );
  }
  const often = f.often_bought_with ?? [];
  if (often.length) {
    out.push(
      section(
        "Often bought with",
        "product-often-bought",
        h(
          "ul",
          { class: "facts-list" },
          often.map((sku) => {
            const name = nameOf?.(sku);
            return h("li", { "data-testid": "product-often-bought-item" }, h("span", { class: "sheet-sku" }, sku), name ? h("span", {}, ` — ${name}`) : null);
          }),
        ),
      ),
    );
  }
  if (!out.length) out.push(h("p", { class: "muted" }, "No further facts for this product."));
  return out;
}

const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

function keepTabInside(container: HTMLElement, event: KeyboardEvent): void {
  const items = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE));
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !container.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !container.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}
