/**
 * `/enablement`: the enablement cards (their own chunk). Admins and legal keep them: a new card, edit (refused
 * with the card as it is now when someone saved it since), retire and bring back; with each card, how often
 * rooms showed it and how many found it helpful. Other internal people read the cards; customers are refused
 * by the server.
 */
import "./enablement.css";
import { ApiError, type Me } from "../lib/api";
import { h, icon, mount, uid } from "../lib/dom";
import { enablementApi, type CardUsage, type EnablementCard } from "../lib/enablement-api";
import { navigate, signInUrl } from "../lib/router";
import { kindLabel, paragraphs } from "../room/guidance-view";
import { cardToForm, formToInput, KINDS, STAGES, tagsLine, TRIGGERS, type CardForm } from "./enablement-form";
import { busy } from "./forms";
import { adminNav } from "../admin/parts";
import { appBar } from "./rooms";

function mayKeep(me: Me): boolean {
  return me.role === "admin" || me.role === "legal";
}

export function enablementPage(root: HTMLElement, me: Me): () => void {
  const keep = mayKeep(me);
  let alive = true;
  let cards: EnablementCard[] = [];
  let usage = new Map<number, CardUsage>();
  const status = h("p", { class: "list-status", role: "status", "data-testid": "enablement-status" });
  const list = h("div", { class: "enablement-list", "aria-label": "Cards" });
  const formHost = h("div", { class: "enablement-form-host" });
  const newButton = keep ? h("button", { type: "button", class: "btn btn-primary", "data-testid": "card-new" }, icon("plus"), "New card") : null;
  newButton?.addEventListener("click", () => openForm(null));

  async function load(): Promise<void> {
    list.setAttribute("aria-busy", "true");
    try {
      const [listed, used] = await Promise.all([enablementApi.list(), keep ? enablementApi.usage() : Promise.resolve({ usage: [] as CardUsage[] })]);
      if (!alive) return;
      cards = listed.cards;
      usage = new Map(used.usage.map((u) => [u.card_id, u]));
      render();
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      status.textContent = e instanceof ApiError ? (e.status === 403 ? "Enablement cards are for your company’s people only." : e.detail) : "The cards could not be loaded.";
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  function render(): void {
    mount(list, cards.map(cardEl));
    status.textContent = cards.length ? "" : keep ? "No cards yet. Add the first one." : "No cards yet.";
  }

  function cardEl(card: EnablementCard): HTMLElement {
    const headingId = uid("card-title");
    const used = usage.get(card.id);
    const actions = keep
      ? h(
          "div",
          { class: "enablement-actions" },
          h("button", { type: "button", class: "btn btn-small", "data-testid": "card-edit", onclick: () => openForm(card) }, "Edit"),
          h("button", { type: "button", class: "btn btn-small btn-ghost", "data-testid": card.retired ? "card-restore" : "card-retire", onclick: (e: Event) => void retire(card, !card.retired, e.currentTarget as HTMLButtonElement) }, card.retired ? "Bring back" : "Retire"),
        )
      : null;
    return h(
      "article",
      { class: `card enablement-card${card.retired ? " is-retired" : ""}`, "data-testid": "enablement-card", "data-card-id": card.id, "aria-labelledby": headingId },
      h(
        "header",
        { class: "enablement-card-head" },
        h("span", { class: "guidance-kind" }, kindLabel(card.kind), card.retired ? " · retired" : ""),
        h("h2", { class: "enablement-card-title", id: headingId }, card.title),
        h("p", { class: "enablement-meta" }, card.triggers.length ? `Offered on: ${card.triggers.map((t) => TRIGGERS.find((x) => x.value === t)?.label ?? t).join(", ")}` : "Never offered (no trigger)"),
        tagsLine(card) ? h("p", { class: "enablement-meta" }, tagsLine(card)) : null,
      ),
      h("div", { class: "enablement-body" }, paragraphs(card.body).map((p) => h("p", {}, p))),
      used
        ? h(
            "dl",
            { class: "enablement-usage", "data-testid": "card-usage" },
            h("div", {}, h("dt", {}, "Shown"), h("dd", {}, String(used.shown))),
            h("div", {}, h("dt", {}, "Rooms"), h("dd", {}, String(used.rooms))),
            h("div", {}, h("dt", {}, "Helpful"), h("dd", { "data-testid": "card-helpful-count" }, String(used.helpful))),
          )
        : null,
      actions,
    );
  }

  async function retire(card: EnablementCard, retired: boolean, button: HTMLButtonElement): Promise<void> {
    busy(button, true, retired ? "Retiring…" : "Bringing back…");
    try {
      const saved = await enablementApi.update(card.id, { title: card.title, body: card.body, kind: card.kind, tags: card.tags, triggers: card.triggers, version: card.version, retired });
      replace(saved);
    } catch (e) {
      busy(button, false, "");
      status.textContent = e instanceof ApiError ? e.detail : "Could not reach the server. Try again.";
      if (e instanceof ApiError && e.status === 409) void load();
    }
  }

  function replace(saved: EnablementCard): void {
    const at = cards.findIndex((c) => c.id === saved.id);
    if (at >= 0) cards[at] = saved;
    else cards.unshift(saved);
    render();
  }

  function openForm(card: EnablementCard | null): void {
    let editing = card;
    const form = cardToForm(card);
    const id = (name: string) => `${name}-${card?.id ?? "new"}`;
    const title = h("input", { id: id("title"), class: "input", maxlength: 120, required: true, value: form.title, "data-testid": "card-title" });
    const kind = h("select", { id: id("kind"), class: "input", "data-testid": "card-kind" }, KINDS.map((k) => h("option", { value: k, selected: k === form.kind }, kindLabel(k))));
    const body = h("textarea", { id: id("body"), class: "input textarea", rows: 6, maxlength: 4000, "data-testid": "card-body" });
    body.value = form.body;
    const triggers = TRIGGERS.map((t) => {
      const box = h("input", { type: "checkbox", value: t.value, checked: form.triggers.includes(t.value), "data-testid": `card-trigger-${t.value}` });
      return { box, el: h("label", { class: "check" }, box, h("span", {}, h("strong", {}, t.label), " — ", t.hint)) };
    });
    const stages = STAGES.map((s) => {
      const box = h("input", { type: "checkbox", value: s, checked: form.stages.includes(s) });
      return { box, el: h("label", { class: "check check-inline" }, box, s.replace(/_/g, " ")) };
    });
    const text = (name: string, label: string, value: string, hint: string) => {
      const input = h("input", { id: id(name), class: "input", value, "data-testid": `card-${name}` });
      return { input, el: h("div", { class: "field" }, h("label", { for: id(name), class: "label" }, label), input, h("p", { class: "hint" }, hint)) };
    };
    const products = text("products", "Products", form.products, "SKUs, comma-separated; empty for every product.");
    const competitors = text("competitors", "Competitors", form.competitors, "Names as people write them, comma-separated.");
    const clauses = text("clauses", "Clauses", form.clauses, "Clause ids or categories (e.g. liability).");
    const minSize = text("min", "Smallest deal", form.minSize, "Net total; empty for no limit.");
    const maxSize = text("max", "Largest deal", form.maxSize, "Net total; empty for no limit.");
    const error = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "card-error" });
    const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "card-save" }, card ? "Save card" : "Add card");
    const cancel = h("button", { type: "button", class: "btn btn-ghost", onclick: () => formHost.replaceChildren() }, "Cancel");
    const el = h(
      "form",
      { class: "card enablement-form", "aria-label": card ? `Edit ${card.title}` : "New card", novalidate: true },
      h("h2", { class: "enablement-card-title" }, card ? "Edit card" : "New card"),
      h("div", { class: "field" }, h("label", { for: id("title"), class: "label" }, "Title"), title),
      h("div", { class: "field" }, h("label", { for: id("kind"), class: "label" }, "Kind"), kind),
      h("div", { class: "field" }, h("label", { for: id("body"), class: "label" }, "What it says"), body, h("p", { class: "hint" }, "Plain text; a blank line starts a new paragraph.")),
      h("fieldset", { class: "fieldset" }, h("legend", { class: "label" }, "Offer it when"), triggers.map((t) => t.el)),
      products.el,
      competitors.el,
      clauses.el,
      h("fieldset", { class: "fieldset" }, h("legend", { class: "label" }, "Only at these stages (none: any stage)"), h("div", { class: "check-row" }, stages.map((s) => s.el))),
      h("div", { class: "enablement-sizes" }, minSize.el, maxSize.el),
      error,
      h("div", { class: "enablement-actions" }, cancel, save),
    );
    el.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values: CardForm = {
        title: title.value, body: body.value, kind: kind.value,
        triggers: triggers.filter((t) => t.box.checked).map((t) => t.box.value),
        products: products.input.value, competitors: competitors.input.value, clauses: clauses.input.value,
        stages: stages.filter((s) => s.box.checked).map((s) => s.box.value),
        minSize: minSize.input.value, maxSize: maxSize.input.value,
      };
      const parsed = formToInput(values);
      if ("error" in parsed) {
        error.textContent = parsed.error;
        error.hidden = false;
        return;
      }
      busy(save, true, "Saving…");
      try {
        const saved = editing ? await enablementApi.update(editing.id, { ...parsed.input, version: editing.version }) : await enablementApi.create(parsed.input);
        formHost.replaceChildren();
        replace(saved);
        status.textContent = editing ? "Card saved." : "Card added.";
      } catch (e) {
        busy(save, false, "");
        if (e instanceof ApiError && e.status === 409 && editing) {
          // Someone saved it since: keep what was typed, edit on top of their version.
          const current = (e.data as { card?: EnablementCard } | null)?.card;
          if (current) {
            editing = current;
            replace(current);
          }
          error.textContent = "Someone saved this card while you edited it. Their version is in the list; save again to replace it with yours.";
        } else {
          error.textContent = e instanceof ApiError ? e.detail : "Could not reach the server. Try again.";
        }
        error.hidden = false;
      }
    });
    formHost.replaceChildren(el);
    title.focus();
  }

  const main = h(
    "main",
    { class: "page enablement" },
    me.role === "admin" ? adminNav("enablement") : null,
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("h1", { class: "page-title" }, "Enablement cards"), h("p", { class: "page-lead" }, "Short guidance the room offers your reps when a deal needs it. Customers never see it.")),
      newButton,
    ),
    formHost,
    status,
    list,
  );
  document.title = "Enablement · Dealroom";
  mount(root, appBar(me, "enablement"), main);
  void load();
  return () => {
    alive = false;
  };
}
