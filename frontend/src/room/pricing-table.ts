/**
 * The pricing table, bound to the shared doc's `lines` (and showing `computed` prices).
 *
 * Rows are keyed by line id and kept across renders: a remote change updates the row it touches
 * and moves rows with as few DOM moves as possible, so that someone typing in another row keeps
 * their focus, caret and unsent text.
 */
import type * as Y from "yjs";
import { h, icon, uid } from "../lib/dom";
import { computedCurrency, computedLine, computedTotal, formatMoney } from "./computed";
import { CLEAR, FieldBinding, parseNumber } from "./inputs";
import { addLine, getLine, moveLine, readLine, removeLine, setLineField, setLocked, type LineData, type Lines } from "./lines";
import { canEditLineField, canManageLines, lineRights, pricingReadOnlyReason, type Access, type LineField } from "./permissions";

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
}

export const MAX_QTY = 1_000_000_000;

export class PricingTable {
  readonly el: HTMLElement;
  readonly list: HTMLOListElement;
  private readonly rows = new Map<string, LineRow>();
  private readonly total: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly observer = () => this.render();
  private readonly computedObserver = () => this.renderComputed();

  constructor(
    private readonly parts: PricingParts,
    private readonly opts: PricingOptions,
  ) {
    const reason = pricingReadOnlyReason(opts.access);
    this.list = h("ol", { class: "lines", "data-testid": "pricing-table", "aria-label": "Line items" });
    this.empty = h("p", { class: "empty" }, canManageLines(opts.access) ? "No line items yet. Add the first product below." : "No line items yet.");
    this.total = h("strong", { class: "total-value", "data-testid": "pricing-total" });
    this.el = h(
      "div",
      { class: "pricing" },
      reason ? h("p", { class: "readonly-banner" }, icon("eye", 16), reason) : null,
      this.list,
      this.empty,
      canManageLines(opts.access) ? this.addForm() : null,
      h("div", { class: "total-row" }, h("span", { class: "total-label" }, "Total"), this.total),
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

  currency(): string | undefined {
    const fromDeal = this.parts.deal.get("currency");
    return computedCurrency(this.parts.computed) ?? (typeof fromDeal === "string" ? fromDeal : undefined);
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
        row = new LineRow(this, data.id, this.opts);
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
    const currency = this.currency();
    for (const row of this.rows.values()) row.renderComputed(computedLine(this.parts.computed, row.id), currency);
    this.total.textContent = formatMoney(computedTotal(this.parts.computed), currency);
  }

  /** Operations of the rep's buttons, guarded by the same rights the server checks. */
  get lines(): Lines {
    return this.parts.lines;
  }

  private addForm(): HTMLElement {
    const skuId = uid("sku");
    const qtyId = uid("qty");
    const sku = h("input", { id: skuId, class: "input", name: "sku", autocomplete: "off", placeholder: "e.g. PLAT-ENT", "data-testid": "new-line-sku", required: true });
    const qty = h("input", { id: qtyId, class: "input input-num", name: "qty", type: "number", inputmode: "decimal", min: 0, step: "any", "data-testid": "new-line-qty" });
    qty.value = "1";
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const add = h("button", { type: "submit", class: "btn btn-secondary", "data-testid": "add-line" }, icon("plus", 16), "Add line");
    const form = h(
      "form",
      { class: "add-line", novalidate: true, "aria-label": "Add a line item" },
      h("div", { class: "field" }, h("label", { for: skuId, class: "label" }, "SKU"), sku),
      h("div", { class: "field field-qty" }, h("label", { for: qtyId, class: "label" }, "Qty"), qty),
      h("div", { class: "add-line-action" }, add),
      error,
    );
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
      addLine(this.parts.lines, { sku: code, qty: amount });
      sku.value = "";
      qty.value = "1";
      sku.focus();
    });
    return form;
  }
}

class LineRow {
  readonly el: HTMLLIElement;
  private data: LineData | null = null;
  private readonly bindings: Record<LineField, FieldBinding<string | number>>;
  private readonly inputs: Record<LineField, HTMLInputElement>;
  private readonly lock: HTMLButtonElement | null;
  private readonly lockBadge: HTMLElement;
  private readonly up: HTMLButtonElement | null;
  private readonly down: HTMLButtonElement | null;
  private readonly net: HTMLElement;
  private readonly extended: HTMLElement;
  private readonly position: HTMLElement;

  constructor(
    private readonly table: PricingTable,
    readonly id: string,
    private readonly opts: PricingOptions,
  ) {
    const ids = { sku: uid("sku"), qty: uid("qty"), discountPct: uid("disc"), note: uid("note") };
    const input = (field: LineField, attrs: Record<string, string | number>) =>
      h("input", { id: ids[field], class: "input", name: field, autocomplete: "off", ...attrs });
    this.inputs = {
      sku: input("sku", { "data-testid": "line-sku", class: "input input-sku" }),
      qty: input("qty", { "data-testid": "line-qty", type: "number", inputmode: "decimal", min: 0, step: "any", class: "input input-num" }),
      discountPct: input("discountPct", { "data-testid": "line-discount", type: "number", inputmode: "decimal", min: 0, max: 100, step: "any", class: "input input-num" }),
      note: input("note", { "data-testid": "line-note", placeholder: "Add a note" }),
    };
    const manage = canManageLines(opts.access);
    this.position = h("span", { class: "line-pos", "aria-hidden": "true" });
    this.lockBadge = h("span", { class: "lock-badge", hidden: true }, icon("lock", 14), "Locked");
    this.lock = manage
      ? h("button", { type: "button", class: "icon-btn lock-btn", "data-testid": "line-lock", "aria-pressed": "false", "aria-label": "Lock line" })
      : null;
    this.up = manage ? h("button", { type: "button", class: "icon-btn", "data-testid": "line-up", "aria-label": "Move line up" }, icon("up")) : null;
    this.down = manage ? h("button", { type: "button", class: "icon-btn", "data-testid": "line-down", "aria-label": "Move line down" }, icon("down")) : null;
    const remove = manage ? h("button", { type: "button", class: "icon-btn icon-btn-danger", "data-testid": "line-remove", "aria-label": "Remove line" }, icon("trash")) : null;
    this.net = h("output", { class: "money", "data-testid": "line-net", "aria-labelledby": ids.sku + "-net" });
    this.extended = h("output", { class: "money money-strong", "data-testid": "line-extended" });
    const label = (field: LineField, text: string) => h("label", { for: ids[field], class: "label" }, text);

    this.el = h(
      "li",
      { class: "line", "data-testid": "line-row", "data-line-id": id },
      h(
        "div",
        { class: "line-head" },
        this.position,
        h("div", { class: "field field-sku" }, h("label", { for: ids.sku, class: "visually-hidden" }, "SKU"), this.inputs.sku),
        this.lockBadge,
        this.lock,
      ),
      h(
        "div",
        { class: "line-grid" },
        h("div", { class: "field" }, label("qty", "Qty"), this.inputs.qty),
        h("div", { class: "field" }, label("discountPct", "Discount %"), this.inputs.discountPct),
        h("div", { class: "field field-out" }, h("span", { class: "label", id: ids.sku + "-net" }, "Net price"), this.net),
        h("div", { class: "field field-out" }, h("span", { class: "label" }, "Line total"), this.extended),
      ),
      h(
        "div",
        { class: "line-foot" },
        h("div", { class: "field field-note" }, label("note", "Note"), this.inputs.note),
        manage ? h("div", { class: "line-actions" }, this.up, this.down, remove) : null,
      ),
    );

    const spec = (field: LineField, parse: (raw: string) => string | number | undefined) => ({
      parse,
      format: (v: string | number | undefined) => (v === undefined ? "" : String(v)),
      read: () => {
        const d = this.current();
        return d ? d[field] : undefined;
      },
      write: (v: string | number | typeof CLEAR) => {
        if (v !== CLEAR) setLineField(this.table.lines, this.id, field, v);
      },
      mayWrite: () => this.mayWrite(field),
    });
    const delay = opts.delayMs;
    this.bindings = {
      sku: new FieldBinding(this.inputs.sku, spec("sku", (raw) => raw.trim() || undefined), delay),
      qty: new FieldBinding(this.inputs.qty, spec("qty", (raw) => parseNumber(raw, { min: 0, max: MAX_QTY })), delay),
      discountPct: new FieldBinding(this.inputs.discountPct, spec("discountPct", (raw) => parseNumber(raw, { min: 0, max: 100 })), delay),
      note: new FieldBinding(this.inputs.note, spec("note", (raw) => raw), delay),
    };

    this.lock?.addEventListener("click", () => {
      const d = this.current();
      if (d && canManageLines(this.opts.access)) setLocked(this.table.lines, this.id, !d.locked);
    });
    this.up?.addEventListener("click", () => this.move(-1));
    this.down?.addEventListener("click", () => this.move(1));
    remove?.addEventListener("click", () => {
      if (!canManageLines(this.opts.access)) return;
      const d = this.current();
      const next = (this.el.nextElementSibling ?? this.el.previousElementSibling) as HTMLElement | null;
      if (removeLine(this.table.lines, this.id)) {
        this.opts.notify(`Removed line ${d?.sku || ""}`.trim() + ".");
        (next?.querySelector<HTMLElement>("[data-testid=line-remove]") ?? null)?.focus();
      }
    });
  }

  private current(): LineData | undefined {
    const map = getLine(this.table.lines, this.id);
    return map ? readLine(map) : undefined;
  }

  private mayWrite(field: LineField): boolean {
    const d = this.current();
    if (!d) return false;
    if (canEditLineField(this.opts.access, d.locked, field)) return true;
    this.opts.notify(d.locked ? `Line ${d.sku} was locked by your account team; your change was not saved.` : "You may not change this field.");
    this.bindings[field].refresh();
    return false;
  }

  private move(delta: -1 | 1): void {
    if (!canManageLines(this.opts.access)) return;
    if (moveLine(this.table.lines, this.id, delta)) {
      // Keep the keyboard where it was; at the top or bottom the other arrow is the one left.
      const preferred = delta < 0 ? this.up : this.down;
      const other = delta < 0 ? this.down : this.up;
      (preferred && !preferred.disabled ? preferred : other)?.focus();
    }
  }

  update(data: LineData, index: number, count: number): void {
    const was = this.data;
    this.data = data;
    const rights = lineRights(this.opts.access, data.locked);
    for (const field of ["sku", "qty", "discountPct", "note"] as const) {
      const binding = this.bindings[field];
      if (binding.hasUnsavedChange() && !rights[field] && was && !was.locked && data.locked) {
        this.opts.notify(`Line ${data.sku} was just locked by your account team.`);
      }
      binding.setWritable(rights[field]);
      binding.refresh();
    }
    this.inputs.note.placeholder = rights.note ? "Add a note" : "";
    // An empty note nobody here may write is noise: hide it (it shows once someone writes one).
    this.el.classList.toggle("no-note", !rights.note && !data.note);
    this.el.classList.toggle("is-locked", data.locked);
    this.el.setAttribute("aria-label", `Line ${index + 1}: ${data.sku || "no SKU"}${data.locked ? ", locked" : ""}`);
    this.position.textContent = String(index + 1);
    this.lockBadge.hidden = !data.locked || this.lock !== null;
    if (this.lock) {
      this.lock.setAttribute("aria-pressed", String(data.locked));
      this.lock.title = data.locked ? "Locked for the customer. Click to unlock" : "Lock this line for the customer";
      this.lock.replaceChildren(icon(data.locked ? "lock" : "unlock", 16), h("span", { class: "lock-text" }, data.locked ? "Locked" : "Lock"));
    }
    if (this.up) this.up.disabled = index === 0;
    if (this.down) this.down.disabled = index === count - 1;
  }

  renderComputed(values: { net?: string; extended?: string }, currency: string | undefined): void {
    this.net.textContent = formatMoney(values.net, currency);
    this.extended.textContent = formatMoney(values.extended, currency);
  }

  destroy(): void {
    for (const binding of Object.values(this.bindings)) binding.destroy();
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
