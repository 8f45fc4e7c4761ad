/**
 * `/plan` (own chunk): the incentive plan's quotas (per rep, per fiscal quarter) and attainment tiers as a
 * form for admins, saved with `PUT /api/incentives/plan`; the server's validation errors are shown on the
 * row they concern. The plan's other layers (rates, SPIFs, timing, cap) are kept as they are.
 */
import "./plan.css";
import { ApiError, isAdmin, request, type Me } from "../lib/api";
import { h, mount, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { busy, pageNotice } from "./forms";
import { formOf, placeErrors, planOf, type PlanForm } from "./plan-form";
import { adminNav, auditTrail } from "../admin/parts";
import { appBar } from "./rooms";

function input(label: string, value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}): HTMLElement {
  const id = uid("plan");
  const el = h("input", { id, class: "input", value, ...attrs }) as HTMLInputElement;
  el.value = value;
  el.addEventListener("input", () => onInput(el.value));
  return h("div", { class: "field" }, h("label", { for: id, class: "label" }, label), el);
}

export function planPage(root: HTMLElement, me: Me): () => void {
  document.title = "Incentive plan · Dealroom";
  const main = h("main", { class: "page page-plan" }, h("h1", { class: "page-title" }, "Incentive plan"));
  mount(root, appBar(me, "plan"), main);
  if (!isAdmin(me)) {
    main.append(h("p", { class: "notice" }, "Only admins change the incentive plan."));
    return () => undefined;
  }
  main.append(adminNav("plan"));
  const history = auditTrail("plan.", "Saved versions");
  let alive = true;
  let stored: Record<string, unknown> = {};
  let form: PlanForm = { quotas: [], tiers: [] };
  let errors: ReturnType<typeof placeErrors> = [];
  const notice = pageNotice("plan-notice", 8000, "success");
  const quotas = h("div", { class: "plan-rows", "data-testid": "quota-rows" });
  const tiers = h("div", { class: "plan-rows", "data-testid": "tier-rows" });
  const general = h("ul", { class: "form-error plan-general", role: "alert", hidden: true, "data-testid": "plan-errors" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "plan-save" }, "Save the plan") as HTMLButtonElement;

  function rowErrors(section: "quotas" | "tiers", index: number): HTMLElement | null {
    const mine = errors.filter((e) => e.section === section && e.row === index);
    return mine.length ? h("p", { class: "form-error", role: "alert", "data-testid": "row-error" }, mine.map((e) => e.message).join("; ")) : null;
  }

  function render(): void {
    quotas.replaceChildren(
      ...form.quotas.map((row, i) =>
        h(
          "div",
          { class: "plan-row card", "data-testid": "quota-row" },
          input("Rep's email", row.email, (v) => (row.email = v), { type: "email", "data-testid": "quota-email" }),
          input("Currency", row.currency, (v) => (row.currency = v), { maxlength: "3", "data-testid": "quota-currency" }),
          input("Quarterly quota", row.quarterly, (v) => (row.quarterly = v), { inputmode: "decimal", "data-testid": "quota-amount" }),
          h("button", { type: "button", class: "btn btn-ghost", onclick: () => { form.quotas.splice(i, 1); render(); } }, "Remove"),
          rowErrors("quotas", i),
        ),
      ),
    );
    tiers.replaceChildren(
      ...form.tiers.map((row, i) =>
        h(
          "div",
          { class: "plan-row card", "data-testid": "tier-row" },
          input("From % of quota", row.from_pct, (v) => (row.from_pct = v), { inputmode: "decimal", "data-testid": "tier-from" }),
          input("Multiplier", row.multiplier, (v) => (row.multiplier = v), { inputmode: "decimal", "data-testid": "tier-multiplier" }),
          h("button", { type: "button", class: "btn btn-ghost", onclick: () => { form.tiers.splice(i, 1); render(); } }, "Remove"),
          rowErrors("tiers", i),
        ),
      ),
    );
    const rest = errors.filter((e) => e.section === null);
    general.replaceChildren(...rest.map((e) => h("li", {}, e.message)));
    general.hidden = !rest.length;
  }

  const formEl = h(
    "form",
    { class: "plan-form", novalidate: true },
    notice.el,
    h("section", {}, h("h2", { class: "section-title" }, "Quotas per quarter"), h("p", { class: "hint" }, "Each rep's quota for every fiscal quarter, in one currency."), quotas,
      h("button", { type: "button", class: "btn btn-ghost", "data-testid": "add-quota", onclick: () => { form.quotas.push({ email: "", currency: "USD", quarterly: "", periods: {} }); render(); } }, "Add a quota")),
    h("section", {}, h("h2", { class: "section-title" }, "Attainment tiers"), h("p", { class: "hint" }, "From each threshold on, the rate commission pays the multiplier. The first tier starts at 0 %."), tiers,
      h("button", { type: "button", class: "btn btn-ghost", "data-testid": "add-tier", onclick: () => { form.tiers.push({ from_pct: "", multiplier: "" }); render(); } }, "Add a tier")),
    general,
    h("div", { class: "form-actions" }, save),
  );
  formEl.addEventListener("submit", async (event) => {
    event.preventDefault();
    busy(save, true, "Saving…");
    try {
      const saved = await request<{ version: number }>("PUT", "/api/incentives/plan", planOf(stored, form));
      if (!alive) return;
      stored = planOf(stored, form);
      errors = [];
      render();
      notice.say(`Saved as version ${saved.version}.`, "success");
      void history.reload();
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      const list = e instanceof ApiError ? ((e.data as { errors?: string[] } | null)?.errors ?? [e.detail]) : ["The plan could not be saved. Check your connection."];
      errors = placeErrors(list, form);
      render();
    } finally {
      if (alive) busy(save, false, "");
    }
  });

  request<{ version: number; plan: Record<string, unknown> }>("GET", "/api/incentives/plan").then(
    (data) => {
      if (!alive) return;
      stored = data.plan;
      form = formOf(stored);
      main.append(h("p", { class: "page-lead" }, `${String(stored.name ?? "The plan")}, version ${data.version}.`), formEl, history.el);
      render();
    },
    (e: unknown) => {
      if (alive) main.append(h("p", { class: "notice", "data-tone": "error", role: "alert" }, e instanceof ApiError ? e.detail : "The plan could not be loaded."));
    },
  );
  return () => {
    alive = false;
    notice.dispose();
  };
}
