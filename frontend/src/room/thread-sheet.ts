/**
 * The thread sheet: a bottom sheet on phones, a side panel on desktop. Three views: the room's threads
 * (filters: open / disputes / resolved / all), one thread (its messages, reply, resolve, reopen), and a
 * new thread about an anchor (Ask / Dispute / Note; internal people also choose "internal"). Writes go
 * to the API; what shows is read live from the room's documents (`update`).
 */
import { ApiError, type Member, type RoomRole } from "../lib/api";
import { h, icon } from "../lib/dom";
import {
  FILTER_LABELS,
  KIND_LABELS,
  MAX_TEXT,
  STATE_LABELS,
  anchorLabel,
  filterThreads,
  mayResolve,
  mentionParts,
  mentionToken,
  threadsApi,
  type Anchor,
  type Message,
  type Thread,
  type ThreadFilter,
  type ThreadKind,
} from "./threads";
import "./thread-sheet.css";

export interface SheetOptions {
  roomId: string;
  me: { id: number; name: string };
  role: RoomRole;
  members: Member[];
  lineName(id: string): string | undefined;
  notify(message: string, tone?: "info" | "error"): void;
  /** The thread shown (null: none), for the editor's highlight. */
  onActive(id: string | null): void;
}

type View = { mode: "list" } | { mode: "thread"; id: string } | { mode: "compose"; anchor: Anchor; kind: ThreadKind };

const INTERNAL_ROLES = new Set(["rep", "legal", "approver"]);

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

function textNode(text: string): HTMLElement {
  return h(
    "p",
    { class: "thread-text" },
    mentionParts(text).map((part) => (typeof part === "string" ? part : h("span", { class: "mention", "data-person-id": part.id }, `@${part.name}`))),
  );
}

export class ThreadSheet {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly back: HTMLButtonElement;
  private threads: Thread[] = [];
  private view: View = { mode: "list" };
  private filter: ThreadFilter = "open";
  private messages: HTMLElement | null = null;
  private status: HTMLElement | null = null;
  private actions: HTMLElement | null = null;
  private busy = false;

  constructor(private readonly opts: SheetOptions) {
    this.title = h("h2", { class: "thread-sheet-title", id: "thread-sheet-title" }, "Threads");
    this.back = h("button", { type: "button", class: "icon-btn", "data-testid": "thread-back", "aria-label": "All threads" }, icon("back"));
    this.back.addEventListener("click", () => this.showList());
    const close = h("button", { type: "button", class: "icon-btn", "data-testid": "thread-close", "aria-label": "Close" }, icon("close"));
    close.addEventListener("click", () => this.close());
    this.body = h("div", { class: "thread-sheet-body" });
    this.el = h(
      "aside",
      { class: "thread-sheet", "data-testid": "thread-sheet", role: "dialog", "aria-labelledby": "thread-sheet-title", hidden: true },
      h("div", { class: "thread-sheet-head" }, this.back, this.title, close),
      this.body,
    );
    this.el.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.close();
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  get activeId(): string | null {
    return this.isOpen && this.view.mode === "thread" ? this.view.id : null;
  }

  /** The room's threads changed (live): show them without losing what is being typed. */
  update(threads: Thread[]): void {
    this.threads = threads;
    if (!this.isOpen) return;
    if (this.view.mode === "list") this.renderList();
    else if (this.view.mode === "thread") this.refreshThread(this.view.id);
  }

  showList(filter?: ThreadFilter): void {
    if (filter) this.filter = filter;
    this.view = { mode: "list" };
    this.open();
    this.renderList();
  }

  showThread(id: string): void {
    this.view = { mode: "thread", id };
    this.open();
    this.renderThread(id);
  }

  compose(anchor: Anchor, kind: ThreadKind): void {
    if (this.opts.role === "viewer") {
      this.opts.notify("Read-only members cannot start threads.", "error");
      return;
    }
    this.view = { mode: "compose", anchor, kind };
    this.open();
    this.renderCompose(anchor, kind);
  }

  close(): void {
    this.el.hidden = true;
    document.body.classList.remove("thread-sheet-open");
    this.opts.onActive(null);
  }

  private open(): void {
    this.el.hidden = false;
    document.body.classList.add("thread-sheet-open");
    this.back.hidden = this.view.mode === "list";
    this.opts.onActive(this.activeId);
  }

  // --- the list -------------------------------------------------------------------------------------------

  private renderList(): void {
    this.title.textContent = "Threads";
    this.back.hidden = true;
    const filters = (["open", "disputes", "resolved", "all"] as ThreadFilter[]).map((f) => {
      const b = h("button", { type: "button", class: "chip-btn", "data-testid": `thread-filter-${f}`, "aria-pressed": String(f === this.filter) }, FILTER_LABELS[f]);
      b.addEventListener("click", () => this.showList(f));
      return b;
    });
    const shown = filterThreads(this.threads, this.filter);
    const items = shown.map((t) => {
      const first = t.messages[0];
      const item = h(
        "button",
        { type: "button", class: `thread-item thread-item-${t.kind}`, "data-testid": "thread-item", "data-thread-id": t.id, "data-kind": t.kind, "data-state": t.state },
        h("span", { class: "thread-item-top" }, h("span", { class: `kind-badge kind-${t.kind}` }, KIND_LABELS[t.kind]), t.visibility === "internal" ? h("span", { class: "internal-tag" }, icon("lock", 12), "Internal") : null, h("span", { class: `state-badge state-${t.state}` }, STATE_LABELS[t.state])),
        h("span", { class: "thread-item-about" }, anchorLabel(t.anchor, this.opts.lineName)),
        first ? h("span", { class: "thread-item-text" }, `${first.author.name}: ${mentionParts(first.text).map((p) => (typeof p === "string" ? p : `@${p.name}`)).join("")}`) : null,
      );
      item.addEventListener("click", () => this.showThread(t.id));
      return h("li", {}, item);
    });
    const about = h("button", { type: "button", class: "btn btn-secondary btn-small", "data-testid": "thread-new-room" }, icon("plus", 14), "New thread about the room");
    about.addEventListener("click", () => this.compose({ type: "room" }, "question"));
    this.body.replaceChildren(
      h("div", { class: "thread-filters", role: "group", "aria-label": "Show" }, filters),
      items.length ? h("ul", { class: "thread-list", "data-testid": "thread-list" }, items) : h("p", { class: "muted", "data-testid": "thread-list-empty" }, this.filter === "open" ? "No open threads." : "No threads here."),
      this.opts.role === "viewer" ? "" : about,
    );
  }

  // --- one thread ------------------------------------------------------------------------------------------

  private find(id: string): Thread | undefined {
    return this.threads.find((t) => t.id === id);
  }

  private renderThread(id: string): void {
    const t = this.find(id);
    this.back.hidden = false;
    if (!t) {
      this.title.textContent = "Thread";
      this.body.replaceChildren(h("p", { class: "muted", "data-testid": "thread-missing" }, "This thread is not here (yet). It may still be on its way, or it is not one you can see."));
      this.messages = this.status = this.actions = null;
      return;
    }
    this.title.textContent = KIND_LABELS[t.kind];
    this.status = h("div", { class: "thread-status" });
    this.messages = h("ol", { class: "thread-messages", "data-testid": "thread-messages", "aria-live": "polite" });
    this.actions = h("div", { class: "thread-actions" });
    const reply = this.opts.role === "viewer" ? null : this.replyForm(t);
    this.body.replaceChildren(
      h("p", { class: "thread-about", "data-testid": "thread-about" }, anchorLabel(t.anchor, this.opts.lineName)),
      this.status,
      this.messages,
      reply ?? "",
      this.actions,
    );
    this.refreshThread(id);
  }

  private refreshThread(id: string): void {
    const t = this.find(id);
    if (!t || !this.messages || !this.status || !this.actions) return this.renderThread(id);
    this.status.replaceChildren(
      h("span", { class: `kind-badge kind-${t.kind}` }, KIND_LABELS[t.kind]),
      t.visibility === "internal" ? h("span", { class: "internal-tag", "data-testid": "thread-internal" }, icon("lock", 12), "Internal — only your company sees this") : "",
      h("span", { class: `state-badge state-${t.state}`, "data-testid": "thread-state", "data-state": t.state }, STATE_LABELS[t.state]),
    );
    this.messages.replaceChildren(...t.messages.map((m) => this.message(m)));
    const buttons: HTMLElement[] = [];
    if (this.opts.role !== "viewer" && mayResolve(t, this.opts.me, this.opts.role)) {
      const resolved = t.state === "resolved";
      const b = h("button", { type: "button", class: resolved ? "btn btn-secondary btn-small" : "btn btn-primary btn-small", "data-testid": resolved ? "thread-reopen" : "thread-resolve" }, resolved ? "Reopen" : "Resolve");
      b.addEventListener("click", () => void this.act(() => (resolved ? threadsApi.reopen(this.opts.roomId, t.id) : threadsApi.resolve(this.opts.roomId, t.id))));
      buttons.push(b);
    }
    this.actions.replaceChildren(...buttons);
    const form = this.body.querySelector<HTMLElement>(".thread-reply");
    if (form) form.hidden = t.state === "resolved";
  }

  private message(m: Message): HTMLElement {
    const mine = m.author.id === this.opts.me.id;
    return h(
      "li",
      { class: `thread-message${mine ? " thread-message-mine" : ""}`, "data-testid": "thread-message" },
      h("span", { class: "thread-message-meta" }, h("strong", {}, m.author.name), ` · ${m.author.role} · ${when(m.at)}`),
      textNode(m.text),
    );
  }

  private replyForm(t: Thread): HTMLElement {
    const text = h("textarea", { class: "input thread-input", "data-testid": "thread-reply-text", rows: 2, maxlength: MAX_TEXT, placeholder: "Reply… (@ to mention)", "aria-label": "Reply" });
    const send = h("button", { type: "submit", class: "btn btn-primary btn-small", "data-testid": "thread-reply" }, "Reply");
    const error = h("p", { class: "field-error", "data-testid": "thread-error", role: "alert", hidden: true });
    const form = h("form", { class: "thread-reply" }, text, h("div", { class: "thread-form-row" }, this.mentionPicker(text, t.visibility === "internal"), send), error);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const value = text.value.trim();
      if (!value) return;
      void this.act(() => threadsApi.reply(this.opts.roomId, t.id, value), error).then((ok) => {
        if (ok) text.value = "";
      });
    });
    return form;
  }

  // --- a new thread ----------------------------------------------------------------------------------------

  private renderCompose(anchor: Anchor, kind: ThreadKind): void {
    this.title.textContent = "New thread";
    this.back.hidden = false;
    this.messages = this.status = this.actions = null;
    const name = `kind-${Math.random().toString(36).slice(2)}`;
    const kinds = (["question", "dispute", "note"] as ThreadKind[]).map((k) =>
      h("label", { class: "kind-choice" }, h("input", { type: "radio", name, value: k, "data-testid": `thread-kind-${k}`, checked: k === kind }), KIND_LABELS[k]),
    );
    const internalRole = INTERNAL_ROLES.has(this.opts.role);
    const internal = internalRole ? h("input", { type: "checkbox", "data-testid": "thread-internal-toggle" }) : null;
    const text = h("textarea", { class: "input thread-input", "data-testid": "thread-text", rows: 3, maxlength: MAX_TEXT, placeholder: kind === "dispute" ? "What do you object to, and what would you accept?" : "Write… (@ to mention)", "aria-label": "Message" });
    const send = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "thread-submit" }, "Post");
    const error = h("p", { class: "field-error", "data-testid": "thread-error", role: "alert", hidden: true });
    const form = h(
      "form",
      { class: "thread-compose" },
      h("p", { class: "thread-about", "data-testid": "thread-about" }, anchorLabel(anchor, this.opts.lineName)),
      h("fieldset", { class: "kind-choices" }, h("legend", { class: "visually-hidden" }, "Kind"), kinds),
      internal ? h("label", { class: "internal-choice" }, internal, icon("lock", 14), "Internal — only your company sees it") : null,
      text,
      h("div", { class: "thread-form-row" }, this.mentionPicker(text, () => internal?.checked ?? false), send),
      error,
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const value = text.value.trim();
      if (!value) {
        error.textContent = "Write something first.";
        error.hidden = false;
        return;
      }
      const picked = (form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? kind) as ThreadKind;
      const body = { kind: picked, visibility: internal?.checked ? ("internal" as const) : ("external" as const), anchor, text: value };
      void this.act(() => threadsApi.open(this.opts.roomId, body), error, (made) => this.showThread(made.id));
    });
    this.body.replaceChildren(form);
    text.focus({ preventScroll: true });
  }

  /** "Mention…": inserts `@[Name](id)` for a person of the room; internal threads offer only the vendor's people. */
  private mentionPicker(text: HTMLTextAreaElement, internalOnly: boolean | (() => boolean)): HTMLElement {
    const select = h("select", { class: "input input-small", "data-testid": "thread-mention", "aria-label": "Mention someone" });
    const fill = () => {
      const onlyInternal = typeof internalOnly === "function" ? internalOnly() : internalOnly;
      const people = this.opts.members.filter((m) => m.id !== this.opts.me.id && (!onlyInternal || INTERNAL_ROLES.has(m.role)));
      select.replaceChildren(h("option", { value: "" }, "@ Mention…"), ...people.map((p) => h("option", { value: String(p.id) }, p.name)));
    };
    fill();
    select.addEventListener("focus", fill);
    select.addEventListener("change", () => {
      const person = this.opts.members.find((m) => String(m.id) === select.value);
      select.value = "";
      if (!person) return;
      const at = text.selectionStart ?? text.value.length;
      text.setRangeText(mentionToken(person), at, text.selectionEnd ?? at, "end");
      text.focus();
    });
    return select;
  }

  private async act(call: () => Promise<Thread>, error?: HTMLElement, then?: (t: Thread) => void): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    if (error) error.hidden = true;
    try {
      const thread = await call();
      // The server answered with the stored thread; the live document brings it too, maybe a moment later.
      if (!this.find(thread.id)) this.threads = [...this.threads, thread];
      else this.threads = this.threads.map((t) => (t.id === thread.id ? thread : t));
      if (then) then(thread);
      else if (this.view.mode === "thread") this.refreshThread(this.view.id);
      return true;
    } catch (e) {
      const message = e instanceof ApiError ? e.detail : "Could not reach the server. Check your connection and try again.";
      if (error) {
        error.textContent = message;
        error.hidden = false;
      } else this.opts.notify(message, "error");
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** "Ask / Dispute / Note" for a selection in the terms: a small bar at the bottom of the screen. */
export class SelectionActions {
  readonly el: HTMLElement;
  constructor(onPick: (kind: ThreadKind) => void) {
    const button = (kind: ThreadKind, label: string) => {
      const b = h("button", { type: "button", class: `btn btn-small sel-${kind}`, "data-testid": `select-${kind}` }, label);
      b.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the editor's selection
      b.addEventListener("click", () => onPick(kind));
      return b;
    };
    this.el = h("div", { class: "selection-actions", "data-testid": "selection-actions", role: "toolbar", "aria-label": "Start a thread about the selection", hidden: true }, button("question", "Ask"), button("dispute", "Dispute"), button("note", "Note"));
  }
  show(visible: boolean): void {
    this.el.hidden = !visible;
  }
}
