/**
 * The rep's form for a new line: a SKU (suggested from the price book, named as it is typed) and a
 * quantity. A SKU the price book does not have and a quantity under 1 are refused next to their field,
 * with what was typed kept; nothing is written then.
 */
import { h, icon, uid } from "../lib/dom";
import { describedBy, Invalid, parseQty } from "./inputs";
import { parseSku } from "./line-row";
import { addLine, type Lines } from "./lines";
import { canManageLines, type Access } from "./permissions";
import { priceUnit, type ProductCatalog } from "./products";

export interface AddLineOptions {
  lines: Lines;
  access: Access;
  products?: ProductCatalog;
  /** The id of the SKU suggestions list. */
  suggestions?: string;
}

export function addLineForm(opts: AddLineOptions): HTMLElement {
  const skuId = uid("sku");
  const qtyId = uid("qty");
  const productId = uid("product");
  const sku = h("input", { id: skuId, class: "input", name: "sku", autocomplete: "off", placeholder: "e.g. PLAT-ENT", "data-testid": "new-line-sku", required: true, list: opts.suggestions, "aria-describedby": productId });
  const qty = h("input", { id: qtyId, class: "input input-num", name: "qty", type: "number", inputmode: "numeric", min: 1, step: 1, "data-testid": "new-line-qty" });
  qty.value = "1";
  const product = h("p", { class: "hint add-line-product", id: productId, "data-testid": "new-line-product", "aria-live": "polite" });
  const skuProblem = fieldProblem("new-line-sku-problem");
  const qtyProblem = fieldProblem("new-line-qty-problem");
  const add = h("button", { type: "submit", class: "btn btn-secondary", "data-testid": "add-line" }, icon("plus", 16), "Add line");
  const form = h(
    "form",
    { class: "add-line", novalidate: true, "aria-label": "Add a line item" },
    h("div", { class: "field field-new-sku" }, h("label", { for: skuId, class: "label" }, "SKU"), sku, skuProblem),
    h("div", { class: "field field-qty" }, h("label", { for: qtyId, class: "label" }, "Qty"), qty, qtyProblem),
    h("div", { class: "add-line-action" }, add),
    product,
  );
  // What the typed SKU is, from the price book (when the list could be fetched).
  const describe = () => {
    const catalog = opts.products;
    const code = sku.value.trim();
    const found = code ? catalog?.find(code) : undefined;
    // Once the SKU was refused, the refusal under the field says it (not twice).
    const unknown = !found && !!code && !!catalog?.size && !catalog.startsASku(code) && skuProblem.hidden === true;
    product.textContent = found ? `${found.name} · ${priceUnit(found.unit, found.billing_period)}` : unknown ? "Not in the price book." : "";
    product.classList.toggle("is-warning", unknown);
  };
  const checks = [
    { control: sku, problem: skuProblem, parse: () => parseSku(sku.value, opts.products) },
    { control: qty, problem: qtyProblem, parse: () => parseQty(qty.value) },
  ];
  // A refusal goes as soon as the field is fixed; the typed text is never replaced.
  for (const check of checks) {
    check.control.addEventListener("input", () => {
      if (!check.problem.hidden && !(check.parse() instanceof Invalid)) showProblem(check.control, check.problem, null);
    });
  }
  sku.addEventListener("input", describe);
  const submit = () => {
    let first: HTMLInputElement | null = null;
    for (const check of checks) {
      const parsed = check.parse();
      showProblem(check.control, check.problem, parsed instanceof Invalid ? parsed.message : null);
      if (parsed instanceof Invalid) first ??= check.control;
    }
    describe();
    if (first) {
      first.focus();
      return;
    }
    if (!canManageLines(opts.access)) return;
    addLine(opts.lines, { sku: parseSku(sku.value, opts.products) as string, qty: parseQty(qty.value) as number });
    sku.value = "";
    qty.value = "1";
    describe();
    sku.focus();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // The product list is on its way: check the SKU against it once it is here.
    const catalog = opts.products;
    if (catalog?.pending) void catalog.load().then(submit);
    else submit();
  });
  return form;
}

function fieldProblem(testid: string): HTMLElement {
  return h("p", { class: "field-problem", id: uid("problem"), role: "alert", "data-testid": testid, hidden: true });
}

/** Say why `control`'s value was refused next to it (or, with null, that it is fine now). */
function showProblem(control: HTMLInputElement, problem: HTMLElement, message: string | null): void {
  problem.textContent = message ?? "";
  problem.hidden = message === null;
  if (message === null) control.removeAttribute("aria-invalid");
  else control.setAttribute("aria-invalid", "true");
  describedBy(control, problem.id, message !== null);
}
