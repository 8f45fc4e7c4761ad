/**
 * The deal's header fields, bound to the shared doc's `deal` map. The rep edits all of them; a
 * customer only the fields the rep opened to them (room.customer_deal_fields); others read them.
 *
 * The currency offers what the room's price book prices (the server's quote lists them in
 * `computed.quote.currencies`, live across a move to a newer book); a value that cannot be stored is
 * refused next to its field.
 */
import type * as Y from "yjs";
import { h, icon, uid } from "../lib/dom";
import { readCurrencies } from "./computed";
import { CLEAR, FieldBinding, Invalid, invalid, parseWhole, type ValueSpec } from "./inputs";
import { LOCAL_ORIGIN } from "./lines";
import { DEAL_KEYS, DEAL_LABELS, canEditDealField, type Access, type DealKey } from "./permissions";

type DealValue = string | number;

interface FieldDef {
  label: string;
  kind: "text" | "number" | "date" | "select";
  options?: { value: string; label: string }[];
  hint?: string;
  parse(raw: string): DealValue | undefined | typeof CLEAR | Invalid;
}

/** Offered until the server's quote says which currencies the room's price book prices. */
const CURRENCIES = ["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "SGD"];

export const DEAL_FIELDS: Record<DealKey, FieldDef> = {
  title: { label: DEAL_LABELS.title, kind: "text", parse: (raw) => raw.trim() || invalid("A deal needs a title.") },
  customerName: { label: DEAL_LABELS.customerName, kind: "text", parse: (raw) => raw.trim() || invalid("Enter the customer's name.") },
  currency: {
    label: DEAL_LABELS.currency,
    kind: "select",
    options: CURRENCIES.map((c) => ({ value: c, label: c })),
    parse: (raw) => (/^[A-Z]{3}$/.test(raw) ? raw : invalid("Pick a currency.")),
  },
  termMonths: {
    label: DEAL_LABELS.termMonths,
    kind: "number",
    parse: (raw) => parseWhole(raw, 1, 120, "a term in months"),
  },
  startDate: {
    label: DEAL_LABELS.startDate,
    kind: "date",
    parse: (raw) => (raw === "" ? CLEAR : /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : invalid("Enter a date.")),
  },
  paymentTermsDays: {
    label: DEAL_LABELS.paymentTermsDays,
    kind: "number",
    hint: "Days from invoice to payment.",
    parse: (raw) => parseWhole(raw, 0, 365, "a number of days"),
  },
  billing: {
    label: DEAL_LABELS.billing,
    kind: "select",
    options: [
      { value: "annual", label: "Annual" },
      { value: "quarterly", label: "Quarterly" },
      { value: "monthly", label: "Monthly" },
      { value: "upfront", label: "Upfront" },
    ],
    parse: (raw) => raw || undefined,
  },
};

export interface DealOptions {
  access: Access;
  delayMs?: number;
  /** Opens a thread about a field ("Discuss" beside its label; thread-sheet.ts); absent: no button. */
  discuss?(field: DealKey): void;
}

export class DealFields {
  readonly el: HTMLElement;
  private readonly bindings = new Map<DealKey, FieldBinding<DealValue>>();
  /** The server's `computed` of the same doc: which currencies the price book prices. */
  private readonly computed: Y.Map<unknown> | null;
  private currencies: readonly string[] | null = null;
  private currencySelect: HTMLSelectElement | null = null;
  private readonly observer = () => {
    this.offerCurrencies();
    for (const binding of this.bindings.values()) binding.refresh();
  };
  private readonly computedObserver = () => this.offerCurrencies();

  constructor(
    private readonly deal: Y.Map<unknown>,
    private readonly opts: DealOptions,
  ) {
    this.computed = deal.doc ? deal.doc.getMap<unknown>("computed") : null;
    const editableCount = DEAL_KEYS.filter((k) => canEditDealField(opts.access, k)).length;
    this.el = h(
      "div",
      { class: "deal" },
      editableCount === 0
        ? h("p", { class: "readonly-banner" }, icon("eye", 16), "The deal details are set by your account team.")
        : opts.access.role === "customer"
          ? h("p", { class: "hint readonly-legend" }, icon("lock", 12), "Fields with a lock are set by your account team.")
          : null,
      h("div", { class: "deal-grid" }, DEAL_KEYS.map((key) => this.field(key))),
    );
    deal.observe(this.observer);
    this.computed?.observeDeep(this.computedObserver);
    this.offerCurrencies();
  }

  /**
   * The currency choices: those the room's price book prices, once the server's quote names them. A
   * stored currency the book does not price stays visible (marked) so the select does not lie.
   */
  private offerCurrencies(): void {
    const select = this.currencySelect;
    const offered = this.computed ? readCurrencies(this.computed) : [];
    this.currencies = offered.length ? offered : null;
    if (!select) return;
    const stored = this.deal.get("currency");
    const choices = this.currencies ?? CURRENCIES;
    const options = choices.map((c) => ({ value: c, label: c }));
    if (typeof stored === "string" && stored && !choices.includes(stored)) {
      options.push({ value: stored, label: this.currencies ? `${stored} (not in the price book)` : stored });
    }
    const now = Array.from(select.options, (o) => `${o.value}=${o.textContent}`).join("|");
    if (now === options.map((o) => `${o.value}=${o.label}`).join("|")) return;
    const value = select.value;
    select.replaceChildren(...options.map((o) => h("option", { value: o.value, disabled: o.label !== o.value }, o.label)));
    select.value = value;
  }

  binding(key: DealKey): FieldBinding<DealValue> | undefined {
    return this.bindings.get(key);
  }

  private field(key: DealKey): HTMLElement {
    const def = DEAL_FIELDS[key];
    const id = uid("deal-" + key);
    const editable = canEditDealField(this.opts.access, key);
    let control: HTMLInputElement | HTMLSelectElement;
    if (def.kind === "select" && editable) {
      control = h("select", { id, class: "input select", name: key, "data-testid": `deal-${key}` }, def.options!.map((o) => h("option", { value: o.value }, o.label)));
    } else {
      control = h("input", {
        id,
        class: "input",
        name: key,
        type: editable && def.kind !== "select" ? def.kind : "text",
        inputmode: def.kind === "number" ? "numeric" : undefined,
        autocomplete: "off",
        "data-testid": `deal-${key}`,
      });
    }
    const spec: ValueSpec<DealValue> = {
      parse: key === "currency" ? (raw) => this.parseCurrency(raw) : def.parse,
      // A read-only choice shows its label ("Annual"), an editable one its option value.
      format: (v) => (v === undefined ? "" : (!editable && def.options?.find((o) => o.value === v)?.label) || String(v)),
      read: () => {
        const v = this.deal.get(key);
        return typeof v === "string" || typeof v === "number" ? v : undefined;
      },
      write: (v) => {
        const doc = this.deal.doc;
        const run = () => (v === CLEAR ? this.deal.delete(key) : this.deal.set(key, v));
        if (doc) doc.transact(run, LOCAL_ORIGIN);
        else run();
      },
      mayWrite: () => canEditDealField(this.opts.access, key),
    };
    const binding = new FieldBinding(control, spec, this.opts.delayMs);
    binding.setWritable(editable);
    binding.message.dataset.testid = `deal-${key}-problem`;
    this.bindings.set(key, binding);
    if (key === "currency" && control instanceof HTMLSelectElement) this.currencySelect = control;
    if (!editable && control instanceof HTMLInputElement) control.placeholder = "—";
    const hintId = def.hint && editable ? id + "-hint" : undefined;
    if (hintId) control.setAttribute("aria-describedby", hintId);
    const label = h(
      "label",
      { for: id, class: "label" },
      def.label,
      editable ? null : h("span", { class: "readonly-tag", title: "Read only" }, icon("lock", 12), h("span", { class: "visually-hidden" }, "(read only)")),
    );
    return h(
      "div",
      { class: `field${editable ? "" : " field-readonly"}`, "data-field": key },
      this.opts.discuss ? h("div", { class: "field-head" }, label, this.discussButton(key)) : label,
      control,
      hintId ? h("p", { id: hintId, class: "hint" }, def.hint) : null,
      binding.message,
    );
  }

  /** "Discuss": one tap to a new thread about this field, read-only or not. */
  private discussButton(key: DealKey): HTMLButtonElement {
    const b = h(
      "button",
      { type: "button", class: "btn btn-small btn-ghost discuss-btn field-discuss", "data-testid": `deal-${key}-discuss`, "aria-label": `Discuss ${DEAL_FIELDS[key].label}`, title: `Discuss ${DEAL_FIELDS[key].label}` },
      icon("chat", 16),
      h("span", { class: "field-discuss-text" }, "Discuss"),
    );
    b.addEventListener("click", () => this.opts.discuss?.(key));
    return b;
  }

  private parseCurrency(raw: string): DealValue | Invalid {
    const parsed = DEAL_FIELDS.currency.parse(raw);
    if (typeof parsed !== "string") return parsed instanceof Invalid ? parsed : invalid("Pick a currency.");
    if (this.currencies && !this.currencies.includes(parsed)) {
      return invalid(`The price book has no prices in ${parsed}; pick ${this.currencies.join(", ")}.`);
    }
    return parsed;
  }

  destroy(): void {
    this.deal.unobserve(this.observer);
    this.computed?.unobserveDeep(this.computedObserver);
    for (const binding of this.bindings.values()) binding.destroy();
    this.bindings.clear();
  }
}
