/**
 * Clauses in the room: the clause and variable views of the terms (for everyone), and for internal
 * roles "Insert clause" (writers: rep, legal) and the contract export. The picker and the export are
 * their own chunk (clauses/tools.ts), loaded only for internal roles.
 */
import type { AnyExtension, Editor } from "@tiptap/core";
import type * as Y from "yjs";
import type { RoomRole } from "../../lib/api";
import { clauseApi } from "../../lib/clauses";
import { h, icon } from "../../lib/dom";
import { canWriteTerms, isInternal } from "../permissions";
import { FreeTextCard } from "./free-text-card";
import { ClauseBoard } from "./views";

export interface RoomClausesOptions {
  roomId: string;
  role: RoomRole;
  notify(message: string, tone?: "info" | "error"): void;
  /** Opens a thread about a clause block. */
  discuss?(clauseId: string): void;
}

type Tools = typeof import("./tools");

export class RoomClauses {
  readonly board: ClauseBoard;
  /** Above the terms editor: "Insert clause" (internal writers only; empty otherwise). */
  readonly bar: HTMLElement;
  /** Below the terms editor: the contract export (internal roles only; empty otherwise). */
  readonly exportHost: HTMLElement;
  /** Above the terms editor, everyone: "Text outside the clauses" while it differs from the standard terms. */
  readonly freeText: FreeTextCard;
  private tools: Promise<Tools> | null = null;
  private exportPanel: { destroy(): void } | null = null;
  private destroyed = false;

  constructor(private readonly opts: RoomClausesOptions) {
    const internal = isInternal(opts.role);
    const writer = internal && canWriteTerms(opts.role);
    this.board = new ClauseBoard({
      internal,
      mayRewrite: writer,
      loadClause: internal ? (id) => clauseApi.get(id) : undefined,
      notify: opts.notify,
      discuss: opts.discuss,
    });
    this.freeText = new FreeTextCard({ internal });
    this.bar = h("div", { class: "clause-tools" });
    this.exportHost = h("div", { class: "export-host" });
    if (writer) {
      const insert = h("button", { type: "button", class: "btn btn-small btn-secondary clause-insert", "data-testid": "clause-insert", "aria-haspopup": "dialog" }, icon("plus", 16), "Insert clause");
      // Keep the editor's selection: the clause goes where the cursor was.
      insert.addEventListener("mousedown", (e) => e.preventDefault());
      insert.addEventListener("click", () => void this.openPicker(insert));
      this.bar.append(insert);
    }
    if (internal) {
      this.exportHost.append(h("p", { class: "muted" }, "Loading the export…"));
      void this.loadTools().then(
        (t) => {
          if (this.destroyed) return;
          this.exportPanel = t.mountExport(this.exportHost, {
            roomId: opts.roomId,
            notify: opts.notify,
            unset: { current: () => this.board.unset(), subscribe: (fn) => this.board.subscribe(fn) },
          });
        },
        () => this.exportHost.replaceChildren(h("p", { class: "field-error" }, "The export could not be loaded. Reload the page to try again.")),
      );
    }
  }

  get nodes(): AnyExtension[] {
    return this.board.nodes;
  }

  bind(editor: Editor, computed: Y.Map<unknown>): void {
    this.board.bind(editor, computed);
    this.freeText.bind(computed);
  }

  unbind(): void {
    this.board.unbind();
    this.freeText.unbind();
  }

  /** Internal people: follow the internal doc the approval panel inside `scope` announces (who approves). */
  follow(scope: HTMLElement): void {
    this.freeText.follow(scope);
  }

  destroy(): void {
    this.destroyed = true;
    this.board.unbind();
    this.freeText.destroy();
    this.exportPanel?.destroy();
  }

  private loadTools(): Promise<Tools> {
    this.tools ??= import("./tools");
    this.tools.catch(() => (this.tools = null));
    return this.tools;
  }

  private async openPicker(opener: HTMLElement): Promise<void> {
    let t: Tools;
    try {
      t = await this.loadTools();
    } catch {
      this.opts.notify("The clause picker could not be loaded. Check your connection.", "error");
      return;
    }
    if (this.destroyed) return;
    t.openPicker({
      opener,
      insert: (clause, version, text) => {
        const editor = this.board.editor;
        if (!editor || !editor.isEditable) return false;
        return t.insertClause(editor, clause, version, text, this.board.touched);
      },
      notify: this.opts.notify,
    });
  }
}
