/**
 * One row of the pricing table: the line's controls bound to its Y.Map, and what the server's quote
 * says about it (product name, net unit price, line total, violations).
 *
 * On phones the row is compact: a summary of one or two lines (product, qty × net price, line total,
 * discount, lock, problems) that opens the row's controls when tapped. Wider screens show the
 * controls and hide the summary (pricing.css).
 */
import { h, icon, mount, uid } from "../lib/dom";
import { CLEAR, FieldBinding, invalid, MAX_QTY, parseDiscount, parseQty, type Invalid } from "./inputs";
import { getLine, moveLine, readLine, removeLine, setLineField, setLocked, type LineData, type Lines } from "./lines";
import { canEditLineField, canManageLines, lineRights, type Access, type LineField } from "./permissions";
import { LineSummary } from "./line-summary";
import type { ProductCatalog } from "./products";
import { valueText, type Proposal } from "./proposals";
import type { LineView } from "./quote-view";

export { MAX_QTY };

/** The longest note the server stores (workspace/pricing/entry.py). */
export const MAX_NOTE_LENGTH = 2000;

export interface RowHost {
  readonly lines: Lines;
  readonly access: Access;
  notify(message: string): void;
  /** The id of the SKU suggestions list, for the rep's SKU inputs. */
  readonly suggestions?: string;
  /** The price book's products: a SKU that is not one of them is refused next to the field. */
  readonly products?: ProductCatalog;
  openFacts(sku: string, opener: HTMLElement): void;
  /** Opens a thread about this line (questions, disputes: thread-sheet.ts); absent: no "Discuss". */
  discuss?(lineId: string): void;
  delayMs?: number;
}

/** A SKU the rep typed: the price book's own spelling of it, or why it cannot be a line's SKU. */
export function parseSku(raw: string, products: ProductCatalog | undefined): string | Invalid {
  const code = raw.trim();
  if (!code) return invalid("Enter the SKU of a product in the price book.");
  // Without the product list (not fetched, or no price book) the server is the judge.
  if (!products?.size) return code;
  const found = products.find(code);
  return found ? found.sku : invalid(`${code} is not in the price book. Pick a product from the suggestions.`);
}

export class LineRow {
  private proposedFields!: Record<"qty" | "discountPct", HTMLElement>;
  readonly el: HTMLLIElement;
  private data: LineData | null = null;
  private readonly bindings: Record<LineField, FieldBinding<string | number>>;
  private readonly inputs: Record<LineField, HTMLInputElement>;
  private readonly lock: HTMLButtonElement | null;
  private readonly lockBadge: HTMLElement;
  private readonly up: HTMLButtonElement | null;
  private readonly down: HTMLButtonElement | null;
  private readonly facts: HTMLButtonElement;
  private readonly name: HTMLElement;
  private readonly product: HTMLElement;
  private readonly unpriced: HTMLElement;
  private readonly net: HTMLElement;
  private readonly per: HTMLElement;
  private readonly total: HTMLElement;
  private readonly firstYear: HTMLElement;
  private readonly violations: HTMLUListElement;
  private readonly position: HTMLElement;
  private readonly summary: LineSummary;
  private view: LineView | null = null;
  private problems = 0;

  constructor(
    private readonly host: RowHost,
    readonly id: string,
  ) {
    const access = host.access;
    const ids = { sku: uid("sku"), qty: uid("qty"), discountPct: uid("disc"), note: uid("note") };
    const input = (field: LineField, attrs: Record<string, string | number>) =>
      h("input", { id: ids[field], class: "input", name: field, autocomplete: "off", ...attrs });
    const manage = canManageLines(access);
    this.inputs = {
      sku: input("sku", { "data-testid": "line-sku", class: "input input-sku", ...(manage && host.suggestions ? { list: host.suggestions } : {}) }),
      qty: input("qty", { "data-testid": "line-qty", type: "number", inputmode: "numeric", min: 1, step: 1, class: "input input-num" }),
      discountPct: input("discountPct", { "data-testid": "line-discount", type: "number", inputmode: "decimal", min: 0, max: 100, step: 0.01, class: "input input-num" }),
      note: input("note", { "data-testid": "line-note", placeholder: "Add a note", maxlength: MAX_NOTE_LENGTH }),
    };
    this.position = h("span", { class: "line-pos", "aria-hidden": "true" });
    this.lockBadge = h("span", { class: "lock-badge", hidden: true }, icon("lock", 14), "Locked");
    this.lock = manage
      ? h("button", { type: "button", class: "icon-btn lock-btn", "data-testid": "line-lock", "aria-pressed": "false", "aria-label": "Lock line" })
      : null;
    this.up = manage ? h("button", { type: "button", class: "icon-btn", "data-testid": "line-up", "aria-label": "Move line up" }, icon("up")) : null;
    this.down = manage ? h("button", { type: "button", class: "icon-btn", "data-testid": "line-down", "aria-label": "Move line down" }, icon("down")) : null;
    const remove = manage ? h("button", { type: "button", class: "icon-btn icon-btn-danger", "data-testid": "line-remove", "aria-label": "Remove line" }, icon("trash")) : null;
    this.facts = h("button", { type: "button", class: "icon-btn facts-btn", "data-testid": "line-facts", "aria-haspopup": "dialog", title: "About this product" }, icon("info"), h("span", { class: "visually-hidden" }, "About this product"));
    // "Discuss": one tap to a thread about this line, next to the phone's summary and in the desktop's head.
    const discuss = (where: string) => {
      if (!host.discuss) return null;
      const b = h("button", { type: "button", class: `btn btn-small btn-secondary discuss-btn discuss-${where}`, "data-testid": "line-discuss", "aria-label": "Discuss this line" }, "Discuss");
      b.addEventListener("click", () => host.discuss?.(id));
      return b;
    };
    this.name = h("span", { class: "line-name", "data-testid": "line-name" });
    this.unpriced = h("span", { class: "unpriced-badge", "data-testid": "line-unpriced", hidden: true }, icon("alert", 14), "Not priced");
    const netLabel = uid("net");
    const totalLabel = uid("total");
    this.product = h("span", { class: "line-product", hidden: true }, this.unpriced, this.name);
    this.net = h("output", { class: "money", "data-testid": "line-net", for: `${ids.qty} ${ids.discountPct}`, "aria-labelledby": netLabel });
    this.per = h("small", { class: "money-sub" });
    this.total = h("output", { class: "money money-strong", "data-testid": "line-total", for: `${ids.qty} ${ids.discountPct}`, "aria-labelledby": totalLabel });
    this.firstYear = h("small", { class: "money-sub", "data-testid": "line-first-year", hidden: true });
    this.violations = h("ul", { class: "violations line-violations", id: uid("problems"), "aria-label": "Problems with this line", hidden: true });
    const label = (field: LineField, text: string) => h("label", { for: ids[field], class: "label" }, text);

    const bodyId = uid("line-body");
    this.summary = new LineSummary(bodyId, () => this.setOpen(!this.open));
    const fieldOf = (field: LineField, text: string) => h("div", { class: "field" }, label(field, text), this.inputs[field]);
    const qtyField = fieldOf("qty", "Qty");
    const discountField = fieldOf("discountPct", "Discount %");
    this.proposedFields = { qty: qtyField, discountPct: discountField };
    const noteField = h("div", { class: "field field-note" }, label("note", "Note"), this.inputs.note);
    const skuField = h("div", { class: "field field-sku" }, h("label", { for: ids.sku, class: "visually-hidden" }, "SKU"), this.inputs.sku, this.product);

    this.el = h(
      "li",
      { class: "line", "data-testid": "line-row", "data-line-id": id },
      h("div", { class: "line-top" }, this.summary.el, discuss("phone")),
      h(
        "div",
        { class: "line-body", id: bodyId },
        h("div", { class: "line-head" }, this.position, skuField, this.lockBadge, this.facts, discuss("desktop"), this.lock),
        h(
          "div",
          { class: "line-grid" },
          qtyField,
          discountField,
          h("div", { class: "field field-out" }, h("span", { class: "label", id: netLabel }, "Net price"), this.net, this.per),
          h("div", { class: "field field-out" }, h("span", { class: "label", id: totalLabel }, "Line total"), this.total, this.firstYear),
        ),
        this.violations,
        h("div", { class: "line-foot" }, noteField, manage ? h("div", { class: "line-actions" }, this.up, this.down, remove) : null),
      ),
    );
    // The qty and discount inputs name the problems of the line to a screen reader.
    for (const field of ["qty", "discountPct"] as const) this.inputs[field].setAttribute("aria-describedby", this.violations.id);

    const spec = (field: LineField, parse: (raw: string) => string | number | undefined | Invalid) => ({
      parse,
      format: (v: string | number | undefined) => (v === undefined ? "" : String(v)),
      read: () => {
        const d = this.current();
        return d ? d[field] : undefined;
      },
      write: (v: string | number | typeof CLEAR) => {
        if (v !== CLEAR) setLineField(this.host.lines, this.id, field, v);
      },
      mayWrite: () => this.mayWrite(field),
    });
    const delay = host.delayMs;
    this.bindings = {
      sku: new FieldBinding(this.inputs.sku, spec("sku", (raw) => parseSku(raw, host.products)), delay),
      qty: new FieldBinding(this.inputs.qty, spec("qty", parseQty), delay),
      discountPct: new FieldBinding(this.inputs.discountPct, spec("discountPct", parseDiscount), delay),
      note: new FieldBinding(this.inputs.note, spec("note", (raw) => raw), delay),
    };
    // A refused value is explained right under its control.
    skuField.append(this.bindings.sku.message);
    qtyField.append(this.bindings.qty.message);
    discountField.append(this.bindings.discountPct.message);
    noteField.append(this.bindings.note.message);
    for (const field of ["sku", "qty", "discountPct", "note"] as const) this.bindings[field].message.dataset.testid = `line-${field === "discountPct" ? "discount" : field}-problem`;

    this.facts.addEventListener("click", () => {
      const sku = this.current()?.sku.trim();
      if (sku) this.host.openFacts(sku, this.facts);
    });
    this.lock?.addEventListener("click", () => {
      const d = this.current();
      if (d && canManageLines(this.host.access)) setLocked(this.host.lines, this.id, !d.locked);
    });
    this.up?.addEventListener("click", () => this.move(-1));
    this.down?.addEventListener("click", () => this.move(1));
    remove?.addEventListener("click", () => {
      if (!canManageLines(this.host.access)) return;
      const d = this.current();
      const next = (this.el.nextElementSibling ?? this.el.previousElementSibling) as HTMLElement | null;
      if (removeLine(this.host.lines, this.id)) {
        this.host.notify(`Removed line ${d?.sku || ""}`.trim() + ".");
        (next?.querySelector<HTMLElement>("[data-testid=line-remove]") ?? null)?.focus();
      }
    });
  }

  /** The line's values as last rendered. */
  get values(): LineData | null {
    return this.data;
  }

  /** Whether the row's controls are shown (on phones; wider screens always show them). */
  get open(): boolean {
    return this.el.classList.contains("is-open");
  }

  setOpen(open: boolean): void {
    this.el.classList.toggle("is-open", open);
    this.summary.expanded = open;
  }

  /** Does the line's SKU or product name contain every word of `query` (any case)? */
  matches(words: readonly string[], nameOf: (sku: string) => string | undefined): boolean {
    if (!words.length) return true;
    const sku = this.data?.sku ?? "";
    const text = `${sku} ${this.view?.name || nameOf(sku) || ""}`.toLowerCase();
    return words.every((word) => text.includes(word));
  }

  private current(): LineData | undefined {
    const map = getLine(this.host.lines, this.id);
    return map ? readLine(map) : undefined;
  }

  private mayWrite(field: LineField): boolean {
    const d = this.current();
    if (!d) return false;
    if (canEditLineField(this.host.access, d.locked, field)) return true;
    this.host.notify(d.locked ? `Line ${d.sku} was locked by your account team; your change was not saved.` : "You may not change this field.");
    this.bindings[field].refresh();
    return false;
  }

  private move(delta: -1 | 1): void {
    if (!canManageLines(this.host.access)) return;
    if (moveLine(this.host.lines, this.id, delta)) {
      // Keep the keyboard where it was; at the top or bottom the other arrow is the one left.
      const preferred = delta < 0 ? this.up : this.down;
      const other = delta < 0 ? this.down : this.up;
      (preferred && !preferred.disabled ? preferred : other)?.focus();
    }
  }

  update(data: LineData, index: number, count: number): void {
    const was = this.data;
    this.data = data;
    const rights = lineRights(this.host.access, data.locked);
    for (const field of ["sku", "qty", "discountPct", "note"] as const) {
      const binding = this.bindings[field];
      if (binding.hasUnsavedChange() && !rights[field] && was && !was.locked && data.locked) {
        this.host.notify(`Line ${data.sku} was just locked by your account team.`);
      }
      binding.setWritable(rights[field]);
      binding.refresh();
    }
    this.inputs.note.placeholder = rights.note ? "Add a note" : "";
    // An empty note nobody here may write is noise: hide it (it shows once someone writes one).
    this.el.classList.toggle("no-note", !rights.note && !data.note);
    this.el.classList.toggle("is-locked", data.locked);
    this.position.textContent = String(index + 1);
    this.lockBadge.hidden = !data.locked || this.lock !== null;
    this.facts.disabled = !data.sku.trim();
    if (this.lock) {
      this.lock.setAttribute("aria-pressed", String(data.locked));
      this.lock.title = data.locked ? "Locked for the customer. Click to unlock" : "Lock this line for the customer";
      this.lock.replaceChildren(icon(data.locked ? "lock" : "unlock", 16), h("span", { class: "lock-text" }, data.locked ? "Locked" : "Lock"));
    }
    if (this.up) this.up.disabled = index === 0;
    if (this.down) this.down.disabled = index === count - 1;
    this.label(index);
    this.renderSummary();
  }

  private label(index = Number(this.position.textContent) - 1): void {
    const d = this.data;
    if (!d) return;
    const problems = this.problems ? `, ${this.problems} ${this.problems === 1 ? "problem" : "problems"}` : "";
    this.el.setAttribute("aria-label", `Line ${index + 1}: ${d.sku || "no SKU"}${d.locked ? ", locked" : ""}${problems}`);
  }

  /** Mark the quantity and discount the customer proposed: the accepted value struck through, by whom. */
  markProposals(proposals: Proposal[]): void {
    for (const field of ["qty", "discountPct"] as const) {
      const box = this.proposedFields[field];
      const p = proposals.find((item) => item.subject.field === field);
      box.classList.toggle("is-proposed", Boolean(p));
      let note = box.querySelector<HTMLElement>(".proposed-note");
      if (!p) {
        note?.remove();
        continue;
      }
      if (!note) {
        note = h("small", { class: "proposed-note", "data-testid": "line-proposed" });
        box.append(note);
      }
      mount(note, "Proposed by ", p.by.name, ", was ", h("s", {}, valueText(p, p.from)));
    }
  }

  renderComputed(view: LineView): void {
    this.view = view;
    this.name.textContent = view.name;
    this.unpriced.hidden = view.priced;
    this.product.hidden = view.priced && !view.name;
    this.el.classList.toggle("is-unpriced", !view.priced);
    this.el.classList.toggle("is-stale", view.stale);
    this.net.textContent = view.net;
    this.per.textContent = view.per;
    this.per.hidden = !view.per;
    this.total.textContent = view.total;
    this.firstYear.textContent = view.firstYear ? `First year ${view.firstYear}` : "";
    this.firstYear.hidden = !view.firstYear;
    const shown = Array.from(this.violations.children, (li) => li.textContent);
    if (shown.length !== view.violations.length || shown.some((t, i) => t !== view.violations[i])) {
      this.violations.replaceChildren(
        ...view.violations.map((message) => h("li", { class: "violation", "data-testid": "line-violation" }, icon("alert", 16), h("span", {}, message))),
      );
    }
    this.violations.hidden = view.violations.length === 0;
    this.el.classList.toggle("has-violation", view.violations.length > 0);
    this.problems = view.violations.length;
    this.label();
    this.renderSummary();
  }

  private renderSummary(): void {
    if (this.data && this.view) this.summary.render(this.data, this.view);
  }

  destroy(): void {
    for (const binding of Object.values(this.bindings)) binding.destroy();
  }
}
