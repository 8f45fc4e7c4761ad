/**
 * `/admin/templates` (own chunk): templates for new rooms, one per deal type — the clauses a room starts with
 * (published clauses of the library, in order) and its first lines (products of the price book with quantity
 * and discount). The server checks each save and names the field of every problem; a stale save is refused.
 */
import "./admin.css";
import { adminApi, type Template, type TemplateInput } from "../lib/admin-api";
import { ApiError, api, isAdmin, type Me, type ProductSummary } from "../lib/api";
import { clauseApi, type Clause } from "../lib/clauses";
import { h, icon, mount, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { busy, pageNotice } from "../pages/forms";
import { appBar } from "../pages/rooms";
import { fieldProblem } from "./model";
import { adminNav, adminsOnly, auditTrail } from "./parts";

const EMPTY: TemplateInput = { name: "", deal_type: "", description: "", clauses: [], lines: [] };

export function templatesPage(root: HTMLElement, me: Me): () => void {
  document.title = "Room templates · Dealroom";
  if (!isAdmin(me)) {
    mount(root, appBar(me, "people"), adminsOnly("room templates"));
    return () => undefined;
  }
  let alive = true;
  let clauses: Clause[] = [];
  let products: ProductSummary[] = [];
  const notice = pageNotice("templates-notice", 8_000, "success");
  const list = h("div", { class: "product-list", "data-testid": "template-list" });
  const history = auditTrail("template.", "History of changes");

  function refused(e: unknown, fallback: string): string | null {
    if (e instanceof ApiError && e.status === 401) {
      navigate(signInUrl(), { replace: true });
      return null;
    }
    return e instanceof ApiError ? e.detail : fallback;
  }

  function editor(template: Template | null): HTMLElement {
    let value: TemplateInput = template ? { name: template.name, deal_type: template.deal_type, description: template.description, clauses: [...template.clauses], lines: template.lines.map((l) => ({ ...l })) } : { ...EMPTY, clauses: [], lines: [] };
    const problems = new Map<string, HTMLElement>();
    const problem = (key: string) => {
      const el = h("p", { class: "tpl-problem", "data-problem": key, hidden: true });
      problems.set(key, el);
      return el;
    };
    const text = (key: "name" | "deal_type" | "description", label: string) => {
      const id = uid("tpl");
      const input = h("input", { id, class: "input", "data-testid": `template-${key}` });
      input.value = value[key];
      input.addEventListener("input", () => (value = { ...value, [key]: input.value }));
      return h("div", { class: "field" }, h("label", { for: id, class: "label" }, label), input, problem(key));
    };
    const picks = h(
      "fieldset",
      { class: "clause-picks" },
      h("legend", { class: "label" }, "Clauses (the terms get them in the order you tick them)"),
      clauses
        .filter((c) => c.latest_published !== null)
        .map((c) => {
          const box = h("input", { type: "checkbox", value: c.id, "data-testid": "template-clause" });
          box.checked = value.clauses.includes(c.id);
          box.addEventListener("change", () => {
            value = { ...value, clauses: box.checked ? [...value.clauses, c.id] : value.clauses.filter((x) => x !== c.id) };
          });
          return h("label", { class: "clause-pick" }, box, c.title);
        }),
    );
    const lines = h("div", { class: "template-lines" });
    const drawLines = () => {
      lines.replaceChildren(
        ...value.lines.map((line, i) => {
          const skuId = uid("sku");
          const sku = h("select", { id: skuId, class: "input", "data-testid": "template-line-sku" });
          for (const p of products) sku.append(h("option", { value: p.sku }, `${p.sku} · ${p.name}`));
          if (!products.some((p) => p.sku === line.sku)) sku.append(h("option", { value: line.sku }, `${line.sku} (not sold)`));
          sku.value = line.sku;
          const qtyId = uid("qty");
          const qty = h("input", { id: qtyId, class: "input input-num", type: "number", min: 1, inputmode: "numeric", value: line.qty, "data-testid": "template-line-qty" });
          const discId = uid("disc");
          const disc = h("input", { id: discId, class: "input input-num", type: "number", min: 0, max: 100, step: "0.01", inputmode: "decimal", value: line.discountPct, "data-testid": "template-line-discount" });
          const set = () => {
            value = { ...value, lines: value.lines.map((l, j) => (j === i ? { sku: sku.value, qty: Number(qty.value), discountPct: Number(disc.value || 0) } : l)) };
          };
          sku.addEventListener("change", set);
          qty.addEventListener("input", set);
          disc.addEventListener("input", set);
          const remove = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Remove line ${i + 1}` }, icon("trash", 16));
          remove.addEventListener("click", () => {
            value = { ...value, lines: value.lines.filter((_, j) => j !== i) };
            drawLines();
          });
          return h(
            "div",
            {},
            h(
              "div",
              { class: "template-line" },
              h("div", { class: "money-field" }, h("label", { for: skuId, class: "label" }, "Product"), sku),
              h("div", { class: "money-field" }, h("label", { for: qtyId, class: "label" }, "Qty"), qty),
              h("div", { class: "money-field" }, h("label", { for: discId, class: "label" }, "Discount %"), disc),
              remove,
            ),
            problem(`lines.${i}`),
          );
        }),
      );
    };
    drawLines();
    const addLine = h("button", { type: "button", class: "btn btn-secondary btn-small", "data-testid": "template-add-line" }, icon("plus", 16), "Add line");
    addLine.addEventListener("click", () => {
      value = { ...value, lines: [...value.lines, { sku: products[0]?.sku ?? "", qty: 1, discountPct: 0 }] };
      drawLines();
    });
    const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "template-save" }, template ? "Save template" : "Add template");
    const remove = template ? h("button", { type: "button", class: "btn btn-ghost product-remove", "data-testid": "template-delete" }, icon("trash", 16), "Delete") : null;
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const form = h(
      "form",
      { class: "product-body", novalidate: true },
      h("div", { class: "product-texts" }, text("name", "Name"), text("deal_type", "Deal type"), text("description", "Description")),
      picks,
      problem("clauses"),
      h("fieldset", { class: "tiers" }, h("legend", { class: "label" }, "Lines"), lines, problem("lines"), addLine),
      error,
      h("div", { class: "review-actions" }, save, remove),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      for (const el of problems.values()) el.hidden = true;
      error.hidden = true;
      busy(save, true, "Saving…");
      try {
        if (template) await adminApi.changeTemplate(template.id, { ...value, revision: template.revision });
        else await adminApi.createTemplate(value);
        notice.say(`Saved the template “${value.name}”.`);
        await load();
        void history.reload();
      } catch (e) {
        busy(save, false, "");
        const fields = e instanceof ApiError ? ((e.data as { fields?: Record<string, string> } | null)?.fields ?? {}) : {};
        for (const [key, el] of problems) {
          const message = fieldProblem(fields, key);
          el.textContent = message ?? "";
          el.hidden = message === null;
        }
        const message = refused(e, "The template could not be saved.");
        if (message !== null) {
          error.textContent = message;
          error.hidden = false;
        }
      }
    });
    remove?.addEventListener("click", async () => {
      if (!template) return;
      try {
        await adminApi.deleteTemplate(template.id);
        notice.say(`Deleted the template “${template.name}”.`);
        await load();
        void history.reload();
      } catch (e) {
        const message = refused(e, "The template could not be deleted.");
        if (message !== null) notice.say(message, "error");
      }
    });
    return form;
  }

  function card(template: Template | null): HTMLElement {
    return h(
      "details",
      { class: "card product-edit", "data-testid": template ? "template" : "template-new", "data-name": template?.name ?? "" },
      h(
        "summary",
        { class: "product-summary" },
        template ? h("span", { class: "product-title" }, template.name) : h("span", { class: "product-title" }, icon("plus", 16), " New template"),
        template ? h("span", { class: "product-sku" }, template.deal_type) : null,
        template ? h("span", { class: "muted" }, `${template.clauses.length} clauses · ${template.lines.length} lines`) : null,
      ),
      editor(template),
    );
  }

  async function load(): Promise<void> {
    try {
      const [{ templates }, library, book] = await Promise.all([adminApi.templates(), clauseApi.list(), api.products().catch(() => ({ products: [] as ProductSummary[] }))]);
      if (!alive) return;
      clauses = library.clauses;
      products = book.products;
      list.replaceChildren(...templates.map(card), card(null));
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) return mount(root, appBar(me, "people"), adminsOnly("room templates"));
      const message = refused(e, "The templates could not be loaded.");
      if (message !== null) notice.say(message, "error");
    }
  }

  const main = h(
    "main",
    { class: "page page-admin" },
    adminNav("templates"),
    h("div", { class: "page-head" }, h("div", {}, h("h1", { class: "page-title" }, "Room templates"), h("p", { class: "page-lead" }, "What a new room starts with, per deal type: its clauses and its first lines."))),
    notice.el,
    h("div", { class: "admin-columns" }, h("div", { class: "admin-main" }, list), h("div", { class: "admin-side" }, history.el)),
  );
  mount(root, appBar(me, "people"), main);
  void load();
  return () => {
    alive = false;
    notice.dispose();
  };
}
