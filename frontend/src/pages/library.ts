/**
 * `/library`: legal's clause library (its own chunk). Internal people read it: search as you type,
 * filter by category, a card per clause with its versions, standard text, ranked fallbacks with their
 * "when to use" notes, and who approves a deviation. Legal and admins write: a new clause, a new
 * version (a draft from the latest text), publish and retire per version. A refused change shows the
 * server's list of problems next to its form.
 */
import "../lib/clause-render.css";
import "./library.css";
import { ApiError, type Me } from "../lib/api";
import { clauseText, type TextOptions } from "../lib/clause-render";
import {
  approverLabel,
  categoryLabel,
  clauseApi,
  problemsOf,
  shownVersion,
  VERSION_LABELS,
  versionOf,
  type Clause,
  type ClauseVersion,
  type Fallback,
  type NewClause,
  type VariableDef,
} from "../lib/clauses";
import { debounce, h, icon, mount, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { busy } from "./forms";
import { appBar } from "./rooms";

/** Who may change the library (mirrors the server: legal and admins). */
function mayEditLibrary(me: Me): boolean {
  return me.role === "legal" || me.role === "admin";
}

/** The approvals a deviation can be routed to (the policy's approver roles). */
const APPROVERS = ["legal", "sales_manager", "vp_sales", "finance"];

export function libraryPage(root: HTMLElement, me: Me): () => void {
  const write = mayEditLibrary(me);
  let alive = true;
  let seq = 0;
  let variables: VariableDef[] = [];
  const categories = new Set<string>();
  const selected = new Map<string, number>(); // clause id → version shown
  const text: TextOptions = { labelOf: (name) => variables.find((v) => v.name === name)?.label };

  const searchId = uid("lib-search");
  const categoryId = uid("lib-category");
  const search = h("input", { id: searchId, type: "search", class: "input input-search", placeholder: "Search title, key or text", autocomplete: "off", "data-testid": "library-search" });
  const category = h("select", { id: categoryId, class: "input", "data-testid": "library-category" }, h("option", { value: "" }, "All categories"));
  const status = h("p", { class: "list-status", role: "status", "data-testid": "library-status" });
  const list = h("div", { class: "library-list", "aria-label": "Clauses" });
  const formHost = h("div", { class: "library-form-host" });
  const newButton = write ? h("button", { type: "button", class: "btn btn-primary", "data-testid": "clause-new", "aria-expanded": "false" }, icon("plus"), "New clause") : null;

  async function load(): Promise<void> {
    const mine = ++seq;
    const q = search.value.trim();
    const cat = category.value;
    list.setAttribute("aria-busy", "true");
    try {
      const { clauses } = await clauseApi.list(q, cat);
      if (!alive || mine !== seq) return;
      for (const c of clauses) categories.add(c.category);
      fillCategories();
      mount(list, clauses.map(card));
      status.textContent = listStatus(clauses.length, Boolean(q || cat), write);
    } catch (e) {
      if (!alive || mine !== seq) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      status.textContent = e instanceof ApiError ? (e.status === 403 ? "The clause library is for your company’s people only." : e.detail) : "The clause library could not be loaded.";
    } finally {
      if (mine === seq) list.removeAttribute("aria-busy");
    }
  }

  function fillCategories(): void {
    const current = category.value;
    const names = [...categories].sort((a, b) => a.localeCompare(b));
    const have = Array.from(category.options).slice(1).map((o) => o.value);
    if (have.join("\n") === names.join("\n")) return;
    category.replaceChildren(h("option", { value: "" }, "All categories"), ...names.map((n) => h("option", { value: n }, categoryLabel(n))));
    category.value = names.includes(current) ? current : "";
    categoryList.replaceChildren(...names.map((n) => h("option", { value: n })));
  }

  const categoryList = h("datalist", { id: uid("lib-categories") });

  /** Put a clause the server answered in place of its card (or first, when new). */
  function show(clause: Clause, focusVersion?: number): void {
    categories.add(clause.category);
    fillCategories();
    if (focusVersion) selected.set(clause.id, focusVersion);
    const fresh = card(clause);
    const old = list.querySelector<HTMLElement>(`[data-testid=library-clause][data-clause-id="${CSS.escape(clause.id)}"]`);
    if (old) old.replaceWith(fresh);
    else list.prepend(fresh);
    status.textContent = "";
  }

  function card(clause: Clause): HTMLElement {
    const version = versionOf(clause, selected.get(clause.id)) ?? shownVersion(clause);
    const headingId = uid("clause-title");
    const el = h("article", { class: "card clause-card", "data-testid": "library-clause", "data-clause-id": clause.id, "aria-labelledby": headingId, tabindex: -1 });
    const body = h("div", { class: "clause-card-body" });
    const tabs = h(
      "div",
      { class: "version-tabs", role: "group", "aria-label": "Versions" },
      clause.versions.map((v) => {
        const b = h(
          "button",
          { type: "button", class: "version-tab", "data-testid": "clause-version", "data-version": v.number, "data-status": v.status, "aria-pressed": String(v === version) },
          h("span", { class: "version-number" }, `v${v.number}`),
          h("span", { class: `version-status is-${v.status}` }, VERSION_LABELS[v.status] ?? v.status),
        );
        b.addEventListener("click", () => {
          selected.set(clause.id, v.number);
          el.replaceWith(card(clause));
          list.querySelector<HTMLElement>(`[data-testid=library-clause][data-clause-id="${CSS.escape(clause.id)}"] [data-version="${v.number}"]`)?.focus();
        });
        return b;
      }),
    );
    el.append(
      h(
        "header",
        { class: "clause-card-head" },
        h("div", { class: "clause-card-heading" }, h("h2", { class: "clause-card-title", id: headingId }, clause.title), h("p", { class: "clause-card-meta" }, h("span", { class: "clause-key" }, clause.key), h("span", { class: "badge badge-category", title: clause.category }, categoryLabel(clause.category)))),
      ),
      tabs,
      body,
    );
    if (version) body.append(...versionBody(clause, version));
    else body.append(h("p", { class: "muted" }, "No versions."));
    return el;
  }

  function versionBody(clause: Clause, v: ClauseVersion): HTMLElement[] {
    const out: HTMLElement[] = [
      h("p", { class: "clause-version-line" }, `Version ${v.number} · ${VERSION_LABELS[v.status] ?? v.status}`, v.number === clause.latest_published ? " · in use for new clauses" : ""),
      h("h3", { class: "clause-card-subhead" }, "Standard text"),
      h("div", { class: "clause-card-text", "data-testid": "library-clause-text" }, clauseText(v.text, text)),
    ];
    const fallbacks = [...v.fallbacks].sort((a, b) => a.rank - b.rank);
    out.push(h("h3", { class: "clause-card-subhead" }, fallbacks.length ? "Fallbacks, in order of preference" : "No fallbacks"));
    if (fallbacks.length) {
      out.push(
        h(
          "ol",
          { class: "library-fallbacks" },
          fallbacks.map((f) =>
            h(
              "li",
              { class: "library-fallback", "data-testid": "library-fallback", "data-rank": f.rank },
              h("span", { class: "fallback-rank" }, `Fallback ${f.rank}`),
              clauseText(f.text, text),
              f.when_to_use ? h("p", { class: "fallback-when" }, h("strong", {}, "When to use: "), f.when_to_use) : null,
            ),
          ),
        ),
      );
    }
    out.push(h("p", { class: "clause-approval", "data-testid": "library-approval" }, icon("lock", 14), `A deviation needs approval from ${approverLabel(v.deviation_approval)}.`));
    if (write) out.push(actions(clause, v));
    return out;
  }

  function actions(clause: Clause, v: ClauseVersion): HTMLElement {
    const problems = problemList("clause-problems");
    const row = h("div", { class: "clause-card-actions" });
    const run = async (button: HTMLButtonElement, label: string, call: () => Promise<Clause>, after: (c: Clause) => number | undefined, done: string) => {
      problems.show([]);
      busy(button, true, label);
      try {
        const updated = await call();
        if (!alive) return;
        show(updated, after(updated));
        announce(done);
      } catch (e) {
        if (!alive) return;
        busy(button, false, "");
        problems.show(problemsOf(e));
      }
    };
    if (v.status === "draft") {
      const publish = h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "clause-publish", "data-version": v.number }, icon("check", 16), `Publish version ${v.number}`);
      publish.addEventListener("click", () => void run(publish, "Publishing…", () => clauseApi.publish(clause.id, v.number), () => v.number, `${clause.title}: version ${v.number} is published.`));
      row.append(publish);
    }
    if (v.status === "published") {
      const retire = h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": "clause-retire", "data-version": v.number }, `Retire version ${v.number}`);
      retire.addEventListener("click", () => {
        if (!confirm(`Retire version ${v.number} of “${clause.title}”? Rooms keep it, but it can no longer be inserted.`)) return;
        void run(retire, "Retiring…", () => clauseApi.retire(clause.id, v.number), () => v.number, `${clause.title}: version ${v.number} is retired.`);
      });
      row.append(retire);
    }
    const host = h("div", { class: "clause-version-form" });
    if (clause.draft == null) {
      const next = h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": "clause-new-version", "aria-expanded": "false" }, icon("plus", 16), "New version");
      next.addEventListener("click", () => {
        if (host.firstChild) {
          host.replaceChildren();
          next.setAttribute("aria-expanded", "false");
          return;
        }
        next.setAttribute("aria-expanded", "true");
        // A draft from the latest text (the newest version, whatever its state).
        const latest = clause.versions[clause.versions.length - 1] ?? v;
        host.replaceChildren(
          clauseForm({
            mode: "version",
            initial: { key: clause.key, title: clause.title, category: clause.category, text: latest.text, fallbacks: latest.fallbacks, deviation_approval: latest.deviation_approval },
            variables,
            categoryList: categoryList.id,
            submit: async (body) => {
              const updated = await clauseApi.newVersion(clause.id, { text: body.text, fallbacks: body.fallbacks, deviation_approval: body.deviation_approval });
              show(updated, updated.draft ?? updated.versions[updated.versions.length - 1]?.number);
              announce(`${clause.title}: a draft of version ${updated.draft ?? ""} is ready to publish.`);
            },
            cancel: () => {
              host.replaceChildren();
              next.setAttribute("aria-expanded", "false");
              next.focus();
            },
          }),
        );
        host.querySelector<HTMLElement>("textarea")?.focus();
      });
      row.append(next);
    } else if (v.number !== clause.draft) {
      row.append(h("p", { class: "hint" }, `Version ${clause.draft} is a draft: publish it before starting another.`));
    }
    return h("div", { class: "clause-card-foot" }, row, problems, host);
  }

  const live = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  function announce(message: string): void {
    live.textContent = message;
  }

  if (newButton) {
    newButton.addEventListener("click", () => {
      if (formHost.firstChild) {
        formHost.replaceChildren();
        newButton.setAttribute("aria-expanded", "false");
        return;
      }
      newButton.setAttribute("aria-expanded", "true");
      formHost.replaceChildren(
        clauseForm({
          mode: "new",
          variables,
          categoryList: categoryList.id,
          submit: async (body) => {
            const created = await clauseApi.create(body);
            formHost.replaceChildren();
            newButton.setAttribute("aria-expanded", "false");
            show(created, created.draft ?? created.versions[0]?.number);
            announce(`${created.title} is in the library as a draft. Publish it to use it in rooms.`);
            list.querySelector<HTMLElement>(`[data-clause-id="${CSS.escape(created.id)}"]`)?.focus();
          },
          cancel: () => {
            formHost.replaceChildren();
            newButton.setAttribute("aria-expanded", "false");
            newButton.focus();
          },
        }),
      );
      formHost.querySelector<HTMLInputElement>("input")?.focus();
    });
  }

  const searchLater = debounce(() => void load(), 250);
  search.addEventListener("input", () => searchLater());
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") searchLater.flush();
  });
  category.addEventListener("change", () => {
    searchLater.cancel();
    void load();
  });

  const main = h(
    "main",
    { class: "page library" },
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("h1", { class: "page-title" }, "Clause library"), h("p", { class: "page-lead" }, "Standard clauses, the fallbacks legal allows, and who approves a deviation.")),
      newButton,
    ),
    formHost,
    h(
      "section",
      { class: "card library-filters", "aria-label": "Find clauses" },
      h("div", { class: "search library-search" }, h("label", { for: searchId, class: "visually-hidden" }, "Search clauses"), h("span", { class: "search-icon" }, icon("search")), search),
      h("div", { class: "field library-category" }, h("label", { for: categoryId, class: "visually-hidden" }, "Category"), category),
    ),
    status,
    list,
    categoryList,
    live,
  );
  document.title = "Clause library · Dealroom";
  mount(root, appBar(me, "library"), main);
  void load();
  clauseApi.variables().then(
    (r) => {
      if (!alive) return;
      variables = Array.isArray(r.variables) ? r.variables : [];
      // Cards drawn before the labels came keep the names; new cards get the labels.
      for (const chip of Array.from(list.querySelectorAll<HTMLElement>(".var-chip.is-empty[data-variable]"))) {
        const label = text.labelOf?.(chip.dataset.variable ?? "");
        if (label) chip.textContent = label;
      }
    },
    () => undefined,
  );
  return () => {
    alive = false;
    searchLater.cancel();
  };
}

/** The line above the cards: how many a search found, or why there are none. */
function listStatus(count: number, filtered: boolean, write: boolean): string {
  if (count) return filtered ? `${count} clause${count === 1 ? "" : "s"} found` : "";
  if (filtered) return "No clause matches.";
  return write ? "The library is empty. Add the first clause." : "The library is empty.";
}

/** A list of the server's problems with a change, next to the form that made it. */
function problemList(testid = "clause-form-problems"): HTMLElement & { show(problems: string[]): void } {
  const el = h("div", { class: "form-problems", role: "alert", "data-testid": testid, hidden: true }) as unknown as HTMLElement & { show(problems: string[]): void };
  el.show = (problems) => {
    el.replaceChildren(...(problems.length ? [h("p", { class: "form-problems-lead" }, icon("alert", 16), problems.length === 1 ? "The library refused this:" : `The library refused this (${problems.length} problems):`), h("ul", {}, problems.map((p) => h("li", {}, p)))] : []));
    el.hidden = problems.length === 0;
  };
  return el;
}

interface FormOptions {
  mode: "new" | "version";
  initial?: NewClause;
  variables: VariableDef[];
  categoryList: string;
  submit(body: NewClause): Promise<void>;
  cancel(): void;
}

/** The form for a new clause (key, title, category, …) or a new version of one (text, fallbacks, approval). */
function clauseForm(opts: FormOptions): HTMLFormElement {
  const init = opts.initial;
  const isNew = opts.mode === "new";
  const input = (label: string, name: string, testid: string, attrs: Record<string, string | boolean> = {}, hint?: string) => {
    const id = uid("cf");
    const el = h("input", { id, name, class: "input", "data-testid": testid, autocomplete: "off", ...attrs });
    return { el, wrap: h("div", { class: "field" }, h("label", { for: id, class: "label" }, label), el, hint ? h("p", { class: "hint" }, hint) : null) };
  };
  const area = (label: string, name: string, testid: string, rows: number, value = "", hint?: string) => {
    const id = uid("cf");
    const el = h("textarea", { id, name, class: "input textarea", "data-testid": testid, rows });
    el.value = value;
    return { el, wrap: h("div", { class: "field" }, h("label", { for: id, class: "label" }, label), el, hint ? h("p", { class: "hint" }, hint) : null) };
  };

  const key = input("Key", "key", "clause-form-key", { placeholder: "e.g. limitation_of_liability", spellcheck: false, autocapitalize: "off", pattern: "[a-z][a-z0-9_]{0,63}" }, "A short, unique name: lower case letters, digits and underscores.");
  const title = input("Title", "title", "clause-form-title", { placeholder: "e.g. Limitation of liability" });
  const category = input("Category", "category", "clause-form-category", { placeholder: "e.g. liability", list: opts.categoryList });
  const textArea = area("Standard text", "text", "clause-form-text", 7, init?.text ?? "", "Separate paragraphs with a blank line. Variables are written {{customer.name}}.");
  let lastArea: HTMLTextAreaElement = textArea.el;
  const varChips = opts.variables.length
    ? h(
        "div",
        { class: "var-picker", role: "group", "aria-label": "Insert a variable" },
        h("span", { class: "hint" }, "Insert a variable:"),
        opts.variables.map((v) => {
          const b = h("button", { type: "button", class: "var-insert", "data-variable": v.name, title: v.name }, v.label || v.name);
          b.addEventListener("mousedown", (e) => e.preventDefault());
          b.addEventListener("click", () => insertAtCursor(lastArea, `{{${v.name}}}`));
          return b;
        }),
      )
    : null;

  const fallbackList = h("ol", { class: "form-fallbacks" });
  const addFallback = (f?: Fallback) => {
    const t = area("Wording", "fallback-text", "clause-form-fallback-text", 4, f?.text ?? "");
    const w = input("When to use", "fallback-when", "clause-form-fallback-when", { placeholder: "e.g. the customer insists on a higher cap" });
    w.el.value = f?.when_to_use ?? "";
    t.el.addEventListener("focus", () => (lastArea = t.el));
    const remove = h("button", { type: "button", class: "btn btn-small btn-ghost", "data-testid": "clause-form-remove-fallback" }, icon("trash", 16), "Remove");
    const li = h("li", { class: "form-fallback", "data-testid": "clause-form-fallback" }, h("p", { class: "form-fallback-rank" }), t.wrap, w.wrap, remove);
    remove.addEventListener("click", () => {
      li.remove();
      renumber();
    });
    fallbackList.append(li);
    renumber();
    return t.el;
  };
  const renumber = () => {
    Array.from(fallbackList.children).forEach((li, i) => {
      const rank = li.querySelector(".form-fallback-rank");
      if (rank) rank.textContent = `Fallback ${i + 1}`;
    });
  };
  for (const f of [...(init?.fallbacks ?? [])].sort((a, b) => a.rank - b.rank)) addFallback(f);
  const add = h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": "clause-form-add-fallback" }, icon("plus", 16), "Add a fallback");
  add.addEventListener("click", () => addFallback().focus());

  const approvalId = uid("cf");
  const approval = h(
    "select",
    { id: approvalId, name: "deviation_approval", class: "input", "data-testid": "clause-form-approval" },
    [...new Set([...APPROVERS, ...(init?.deviation_approval ? [init.deviation_approval] : [])])].map((a) => h("option", { value: a }, approverLabel(a))),
  );
  approval.value = init?.deviation_approval || "legal";

  const problems = problemList();
  const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "clause-form-submit" }, isNew ? "Create draft" : "Save as draft");
  const cancel = h("button", { type: "button", class: "btn btn-ghost" }, "Cancel");
  cancel.addEventListener("click", () => opts.cancel());
  textArea.el.addEventListener("focus", () => (lastArea = textArea.el));

  const headingId = uid("cf-heading");
  const form = h(
    "form",
    { class: `card clause-form${isNew ? "" : " is-version"}`, "data-testid": "clause-form", novalidate: true, "aria-labelledby": headingId },
    h("h2", { class: "card-title", id: headingId }, isNew ? "New clause" : `New version of “${init?.title ?? ""}”`),
    isNew ? h("div", { class: "clause-form-grid" }, key.wrap, title.wrap, category.wrap) : null,
    textArea.wrap,
    varChips,
    h("fieldset", { class: "form-fallback-set" }, h("legend", { class: "label" }, "Fallbacks, most preferred first"), fallbackList, add),
    h("div", { class: "field" }, h("label", { for: approvalId, class: "label" }, "A deviation needs approval from"), approval),
    problems,
    h("div", { class: "clause-form-actions" }, submit, cancel),
  );
  /** Mark the fields the server's problems name (each problem starts with its path). */
  const markInvalid = (found: string[]) => {
    const fields: (HTMLInputElement | HTMLTextAreaElement)[] = [key.el, title.el, category.el, textArea.el, ...Array.from(fallbackList.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("textarea, input"))];
    for (const f of fields) f.removeAttribute("aria-invalid");
    for (const problem of found) {
      const path = problem.split(":")[0].trim();
      const fallback = /fallbacks\[(\d+)\](?:\.(\w+))?/.exec(path);
      let target: HTMLInputElement | HTMLTextAreaElement | null = null;
      if (fallback) {
        const li = fallbackList.children[Number(fallback[1])];
        target = li?.querySelector(fallback[2] === "when_to_use" ? "input" : "textarea") ?? null;
      } else if (/^key\b/.test(path)) target = key.el;
      else if (/^title\b/.test(path)) target = title.el;
      else if (/^category\b/.test(path)) target = category.el;
      else if (/(^|\.)text$/.test(path)) target = textArea.el;
      target?.setAttribute("aria-invalid", "true");
    }
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: NewClause = {
      key: isNew ? key.el.value.trim() : (init?.key ?? ""),
      title: isNew ? title.el.value.trim() : (init?.title ?? ""),
      category: isNew ? category.el.value.trim() : (init?.category ?? ""),
      text: textArea.el.value.trim(),
      fallbacks: Array.from(fallbackList.children).map((li, i) => ({
        rank: i + 1,
        text: (li.querySelector("textarea")?.value ?? "").trim(),
        when_to_use: (li.querySelector<HTMLInputElement>("input")?.value ?? "").trim(),
      })),
      deviation_approval: approval.value,
    };
    problems.show([]);
    markInvalid([]);
    busy(submit, true, "Saving…");
    try {
      await opts.submit(body);
    } catch (err) {
      busy(submit, false, "");
      const found = problemsOf(err);
      problems.show(found);
      markInvalid(found);
      problems.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  });
  return form;
}

function insertAtCursor(area: HTMLTextAreaElement, text: string): void {
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  area.setRangeText(text, start, end, "end");
  area.focus();
  area.dispatchEvent(new Event("input", { bubbles: true }));
}
