/**
 * The clause blocks of the terms, live: each `clause` node shows its status from the server's
 * `computed.clauses` (the n-th clause node of the document is entry n) as a chip next to the block,
 * and on tap a panel with the word diff against the library text. Internal people also see the
 * fallbacks legal allows, with their notes and who approves a deviation; those who may write the
 * terms (rep, legal) swap in a fallback, restore the standard text or upgrade the block to a newer
 * version in one tap. Each `variable` node shows the variable's current value (`computed.variables`).
 *
 * Customers get the chip and the diff only: the library (`/api/clauses`) is never asked for them,
 * and the shared doc carries no fallback, note or approver.
 */
import "../../lib/clause-render.css";
import "./clauses.css";
import type { AnyExtension, Editor, NodeViewRendererProps } from "@tiptap/core";
import { KeepClausePins } from "./pins";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Fragment } from "@tiptap/pm/model";
import type { EditorView, NodeView } from "@tiptap/pm/view";
import type * as Y from "yjs";
import { ApiError } from "../../lib/api";
import { clauseText, diffChanges, diffView, variableChip } from "../../lib/clause-render";
import {
  approverLabel,
  bodyJSON,
  readChecks,
  readVariables,
  statusLabel,
  versionNumber,
  versionOf,
  type Clause,
  type ClauseCheck,
  type ClauseStatus,
  type ClauseVersion,
  type DiffOp,
} from "../../lib/clauses";
import { h, icon, uid } from "../../lib/dom";
import { Clause as ClauseNode } from "../editor";
import { FreeTextMarks, feedStandardTerms } from "./free-text-marks";
import { blockText, changedParagraphs, planUpgrade } from "./upgrade";
import { Variable } from "./variable-node";

export interface BoardOptions {
  /** Internal people: the library's fallbacks, notes and approvers are fetched for them. */
  internal: boolean;
  /** May rewrite clause blocks (rep, legal): fallbacks, restore, upgrade. */
  mayRewrite: boolean;
  /** The library clause (internal only). */
  loadClause?(id: string): Promise<Clause>;
  notify(message: string, tone?: "info" | "error"): void;
  /** Opens a thread about a clause block ("Discuss" on its bar; thread-sheet.ts); absent: no button. */
  discuss?(clauseId: string): void;
}

type ChipStatus = ClauseStatus | "pending";

/** The state of the terms' clause blocks and variables, shared by their node views. */
export class ClauseBoard {
  checks: ClauseCheck[] = [];
  variables = new Map<string, string>();
  editor: Editor | null = null;
  /** The editor has had the focus since it was bound: its selection is where the person wants things. */
  touched = false;
  private computed: Y.Map<unknown> | null = null;
  private readonly clauseViews = new Set<ClauseView>();
  private readonly variableViews = new Set<VariableView>();
  /** Clause ids whose panel is open (kept when a node view is re-created). */
  readonly open = new Set<string>();
  private readonly library = new Map<string, Promise<Clause>>();
  private scheduled = false;
  private readonly extensions: AnyExtension[];
  private readonly listeners = new Set<() => void>();
  private stopMarks: (() => void) | null = null;

  constructor(readonly opts: BoardOptions) {
    const board = this;
    this.extensions = [
      ClauseNode.extend({
        addNodeView() {
          return (props: NodeViewRendererProps) => new ClauseView(props, board);
        },
      }),
      Variable.extend({
        addNodeView() {
          return (props: NodeViewRendererProps) => new VariableView(props.node, board);
        },
      }),
      FreeTextMarks,
      ...(opts.internal ? [] : [KeepClausePins]),
    ];
  }

  /** The editor's `clause` and `variable` nodes with these views, and the marks on non-standard text outside them. */
  get nodes(): AnyExtension[] {
    return this.extensions;
  }

  bind(editor: Editor, computed: Y.Map<unknown>): void {
    this.unbind();
    this.editor = editor;
    this.computed = computed;
    this.touched = false;
    computed.observe(this.onComputed);
    editor.on("transaction", this.onTransaction);
    editor.on("focus", this.onFocus);
    this.stopMarks = feedStandardTerms(editor, computed);
    this.onComputed();
  }

  unbind(): void {
    this.computed?.unobserve(this.onComputed);
    this.editor?.off("transaction", this.onTransaction);
    this.editor?.off("focus", this.onFocus);
    this.stopMarks?.();
    this.stopMarks = null;
    this.computed = null;
    this.editor = null;
  }

  private readonly onComputed = (): void => {
    this.checks = readChecks(this.computed?.get("clauses"));
    this.variables = readVariables(this.computed?.get("variables"));
    for (const v of this.variableViews) v.render();
    this.schedule();
  };

  private readonly onFocus = (): void => {
    this.touched = true;
  };

  private readonly onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }): void => {
    if (transaction.docChanged) this.schedule();
  };

  /** Re-render the clause views once the current work is done (their order may have changed). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.refresh();
    });
  }

  refresh(): void {
    for (const view of this.clauseViews) {
      const index = view.index();
      view.render(index === null ? undefined : this.checks[index]);
    }
    for (const listener of this.listeners) listener();
  }

  /** The variables the terms use that have no value yet, in document order (export lists them). */
  unset(): string[] {
    const out: string[] = [];
    this.editor?.state.doc.descendants((node) => {
      const name = node.type.name === "variable" ? String(node.attrs.name ?? "") : "";
      if (name && !this.variables.get(name) && !out.includes(name)) out.push(name);
      return true;
    });
    return out;
  }

  /** Called whenever the terms or the server's verdicts change. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addClause(v: ClauseView): void {
    this.clauseViews.add(v);
    this.schedule();
  }
  removeClause(v: ClauseView): void {
    this.clauseViews.delete(v);
  }
  addVariable(v: VariableView): void {
    this.variableViews.add(v);
  }
  removeVariable(v: VariableView): void {
    this.variableViews.delete(v);
  }

  /**
   * The library clause, once per page (published versions never change), fetched again when it lacks
   * `need` (legal has published a newer version since).
   */
  clause(id: string, need?: number | null): Promise<Clause> | null {
    if (!this.opts.internal || !this.opts.loadClause || !id) return null;
    const found = this.library.get(id) ?? this.load(id);
    return need ? found.then((c) => (versionOf(c, need) ? c : this.load(id))) : found;
  }

  private load(id: string): Promise<Clause> {
    const found = this.opts.loadClause!(id);
    this.library.set(id, found);
    found.catch(() => this.library.delete(id)); // a failure is retried on the next open
    return found;
  }

  /** Forget a cached library clause (after legal published a version, say). */
  forget(id: string): void {
    this.library.delete(id);
  }
}

/** The document positions of the clause nodes, in document order. */
function clausePositions(doc: PMNode): number[] {
  const out: number[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === "clause") out.push(pos);
    return true;
  });
  return out;
}

class ClauseView implements NodeView {
  readonly dom: HTMLElement;
  readonly contentDOM: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly chip: HTMLButtonElement;
  private readonly chipText: HTMLElement;
  private readonly extra: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly panelId = uid("clause-panel");
  private node: PMNode;
  private readonly view: EditorView;
  private readonly getPos: () => number | undefined;
  private check: ClauseCheck | undefined;
  /** What the panel was last drawn from, so that it is not redrawn (and loses focus) for nothing. */
  private drawn = "";
  private alive = true;
  /** The person asked for the upgrade before the library's versions had loaded. */
  private upgradeWanted = false;

  constructor(
    props: NodeViewRendererProps,
    private readonly board: ClauseBoard,
  ) {
    this.node = props.node;
    this.view = props.view;
    this.getPos = props.getPos;
    this.chipText = h("span", { class: "clause-chip-text" }, statusLabel("pending"));
    this.chip = h(
      "button",
      { type: "button", class: "clause-chip", "data-testid": "clause-status", "data-status": "pending", "aria-expanded": "false", "aria-controls": this.panelId },
      h("span", { class: "clause-chip-dot", "aria-hidden": "true" }),
      this.chipText,
      icon("next", 14),
    );
    this.chip.addEventListener("click", () => this.toggle());
    this.extra = h("span", { class: "clause-bar-extra" });
    const discuss = board.opts.discuss
      ? h("button", { type: "button", class: "btn btn-small btn-secondary discuss-btn", "data-testid": "clause-discuss", "aria-label": "Discuss this clause" }, "Discuss")
      : null;
    discuss?.addEventListener("click", () => {
      const id = this.node.attrs.clauseId;
      if (typeof id === "string" && id) board.opts.discuss?.(id);
    });
    this.bar = h("div", { class: "clause-bar", contenteditable: "false" }, this.chip, this.extra, discuss);
    this.contentDOM = h("div", { class: "clause-body" });
    this.panel = h("div", { class: "clause-panel", id: this.panelId, "data-testid": "clause-panel", contenteditable: "false", hidden: true, role: "region" });
    this.dom = h("section", { class: "clause" }, this.bar, this.contentDOM, this.panel);
    this.attrs();
    board.addClause(this);
  }

  private get clauseId(): string {
    return String(this.node.attrs.clauseId ?? "");
  }

  private get version(): number | null {
    return versionNumber(this.node.attrs.version);
  }

  private attrs(): void {
    if (this.clauseId) this.dom.dataset.clauseId = this.clauseId;
    else delete this.dom.dataset.clauseId;
    const v = this.version;
    if (v) this.dom.dataset.version = String(v);
    else delete this.dom.dataset.version;
  }

  /** This block's place among the clause blocks (its entry in `computed.clauses`). */
  index(): number | null {
    const pos = this.getPos();
    if (typeof pos !== "number") return null;
    const i = clausePositions(this.view.state.doc).indexOf(pos);
    return i < 0 ? null : i;
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.attrs();
    this.board.schedule();
    return true;
  }

  stopEvent(event: Event): boolean {
    const t = event.target as globalThis.Node | null;
    return !!t && (this.bar.contains(t) || this.panel.contains(t));
  }

  ignoreMutation(m: MutationRecord | { type: "selection"; target: globalThis.Node }): boolean {
    if (m.type === "selection") return false;
    return !this.contentDOM.contains(m.target);
  }

  destroy(): void {
    this.alive = false;
    this.board.removeClause(this);
  }

  private status(): { status: ChipStatus; rank: number | null } {
    const c = this.check;
    // Until the server has checked this very block (a new or moved one), say so rather than guess.
    if (!c || (c.clause_id && this.clauseId && c.clause_id !== this.clauseId)) return { status: "pending", rank: null };
    return { status: c.status, rank: c.fallback_rank };
  }

  render(check: ClauseCheck | undefined): void {
    if (!this.alive) return;
    this.check = check;
    const { status, rank } = this.status();
    this.chip.dataset.status = status;
    this.dom.dataset.status = status;
    this.chipText.textContent = statusLabel(status, rank);
    this.chip.setAttribute("aria-label", `${statusLabel(status, rank)}: ${this.open ? "hide" : "show"} the comparison with the library`);
    const newer = this.newerVersion();
    this.extra.replaceChildren(newer ? this.newerButton(newer) : "");
    this.chip.setAttribute("aria-expanded", String(this.open));
    this.panel.hidden = !this.open;
    if (this.open) this.drawPanel();
  }

  /** "Version 2 available" is the way to the upgrade: it opens the panel at the upgrade section. */
  private newerButton(newer: number): HTMLElement {
    const b = h("button", { type: "button", class: "clause-newer", "data-testid": "clause-newer", "aria-controls": this.panelId }, `Version ${newer} available`);
    b.addEventListener("click", () => {
      if (!this.open) this.toggle();
      this.upgradeWanted = true;
      this.focusUpgrade();
    });
    return b;
  }

  /** Bring the upgrade section into view once the library's versions are drawn. */
  private focusUpgrade(): void {
    const section = this.panel.querySelector<HTMLElement>("[data-testid=clause-upgrade-section]");
    if (!section) return;
    this.upgradeWanted = false;
    section.scrollIntoView({ block: "nearest", behavior: "smooth" });
    section.querySelector<HTMLButtonElement>("button")?.focus({ preventScroll: true });
  }

  private get open(): boolean {
    return !!this.clauseId && this.board.open.has(this.clauseId);
  }

  private newerVersion(): number | null {
    const c = this.check;
    const v = this.version;
    if (!this.board.opts.internal || !c || !c.latest_version || !v || c.clause_id !== this.clauseId) return null;
    return c.latest_version > v ? c.latest_version : null;
  }

  private toggle(): void {
    if (!this.clauseId) return;
    if (this.open) this.board.open.delete(this.clauseId);
    else this.board.open.add(this.clauseId);
    this.drawn = "";
    this.render(this.check);
    if (this.open) this.panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  private drawPanel(): void {
    const { status, rank } = this.status();
    const key = JSON.stringify([this.check, this.version, [...this.board.variables]]);
    if (key === this.drawn) return;
    this.drawn = key;
    const c = this.check;
    const title = c?.title || this.node.firstChild?.textContent || "Clause";
    const close = h("button", { type: "button", class: "icon-btn clause-panel-close", "aria-label": "Close the comparison" }, icon("close", 18));
    close.addEventListener("click", () => this.toggle());
    const head = h(
      "div",
      { class: "clause-panel-head" },
      h("div", { class: "clause-panel-heading" }, h("p", { class: "clause-panel-title" }, title), h("p", { class: "clause-panel-sub" }, this.version ? `Library version ${this.version}` : "Not pinned to a library version")),
      close,
    );
    const parts: (HTMLElement | null)[] = [head];
    if (status === "pending") {
      parts.push(h("p", { class: "muted" }, "Checking this clause against the library…"));
    } else {
      parts.push(h("p", { class: `clause-summary is-${status}` }, summary(status, rank)));
      if (c?.reason) parts.push(h("p", { class: "clause-reason" }, c.reason));
      if (status !== "unknown" && c && c.diff.length) {
        parts.push(
          h("h4", { class: "clause-panel-subhead" }, diffChanges(c.diff) ? "Changes against the library text" : "The library text"),
          diffView(c.diff, this.textOptions),
          diffChanges(c.diff) ? h("p", { class: "diff-legend" }, h("del", { class: "diff-del" }, "struck"), " removed · ", h("ins", { class: "diff-ins" }, "underlined"), " added") : null,
        );
      }
    }
    const internalHost = this.board.opts.internal && status !== "pending" ? h("div", { class: "clause-internal" }) : null;
    parts.push(internalHost);
    this.panel.replaceChildren(...parts.filter((p): p is HTMLElement => !!p));
    if (internalHost) this.drawInternal(internalHost, status, rank);
  }

  /** Fallbacks with their notes, who approves a deviation, and the writer's one-tap actions. */
  private drawInternal(host: HTMLElement, status: ChipStatus, rank: number | null): void {
    const found = this.board.clause(this.clauseId, Math.max(this.version ?? 0, this.newerVersion() ?? 0) || null);
    if (!found) {
      host.replaceChildren(status === "unknown" ? h("p", { class: "muted" }, "This clause is not in the library.") : "");
      return;
    }
    host.replaceChildren(h("p", { class: "muted", role: "status" }, "Loading the library’s fallbacks…"));
    const drawnFor = this.drawn;
    found.then(
      (clause) => {
        if (!this.alive || this.drawn !== drawnFor) return;
        host.replaceChildren(...this.internalParts(clause, status, rank));
        if (this.upgradeWanted) this.focusUpgrade();
      },
      (e: unknown) => {
        if (!this.alive || this.drawn !== drawnFor) return;
        const missing = e instanceof ApiError && e.status === 404;
        host.replaceChildren(h("p", { class: missing ? "muted" : "field-error" }, missing ? "This clause is not in the library." : "The library’s fallbacks could not be loaded."));
      },
    );
  }

  private internalParts(clause: Clause, status: ChipStatus, rank: number | null): HTMLElement[] {
    const pinned = versionOf(clause, this.version);
    const out: HTMLElement[] = [];
    const write = this.board.opts.mayRewrite && this.view.editable;
    const valueFor = (name: string) => this.board.variables.get(name);
    if (!pinned) {
      out.push(h("p", { class: "muted" }, `Version ${this.version ?? "?"} of this clause is not in the library.`));
    } else {
      out.push(
        h(
          "p",
          { class: "clause-approver", "data-testid": "clause-approver" },
          icon("lock", 14),
          `Internal · A deviation needs approval from ${approverLabel(pinned.deviation_approval)}.`,
        ),
      );
      const fallbacks = [...pinned.fallbacks].sort((a, b) => a.rank - b.rank);
      out.push(h("h4", { class: "clause-panel-subhead" }, fallbacks.length ? "Fallbacks legal allows" : "Legal allows no fallbacks for this clause"));
      if (fallbacks.length) {
        out.push(
          h(
            "ol",
            { class: "fallbacks" },
            fallbacks.map((f) => {
              const inUse = status === "fallback" && rank === f.rank;
              const use = write && !inUse ? h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": "clause-use-fallback", "data-rank": f.rank }, "Use this wording") : null;
              use?.addEventListener("click", () => this.replaceBody(f.text, null, `Fallback ${f.rank} wording is in place.`));
              return h(
                "li",
                { class: `fallback${inUse ? " is-in-use" : ""}`, "data-testid": "clause-fallback", "data-rank": f.rank },
                h("div", { class: "fallback-head" }, h("span", { class: "fallback-rank" }, `Fallback ${f.rank}`), inUse ? h("span", { class: "fallback-in-use" }, icon("check", 14), "In use") : null),
                clauseText(f.text, { valueFor }),
                f.when_to_use ? h("p", { class: "fallback-when" }, h("strong", {}, "When to use: "), f.when_to_use) : null,
                use,
              );
            }),
          ),
        );
      }
    }
    const actions: HTMLElement[] = [];
    if (write && pinned && status !== "standard") {
      const restore = h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": "clause-restore" }, icon("undo", 16), "Restore standard");
      restore.addEventListener("click", () => this.replaceBody(pinned.text, null, "The standard wording is back."));
      actions.push(restore);
    }
    const newer = this.newerVersion();
    const latest = newer ? versionOf(clause, newer) : undefined;
    if (write && latest && latest.status === "published" && pinned) {
      out.push(this.upgradeSection(pinned, latest));
    } else if (newer) {
      out.push(h("p", { class: "muted" }, `Version ${newer} of this clause is published.`));
    }
    if (actions.length) out.push(h("div", { class: "clause-actions" }, actions));
    return out;
  }

  /**
   * Upgrade to legal's newer version: what legal changed (vN → vM), what this room changed in vN, and
   * the choice to re-apply the room's edits on vM (the default) or take vM's standard text.
   */
  private upgradeSection(pinned: ClauseVersion, latest: ClauseVersion): HTMLElement {
    const current = this.currentNode();
    const plan = planUpgrade(pinned.text, current ? blockText(current) : pinned.text, latest.text);
    const from = `v${pinned.number}`;
    const to = `v${latest.number}`;
    const parts: (HTMLElement | null)[] = [
      h("h4", { class: "clause-panel-subhead" }, `Version ${latest.number} is published: ${from} → ${to}`),
      h("p", { class: "upgrade-label" }, "What legal changed"),
      ...(diffChanges(plan.library) ? this.diffs(plan.library) : [h("p", { class: "muted" }, "Only the version number.")]),
    ];
    const keep = h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "clause-upgrade" }, plan.roomEdited ? `Upgrade to ${to}, keep this room’s edits` : `Upgrade to version ${latest.number}`);
    keep.addEventListener("click", () => this.replaceBody(plan.merged, latest.number, plan.roomEdited ? `Upgraded to version ${latest.number}; this room’s edits are kept.` : `Upgraded to version ${latest.number}.`));
    const actions: HTMLElement[] = [keep];
    if (plan.roomEdited) {
      parts.push(h("p", { class: "upgrade-label" }, `What this room changed in ${from}`), ...this.diffs(plan.room));
      if (plan.conflicts) {
        parts.push(
          h(
            "p",
            { class: "field-error", "data-testid": "clause-upgrade-conflicts" },
            `${plan.conflicts === 1 ? "In one place" : `In ${plan.conflicts} places`} legal and this room changed the same words: the room’s wording is kept there. Check it after the upgrade.`,
          ),
        );
      }
      const standard = h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": "clause-upgrade-standard" }, `Take ${to} as it is (drops this room’s edits)`);
      standard.addEventListener("click", () => this.replaceBody(latest.text, latest.number, `Upgraded to version ${latest.number} as published.`));
      actions.push(standard);
    }
    parts.push(h("div", { class: "clause-actions" }, actions));
    return h("section", { class: "clause-upgrade", "data-testid": "clause-upgrade-section", "aria-label": `Upgrade to version ${latest.number}` }, parts.filter((p): p is HTMLElement => !!p));
  }

  /** Variables in diffs read as their values (or "[start date]"), never as `{{keys}}`. */
  private get textOptions(): { valueFor(name: string): string | undefined } {
    return { valueFor: (name) => this.board.variables.get(name) };
  }

  private diffs(ops: DiffOp[]): HTMLElement[] {
    return changedParagraphs(ops).map((paragraph) => diffView(paragraph, this.textOptions));
  }

  private currentNode(): PMNode | null {
    const pos = this.getPos();
    const node = typeof pos === "number" ? this.view.state.doc.nodeAt(pos) : null;
    return node && node.type.name === "clause" ? node : null;
  }

  /** Replace the block's body (everything after its heading) with `text`; pin `version` if given. */
  private replaceBody(text: string, version: number | null, done: string): void {
    const pos = this.getPos();
    const { state } = this.view;
    const node = typeof pos === "number" ? state.doc.nodeAt(pos) : null;
    if (typeof pos !== "number" || !node || node.type.name !== "clause" || !this.view.editable) return;
    const schema = state.schema;
    let body: Fragment;
    try {
      body = Fragment.fromArray(bodyJSON(text).map((json) => schema.nodeFromJSON(json)));
    } catch {
      this.board.opts.notify("That wording could not be put into the terms.", "error");
      return;
    }
    const first = node.firstChild;
    const keepsHeading = first?.type.name === "heading";
    const from = pos + 1 + (keepsHeading ? first!.nodeSize : 0);
    const to = pos + node.nodeSize - 1;
    const content = keepsHeading ? body : Fragment.from(schema.nodes.heading.create({ level: 2 }, schema.text(this.check?.title || "Clause"))).append(body);
    const tr = state.tr.replaceWith(from, to, content);
    if (version !== null) tr.setNodeMarkup(pos, undefined, { ...node.attrs, version });
    this.view.dispatch(tr.scrollIntoView());
    this.board.opts.notify(done);
  }
}

function summary(status: ChipStatus, rank: number | null): string {
  switch (status) {
    case "standard":
      return "Matches the library’s standard wording.";
    case "fallback":
      return `Uses fallback ${rank ?? ""} wording that legal has approved in advance.`.replace("  ", " ");
    case "non_standard":
      return "Differs from the library’s wording: it needs approval before export.";
    case "unknown":
      return "This clause is not in the library, so it cannot be compared.";
    default:
      return "";
  }
}

/** A variable: its current value from `computed.variables`, or its name while it has none. */
class VariableView implements NodeView {
  readonly dom: HTMLElement;
  constructor(
    private node: PMNode,
    private readonly board: ClauseBoard,
  ) {
    this.dom = h("span", { class: "variable", contenteditable: "false", "data-testid": "clause-variable" });
    this.render();
    board.addVariable(this);
  }
  render(): void {
    const name = String(this.node.attrs.name ?? "");
    const chip = variableChip(name, { valueFor: (n) => this.board.variables.get(n) });
    this.dom.dataset.variable = name;
    this.dom.className = `variable ${chip.className}`;
    this.dom.title = chip.title;
    this.dom.textContent = chip.textContent;
  }
  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    return true;
  }
  ignoreMutation(): boolean {
    return true;
  }
  destroy(): void {
    this.board.removeVariable(this);
  }
}
