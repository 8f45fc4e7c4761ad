/**
 * The deal's header fields, bound to the shared doc's `deal` map. The rep edits all of them; a
 * customer only the fields the rep opened to them (room.customer_deal_fields); others read them.
 */
import type * as Y from "yjs";
import { h, icon, uid } from "../lib/dom";
import { CLEAR, FieldBinding, parseNumber, type ValueSpec } from "./inputs";
import { LOCAL_ORIGIN } from "./lines";
import { DEAL_KEYS, canEditDealField, type Access, type DealKey } from "./permissions";

type DealValue = string | number;

interface FieldDef {
  label: string;
  kind: "text" | "number" | "date" | "select";
  options?: { value: string; label: string }[];
  hint?: string;
  parse(raw: string): DealValue | undefined | typeof CLEAR;
}

const CURRENCIES = ["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "SGD"];

export const DEAL_FIELDS: Record<DealKey, FieldDef> = {
  title: { label: "Deal title", kind: "text", parse: (raw) => raw.trim() || undefined },
  customerName: { label: "Customer", kind: "text", parse: (raw) => raw.trim() || undefined },
  currency: {
    label: "Currency",
    kind: "select",
    options: CURRENCIES.map((c) => ({ value: c, label: c })),
    parse: (raw) => (/^[A-Z]{3}$/.test(raw) ? raw : undefined),
  },
  termMonths: {
    label: "Term (months)",
    kind: "number",
    parse: (raw) => parseNumber(raw, { integer: true, min: 1, max: 120 }),
  },
  startDate: {
    label: "Start date",
    kind: "date",
    parse: (raw) => (raw === "" ? CLEAR : /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : undefined),
  },
  paymentTermsDays: {
    label: "Payment terms",
    kind: "number",
    hint: "Days from invoice to payment.",
    parse: (raw) => parseNumber(raw, { integer: true, min: 0, max: 365 }),
  },
  billing: {
    label: "Billing",
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
}

export class DealFields {
  readonly el: HTMLElement;
  private readonly bindings = new Map<DealKey, FieldBinding<DealValue>>();
  private readonly observer = () => {
    for (const binding of this.bindings.values()) binding.refresh();
  };

  constructor(
    private readonly deal: Y.Map<unknown>,
    private readonly opts: DealOptions,
  ) {
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
      parse: def.parse,
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
    this.bindings.set(key, binding);
    if (!editable && control instanceof HTMLInputElement) control.placeholder = "—";
    const hintId = def.hint && editable ? id + "-hint" : undefined;
    if (hintId) control.setAttribute("aria-describedby", hintId);
    return h(
      "div",
      { class: `field${editable ? "" : " field-readonly"}` },
      h(
        "label",
        { for: id, class: "label" },
        def.label,
        editable ? null : h("span", { class: "readonly-tag", title: "Read only" }, icon("lock", 12), h("span", { class: "visually-hidden" }, "(read only)")),
      ),
      control,
      hintId ? h("p", { id: hintId, class: "hint" }, def.hint) : null,
    );
  }

  destroy(): void {
    this.deal.unobserve(this.observer);
    for (const binding of this.bindings.values()) binding.destroy();
    this.bindings.clear();
  }
}
