/**
 * `/admin/pricebook` (own chunk): the price book editor for admins. Each product is a card (closed on phones
 * until opened) with its name, prices, costs and floors per currency, volume tiers and facts. Every edit is
 * checked by the server as a draft (`POST /api/pricebook/check`): its problems show next to the product and the
 * field, and the diff against the newest version shows before saving. Saving makes a new version (refused when
 * someone saved another meanwhile); CSV exports and imports the list for spreadsheets.
 */
import "./admin.css";
import { adminApi, type Book, type BookDiff, type BookProduct } from "../lib/admin-api";
import { ApiError, isAdmin, type Me } from "../lib/api";
import { debounce, h, icon, mount, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { appBar } from "../pages/rooms";
import { busy, pageNotice } from "../pages/forms";
import { adminNav, adminsOnly, auditTrail, diffView } from "./parts";
import { type MoneyField, problemsByField, productProblems, withMoney, withNewProduct, withoutProduct } from "./model";

const MONEY: { field: MoneyField; label: string }[] = [
  { field: "prices", label: "List price" },
  { field: "cost", label: "Cost" },
  { field: "floor", label: "Floor" },
];

export function pricebookPage(root: HTMLElement, me: Me): () => void {
  document.title = "Price book · Dealroom";
  if (!isAdmin(me)) {
    mount(root, appBar(me, "people"), adminsOnly("the price book"));
    return () => undefined;
  }
  let alive = true;
  let base: number | null = null;
  let draft: Book = { currencies: [], products: [] };
  let lastDiff: BookDiff | null = null;
  let lastErrors: string[] = [];

  const notice = pageNotice("pricebook-notice", 10_000, "success");
  const lead = h("p", { class: "page-lead", "data-testid": "pricebook-version" }, "Loading…");
  const list = h("div", { class: "product-list", "data-testid": "product-list" });
  const review = h("section", { class: "card review-card", "aria-live": "polite", "data-testid": "pricebook-review" });
  const bookProblems = h("ul", { class: "form-error problem-list", hidden: true, "data-testid": "book-problems" });
  const save = h("button", { type: "button", class: "btn btn-primary", "data-testid": "pricebook-save", disabled: true }, "Save new version");
  const filterId = uid("filter");
  const filter = h("input", { id: filterId, class: "input input-search", type: "search", placeholder: "Find a product by SKU or name", "data-testid": "product-filter" });
  const history = auditTrail("pricebook.", "Saved versions");
  const exportLink = h("a", { class: "btn btn-secondary", href: "/api/pricebook?format=csv", download: "pricebook.csv", "data-testid": "pricebook-export" }, icon("download", 16), "Export CSV");
  const importInput = h("input", { type: "file", accept: ".csv,text/csv", class: "visually-hidden", id: uid("csv"), "data-testid": "pricebook-import" });
  const importLabel = h("label", { for: importInput.id, class: "btn btn-secondary" }, "Import CSV");

  function refused(e: unknown, fallback: string): string | null {
    if (e instanceof ApiError && e.status === 401) {
      navigate(signInUrl(), { replace: true });
      return null;
    }
    return e instanceof ApiError ? e.detail : fallback;
  }

  const check = debounce(() => void runCheck(), 400);

  async function runCheck(): Promise<void> {
    try {
      const result = await adminApi.checkBook(draft);
      if (!alive) return;
      lastDiff = result.diff;
      lastErrors = result.errors;
      showReview();
    } catch (e) {
      const message = refused(e, "The draft could not be checked.");
      if (message !== null) notice.say(message, "error");
    }
  }

  function showReview(): void {
    const problems = problemsByField(lastErrors);
    for (const card of list.querySelectorAll<HTMLElement>("[data-index]")) {
      const index = Number(card.dataset.index);
      const mine = productProblems(problems, index);
      const box = card.querySelector<HTMLElement>(".product-problems")!;
      box.replaceChildren(...mine.map((m) => h("li", {}, m)));
      box.hidden = mine.length === 0;
      card.classList.toggle("has-problems", mine.length > 0);
      for (const input of card.querySelectorAll<HTMLInputElement>("[data-key]")) {
        const own = problems.get(`products[${index}].${input.dataset.key}`);
        input.setAttribute("aria-invalid", own ? "true" : "false");
        if (own) input.title = own.join("; ");
        else input.removeAttribute("title");
      }
      const sku = card.dataset.sku ?? "";
      const changed = lastDiff?.changed.some((c) => c.sku === sku) || lastDiff?.added.some((c) => c.sku === sku);
      card.querySelector<HTMLElement>(".product-changed")!.hidden = !changed;
    }
    const general = problems.get("") ?? [];
    bookProblems.replaceChildren(...general.map((m) => h("li", {}, m)));
    bookProblems.hidden = general.length === 0;
    const count = lastErrors.length;
    review.replaceChildren(
      h("h2", { class: "card-title" }, "Changes against version ", String(base ?? "—")),
      lastDiff ? diffView(lastDiff) : h("p", { class: "muted" }, "No changes yet."),
    );
    if (count) review.append(h("p", { class: "form-error", role: "alert", "data-testid": "pricebook-problem-count" }, `${count} problem${count === 1 ? "" : "s"} to fix before saving (shown on the products).`));
    review.append(h("div", { class: "review-actions" }, save));
    save.disabled = !lastDiff || lastDiff.empty || count > 0;
    save.textContent = `Save as version ${(base ?? 0) + 1}`;
  }

  function edit(next: Book): void {
    draft = next;
    check();
  }

  function moneyInput(product: BookProduct, field: MoneyField, currency: string, label: string): HTMLElement {
    const id = uid("money");
    const input = h("input", {
      id,
      class: "input input-num",
      inputmode: "decimal",
      autocomplete: "off",
      "data-key": `${field}.${currency}`,
      "data-testid": `price-${field}-${currency}`,
      value: product[field]?.[currency] ?? "",
    });
    input.addEventListener("input", () => edit(withMoney(draft, product.sku, field, currency, input.value)));
    return h("div", { class: "money-field" }, h("label", { for: id, class: "label" }, `${currency} ${label.toLowerCase()}`), input);
  }

  function update(sku: string, change: (p: BookProduct) => BookProduct): void {
    edit({ ...draft, products: draft.products.map((p) => (p.sku === sku ? change(p) : p)) });
  }

  function textField(product: BookProduct, key: "name" | "description" | "unit", label: string): HTMLElement {
    const id = uid("text");
    const input = h(key === "description" ? "textarea" : "input", { id, class: "input", "data-key": key, "data-testid": `product-${key}` }) as HTMLInputElement;
    input.value = String(product[key] ?? "");
    input.addEventListener("input", () => update(product.sku, (p) => ({ ...p, [key]: input.value })));
    return h("div", { class: "field" }, h("label", { for: id, class: "label" }, label), input);
  }

  function tiersEditor(product: BookProduct): HTMLElement {
    const box = h("fieldset", { class: "tiers" }, h("legend", { class: "label" }, `Volume tiers${product.tier_mode ? ` (${product.tier_mode})` : ""}`));
    const rows = h("div", { class: "tier-rows" });
    const draw = () => {
      const tiers = draft.products.find((p) => p.sku === product.sku)?.tiers ?? [];
      rows.replaceChildren(
        ...tiers.map((tier, i) => {
          const fromId = uid("tier");
          const from = h("input", { id: fromId, class: "input input-num", inputmode: "numeric", "data-key": `tiers`, value: String(tier.from_qty) });
          from.addEventListener("input", () => setTier(i, (t) => ({ ...t, from_qty: from.value.trim() })));
          const prices = draft.currencies.map((c) => {
            const pid = uid("tierp");
            const input = h("input", { id: pid, class: "input input-num", inputmode: "decimal", value: tier.unit_price[c] ?? "" });
            input.addEventListener("input", () => setTier(i, (t) => ({ ...t, unit_price: { ...t.unit_price, [c]: input.value.trim() } })));
            return h("div", { class: "money-field" }, h("label", { for: pid, class: "label" }, `${c} unit`), input);
          });
          const remove = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Remove tier ${i + 1}` }, icon("trash", 16));
          remove.addEventListener("click", () => {
            update(product.sku, (p) => ({ ...p, tiers: (p.tiers ?? []).filter((_, j) => j !== i) }));
            draw();
          });
          return h("div", { class: "tier-row" }, h("div", { class: "money-field" }, h("label", { for: fromId, class: "label" }, "From qty"), from), ...prices, remove);
        }),
      );
    };
    const setTier = (i: number, change: (t: NonNullable<BookProduct["tiers"]>[number]) => NonNullable<BookProduct["tiers"]>[number]) =>
      update(product.sku, (p) => ({ ...p, tiers: (p.tiers ?? []).map((t, j) => (j === i ? change(t) : t)) }));
    const add = h("button", { type: "button", class: "btn btn-secondary btn-small" }, icon("plus", 16), "Add tier");
    add.addEventListener("click", () => {
      update(product.sku, (p) => ({ ...p, tiers: [...(p.tiers ?? []), { from_qty: "", unit_price: { ...p.prices } }] }));
      draw();
    });
    draw();
    box.append(rows, add);
    return box;
  }

  function factsEditor(product: BookProduct): HTMLElement {
    const withId = uid("with");
    const often = h("input", { id: withId, class: "input", "data-key": "facts", value: (product.facts?.often_bought_with ?? []).join(", ") });
    often.addEventListener("input", () =>
      update(product.sku, (p) => ({ ...p, facts: { ...(p.facts ?? {}), often_bought_with: often.value.split(",").map((s) => s.trim()).filter(Boolean) } })),
    );
    const notesId = uid("notes");
    const notes = h("textarea", { id: notesId, class: "input", rows: 2 });
    notes.value = (product.facts?.competitor_notes ?? []).map((n) => `${n.competitor}: ${n.note}`).join("\n");
    notes.addEventListener("input", () =>
      update(product.sku, (p) => ({
        ...p,
        facts: {
          ...(p.facts ?? {}),
          competitor_notes: notes.value
            .split("\n")
            .map((line) => line.split(/:(.*)/s))
            .filter(([c, n]) => c.trim() && (n ?? "").trim())
            .map(([c, n]) => ({ competitor: c.trim(), note: (n ?? "").trim() })),
        },
      })),
    );
    return h(
      "fieldset",
      { class: "facts" },
      h("legend", { class: "label" }, "Facts (internal)"),
      h("div", { class: "field" }, h("label", { for: withId, class: "label" }, "Often bought with (SKUs)"), often),
      h("div", { class: "field" }, h("label", { for: notesId, class: "label" }, "Competitor notes (one “Competitor: note” a line)"), notes),
    );
  }

  function card(product: BookProduct, index: number): HTMLElement {
    const first = draft.currencies[0];
    const remove = h("button", { type: "button", class: "btn btn-ghost btn-small product-remove", "data-testid": "product-remove" }, icon("trash", 16), "Remove product");
    const el = h(
      "details",
      { class: "card product-edit", "data-sku": product.sku, "data-index": index, "data-testid": "product-edit" },
      h(
        "summary",
        { class: "product-summary" },
        h("span", { class: "product-sku" }, product.sku),
        h("span", { class: "product-title" }, product.name),
        first ? h("span", { class: "product-price" }, `${first} ${product.prices[first] ?? "—"}`) : null,
        h("span", { class: "badge product-changed", hidden: true }, "Changed"),
      ),
      h("div", { class: "product-body" },
        h("div", { class: "product-texts" }, textField(product, "name", "Name"), textField(product, "unit", "Unit"), textField(product, "description", "Description")),
        h("div", { class: "money-grid" }, draft.currencies.map((c) => h("div", { class: "money-row", "data-currency": c }, MONEY.map((m) => moneyInput(product, m.field, c, m.label))))),
        tiersEditor(product),
        factsEditor(product),
        h("ul", { class: "form-error problem-list product-problems", role: "alert", hidden: true, "data-testid": "product-problems" }),
        remove,
      ),
    );
    remove.addEventListener("click", () => {
      edit(withoutProduct(draft, product.sku));
      drawList();
    });
    return el;
  }

  function drawList(): void {
    const open = new Set(Array.from(list.querySelectorAll<HTMLDetailsElement>("details[open]")).map((d) => d.dataset.sku));
    list.replaceChildren(...draft.products.map(card));
    for (const d of list.querySelectorAll<HTMLDetailsElement>("details")) if (open.has(d.dataset.sku)) d.open = true;
    applyFilter();
  }

  function applyFilter(): void {
    const q = filter.value.trim().toLowerCase();
    for (const d of list.querySelectorAll<HTMLElement>("[data-sku]")) {
      const text = (d.querySelector(".product-summary")?.textContent ?? "").toLowerCase();
      d.hidden = q !== "" && !text.includes(q);
    }
  }
  filter.addEventListener("input", applyFilter);

  // The book's own name and effective date go with the new version.
  const bookNameId = uid("bookname");
  const bookName = h("input", { id: bookNameId, class: "input", "data-testid": "book-name" });
  const effectiveId = uid("effective");
  const effective = h("input", { id: effectiveId, class: "input", type: "date", "data-testid": "book-effective" });
  bookName.addEventListener("input", () => edit({ ...draft, name: bookName.value }));
  effective.addEventListener("input", () => edit({ ...draft, effective_from: effective.value }));
  const bookFields = h(
    "div",
    { class: "card add-product book-fields" },
    h("div", { class: "product-texts" },
      h("div", { class: "field" }, h("label", { for: bookNameId, class: "label" }, "Name of the price book"), bookName),
      h("div", { class: "field" }, h("label", { for: effectiveId, class: "label" }, "Effective from"), effective),
    ),
  );

  const newSku = h("input", { class: "input", placeholder: "SKU", "aria-label": "New product SKU", "data-testid": "new-product-sku" });
  const newName = h("input", { class: "input", placeholder: "Name", "aria-label": "New product name", "data-testid": "new-product-name" });
  const addProduct = h("form", { class: "card add-product" }, h("h2", { class: "card-title" }, "Add a product"), h("div", { class: "add-product-fields" }, newSku, newName, h("button", { type: "submit", class: "btn btn-secondary" }, icon("plus", 16), "Add")));
  addProduct.addEventListener("submit", (event) => {
    event.preventDefault();
    const sku = newSku.value.trim();
    if (!sku || draft.products.some((p) => p.sku === sku)) return notice.say(sku ? `There is already a product ${sku}.` : "Enter the new product's SKU.", "error");
    edit(withNewProduct(draft, sku, newName.value.trim() || sku));
    newSku.value = newName.value = "";
    drawList();
    list.querySelector<HTMLDetailsElement>(`details[data-sku="${CSS.escape(sku)}"]`)?.setAttribute("open", "");
  });

  importInput.addEventListener("change", async () => {
    const file = importInput.files?.[0];
    importInput.value = "";
    if (!file) return;
    try {
      const result = await adminApi.checkCsv(await file.text());
      if (!alive) return;
      draft = result.book;
      lastDiff = result.diff;
      lastErrors = result.errors;
      drawList();
      showReview();
      notice.say(`Imported ${file.name}: review the changes, then save.`);
    } catch (e) {
      const message = refused(e, "The CSV could not be read.");
      if (message !== null) notice.say(message, "error");
    }
  });

  save.addEventListener("click", async () => {
    check.cancel();
    busy(save, true, "Saving…");
    try {
      const saved = await adminApi.saveBook(draft, base);
      if (!alive) return;
      notice.say(`Saved version ${saved.version} (${saved.products} products).`);
      await load();
      review.replaceChildren(h("h2", { class: "card-title" }, `Saved: version ${saved.version}`), diffView(saved.diff, "pricebook-saved-diff"));
      void history.reload();
    } catch (e) {
      busy(save, false, "");
      if (e instanceof ApiError && e.status === 422) {
        lastErrors = ((e.data as { errors?: string[] } | null)?.errors ?? [e.detail]).map(String);
        showReview();
        return;
      }
      const message = refused(e, "The price book could not be saved.");
      if (message === null) return;
      notice.say(e instanceof ApiError && e.status === 409 ? `${message} Your edits are still here; reload to start from the newest version.` : message, "error");
    }
  });

  async function load(): Promise<void> {
    try {
      const book = await adminApi.book();
      if (!alive) return;
      base = book.version ?? null;
      draft = book;
      lastDiff = null;
      lastErrors = [];
      bookName.value = book.name ?? "";
      effective.value = book.effective_from ?? "";
      lead.textContent = `Version ${base} · ${book.name ?? ""} · ${book.products.length} products in ${book.currencies.join(", ")}`;
      drawList();
      showReview();
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) return mount(root, appBar(me, "people"), adminsOnly("the price book"));
      const message = refused(e, "The price book could not be loaded.");
      if (message !== null) lead.textContent = message;
    }
  }

  const main = h(
    "main",
    { class: "page page-admin" },
    adminNav("pricebook"),
    h("div", { class: "page-head" }, h("div", {}, h("h1", { class: "page-title" }, "Price book"), lead)),
    notice.el,
    h("div", { class: "admin-toolbar" }, h("label", { for: filterId, class: "visually-hidden" }, "Find a product"), filter, exportLink, importLabel, importInput),
    bookProblems,
    h("div", { class: "admin-columns" }, h("div", { class: "admin-main" }, bookFields, list, addProduct), h("div", { class: "admin-side" }, review, history.el)),
  );
  mount(root, appBar(me, "people"), main);
  void load();
  return () => {
    alive = false;
    check.cancel();
    notice.dispose();
  };
}
