/**
 * Internal roles only (its own chunk): "Insert clause" — a picker over the library's published
 * clauses that puts a clause block at the cursor, pinned to its latest published version — and the
 * contract export (DOCX, optionally with a redline) with the room's earlier exports.
 */
import type { Editor } from "@tiptap/core";
import { ApiError } from "../../lib/api";
import { clauseText } from "../../lib/clause-render";
import {
  clauseApi,
  clauseBlockJSON,
  exportContract,
  paragraphsOf,
  variablePlaceholder,
  versionOf,
  type Clause,
  type ExportRecord,
  type MissingApproval,
} from "../../lib/clauses";
import { debounce, h, icon, uid } from "../../lib/dom";

// ---------- Insert ----------

/**
 * Put a clause block into the terms: after the block holding the cursor when the person has been in
 * the editor (so a paragraph is never split in two), else at the end. Returns whether it went in.
 */
export function insertClause(editor: Editor, clause: Pick<Clause, "id" | "title">, version: number, text: string, atCursor: boolean): boolean {
  const { state } = editor;
  let pos = state.doc.content.size;
  // Before a trailing empty paragraph (the editor keeps one at the end), so the terms stay tidy.
  const last = state.doc.lastChild;
  if (last && last.type.name === "paragraph" && last.content.size === 0 && state.doc.childCount > 1) pos -= last.nodeSize;
  if (atCursor) {
    const { $from, to } = state.selection;
    pos = $from.depth >= 1 ? $from.after(1) : to;
  }
  const ok = editor.chain().insertContentAt(pos, clauseBlockJSON(clause, version, text), { updateSelection: false }).run();
  if (ok) {
    const dom = editor.view.nodeDOM(pos);
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: "center", behavior: "smooth" });
  }
  return ok;
}

export interface PickerOptions {
  opener?: HTMLElement | null;
  insert(clause: Clause, version: number, text: string): boolean;
  notify(message: string, tone?: "info" | "error"): void;
}

let openDialog: HTMLDialogElement | null = null;

/** A sheet (full height on phones, a centred dialog on wider screens) to search and insert a clause. */
export function openPicker(opts: PickerOptions): { el: HTMLDialogElement; close(): void } {
  openDialog?.close();
  const titleId = uid("picker-title");
  const searchId = uid("picker-search");
  const search = h("input", { id: searchId, type: "search", class: "input input-search", placeholder: "Search clauses", autocomplete: "off", "data-testid": "clause-picker-search" });
  const status = h("p", { class: "list-status", role: "status" });
  const list = h("ul", { class: "picker-list", "aria-label": "Published clauses" });
  const close = h("button", { type: "button", class: "icon-btn picker-close", "aria-label": "Close" }, icon("close", 20));
  const el = h(
    "dialog",
    { class: "dialog-sheet picker", "data-testid": "clause-picker", "aria-labelledby": titleId },
    h(
      "div",
      { class: "picker-inner" },
      h("header", { class: "picker-head" }, h("div", {}, h("h2", { class: "picker-title", id: titleId }, "Insert a clause"), h("p", { class: "picker-sub" }, "Published clauses of the library, at their latest version.")), close),
      h("div", { class: "search picker-search" }, h("label", { for: searchId, class: "visually-hidden" }, "Search clauses"), h("span", { class: "search-icon" }, icon("search")), search),
      h("div", { class: "picker-body" }, status, list),
    ),
  );
  let closed = false;
  let seq = 0;
  const done = () => {
    if (closed) return;
    closed = true;
    searchLater.cancel();
    if (el.open) el.close();
    el.remove();
    if (openDialog === el) openDialog = null;
    if (opts.opener?.isConnected) opts.opener.focus();
  };

  async function load(q: string): Promise<void> {
    const mine = ++seq;
    list.setAttribute("aria-busy", "true");
    try {
      const { clauses } = await clauseApi.list(q);
      if (closed || mine !== seq) return;
      const published = clauses.filter((c) => versionOf(c, c.latest_published));
      list.replaceChildren(...published.map(item));
      status.textContent = published.length ? "" : q ? `No published clause matches “${q}”.` : "The library has no published clauses yet.";
    } catch (e) {
      if (closed || mine !== seq) return;
      list.replaceChildren();
      status.textContent = e instanceof ApiError ? e.detail : "The clause library could not be loaded.";
    } finally {
      if (mine === seq) list.removeAttribute("aria-busy");
    }
  }

  function item(clause: Clause): HTMLElement {
    const v = versionOf(clause, clause.latest_published)!;
    const first = paragraphsOf(v.text)[0] ?? "";
    const pick = h(
      "button",
      { type: "button", class: "picker-item", "data-testid": "clause-pick", "data-clause-id": clause.id },
      h("span", { class: "picker-item-head" }, h("span", { class: "picker-item-title" }, clause.title), h("span", { class: "badge" }, clause.category)),
      h("span", { class: "picker-item-meta" }, `${clause.key} · version ${v.number}${v.fallbacks.length ? ` · ${v.fallbacks.length} fallback${v.fallbacks.length === 1 ? "" : "s"}` : ""}`),
      h("span", { class: "picker-item-text" }, clauseText(first)),
    );
    pick.addEventListener("click", () => {
      if (opts.insert(clause, v.number, v.text)) {
        opts.notify(`“${clause.title}” is in the terms (version ${v.number}).`);
        done();
      } else {
        opts.notify("The clause could not be inserted: the terms are not editable right now.", "error");
      }
    });
    return h("li", {}, pick);
  }

  const searchLater = debounce((q: string) => void load(q), 200);
  search.addEventListener("input", () => searchLater(search.value.trim()));
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      searchLater.flush();
    }
  });
  close.addEventListener("click", done);
  el.addEventListener("close", done);
  el.addEventListener("click", (e) => {
    if (e.target === el) done(); // a tap on the backdrop
  });
  document.body.append(el);
  el.showModal();
  openDialog = el;
  search.focus();
  void load("");
  return { el, close: done };
}

// ---------- Export ----------

export interface ExportOptions {
  roomId: string;
  notify(message: string, tone?: "info" | "error"): void;
  /** The variables the terms use that have no value yet, live. */
  unset?: { current(): string[]; subscribe(listener: () => void): () => void };
  /** Hands the file to the browser (tests replace it). */
  save?(blob: Blob, filename: string): void;
}

/** Save a blob as a download: an object URL on an `a[download]`, clicked, then let go. */
function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function mountExport(host: HTMLElement, opts: ExportOptions): { destroy(): void; refresh(): Promise<void> } {
  const headingId = uid("export-heading");
  const redlineId = uid("export-redline");
  const redline = h("input", { type: "checkbox", id: redlineId, "data-testid": "export-redline" });
  const button = h("button", { type: "button", class: "btn btn-primary export-button", "data-testid": "export-docx" }, icon("download", 18), "Export DOCX");
  const missing = h("div", { class: "export-missing", "data-testid": "export-missing", role: "alert", hidden: true });
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const unsetBox = h("div", { class: "export-unset", "data-testid": "export-unset", role: "status", hidden: true });
  const list = h("ul", { class: "export-list", "data-testid": "export-list", "aria-labelledby": `${headingId}-list` });
  const listStatus = h("p", { class: "muted export-list-status" }, "Loading…");
  const section = h(
    "section",
    { class: "export", "aria-labelledby": headingId },
    h("div", { class: "export-head" }, h("h3", { class: "export-title", id: headingId }, "Contract"), h("span", { class: "internal-tag" }, icon("lock", 14), "Internal")),
    h("p", { class: "hint" }, "A Word document of the current version: the parties, the priced lines, the terms and signature blocks. Every required approval must cover this exact version."),
    h("div", { class: "export-actions" }, h("label", { class: "check", for: redlineId }, redline, "With a redline against the standard terms"), button),
    unsetBox,
    missing,
    error,
    h("h4", { class: "export-subhead", id: `${headingId}-list` }, "Exports of this room"),
    listStatus,
    list,
  );
  host.replaceChildren(section);
  let alive = true;
  let shownUnset = "";
  const showUnset = () => {
    const names = opts.unset?.current() ?? [];
    const key = names.join(",");
    if (key === shownUnset) return;
    shownUnset = key;
    unsetBox.hidden = names.length === 0;
    unsetBox.replaceChildren(
      h("p", { class: "export-unset-lead" }, icon("alert", 16), `Still unset in the terms: ${names.length === 1 ? "this value prints" : "these values print"} as a placeholder until filled in.`),
      h("ul", {}, names.map((n) => h("li", { "data-testid": "export-unset-item", "data-variable": n }, variablePlaceholder(n)))),
    );
  };
  const stopUnset = opts.unset?.subscribe(showUnset);
  showUnset();
  let seq = 0;
  const save = opts.save ?? saveBlob;

  async function refresh(): Promise<void> {
    const mine = ++seq;
    try {
      const { exports } = await clauseApi.exports(opts.roomId);
      if (!alive || mine !== seq) return;
      list.replaceChildren(...exports.map(exportItem));
      listStatus.textContent = exports.length ? "" : "Nothing exported yet.";
      listStatus.hidden = exports.length > 0;
    } catch (e) {
      if (!alive || mine !== seq) return;
      listStatus.hidden = false;
      listStatus.textContent = e instanceof ApiError ? e.detail : "The exports could not be loaded.";
    }
  }

  function showMissing(items: MissingApproval[], detail: string): void {
    const lead = items.length ? `Not yet: this version of the deal needs ${items.length === 1 ? "this approval" : "these approvals"} first.` : sentence(detail) || "Not yet: approvals are missing.";
    missing.replaceChildren(
      h("p", { class: "export-missing-lead" }, icon("alert", 16), lead),
      h(
        "ul",
        {},
        (items.length ? items : [{ rule_id: "", name: "Approval", reason: "", why: "" }]).map((m) =>
          h("li", { "data-testid": "export-missing-item", "data-rule-id": m.rule_id }, h("strong", {}, m.name), m.reason ? ` — ${m.reason}` : "", m.why ? h("span", { class: "export-missing-why" }, sentence(m.why)) : null),
        ),
      ),
    );
    missing.hidden = false;
  }

  /** 409 `disputes_open`: each dispute not yet resolved (what it is about, who opened it, where it stands). */
  function showDisputes(data: unknown, detail: string): void {
    const raw = data && typeof data === "object" ? (data as { disputes?: unknown }).disputes : null;
    const items = (Array.isArray(raw) ? raw : []).filter((d): d is Record<string, unknown> => !!d && typeof d === "object");
    const who = (d: Record<string, unknown>) => {
      const by = d.opened_by as { name?: unknown } | null | undefined;
      return by && typeof by.name === "string" ? by.name : "someone";
    };
    missing.replaceChildren(
      h("p", { class: "export-missing-lead" }, icon("alert", 16), sentence(detail) || "Not yet: disputes are open."),
      h(
        "ul",
        {},
        items.map((d) =>
          h(
            "li",
            { "data-testid": "export-dispute", "data-thread-id": String(d.id ?? "") },
            h("strong", {}, `Dispute about ${String(d.about ?? "the deal")}`),
            ` — opened by ${who(d)}, ${String(d.state ?? "open")}`,
            typeof d.text === "string" && d.text ? h("span", { class: "export-dispute-why" }, `“${d.text}”`) : null,
          ),
        ),
      ),
    );
    missing.hidden = false;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    missing.hidden = true;
    error.hidden = true;
    try {
      const result = await exportContract(opts.roomId, redline.checked);
      if (!alive) return;
      if (result.ok) {
        save(result.blob, result.filename);
        opts.notify(`${result.filename} is downloading.`);
      } else {
        showMissing(result.missing, result.detail);
      }
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.code === "disputes_open") {
        showDisputes(e.data, e.detail);
        return;
      }
      error.textContent = e instanceof ApiError ? e.detail : "The contract could not be exported.";
      error.hidden = false;
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      void refresh();
    }
  });

  void refresh();
  return {
    refresh,
    destroy() {
      alive = false;
      stopUnset?.();
    },
  };
}

function exportItem(x: ExportRecord): HTMLElement {
  // Only a path of this site: the list is the server's, but a link is never made to anywhere else.
  const href = typeof x.url === "string" && x.url.startsWith("/") && !x.url.startsWith("//") ? x.url : null;
  const name = x.filename || "contract.docx";
  return h(
    "li",
    { class: "export-item", "data-testid": "export-item", "data-export-id": x.id },
    href ? h("a", { href, download: name, class: "export-file" }, icon("download", 16), name) : h("span", { class: "export-file" }, name),
    h(
      "span",
      { class: "export-meta" },
      [when(x.created_at), x.created_by?.name ? `by ${x.created_by.name}` : "", size(x.size), x.redline ? "with redline" : ""].filter(Boolean).join(" · "),
    ),
  );
}

/** The server's lower-case phrases as a sentence start ("not requested" → "Not requested"). */
function sentence(text: string): string {
  const t = text.trim();
  return t ? t[0].toUpperCase() + t.slice(1) : "";
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

function size(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return "";
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} kB`;
}
