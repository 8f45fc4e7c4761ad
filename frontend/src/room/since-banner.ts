/**
 * "Since you last looked (3 Dec, 14:02): 2 changes by Rita Rep": on opening the room, what changed since the
 * person's last look (GET /api/rooms/{id}/since-last-seen), with the changed clauses, lines and deal fields
 * marked in the room until dismissed. After showing it (or on a first visit) the look is recorded
 * (POST .../seen), so the next visit starts from here. Customers get no approval state in any of it: the
 * server sends them none.
 */
import { h, icon } from "../lib/dom";
import { bannerText, changeList } from "./compare-view";
import { versionsApi, type CompareResult } from "./versions-api";
import "./versions.css";

export const MARK = "since-changed";

/**
 * The room's own elements a compare names as changed: lines by id, deal fields by key. (Terms blocks are marked
 * by `termsStyle`: the editor's DOM belongs to ProseMirror, which redraws a node whose attributes it did not set.)
 */
export function changedTargets(root: ParentNode, result: CompareResult): Element[] {
  const found: Element[] = [];
  for (const line of result.lines) {
    if (line.status === "changed" || line.status === "added") {
      const row = root.querySelector(`[data-line-id="${CSS.escape(line.id)}"]`);
      if (row) found.push(row);
    }
  }
  for (const field of result.deal) {
    if (!field.changed) continue;
    const control = root.querySelector(`[data-testid="deal-${CSS.escape(field.field)}"]`);
    const box = control?.closest(".field") ?? control;
    if (box) found.push(box);
  }
  return found;
}

/** CSS marking the changed and added top-level blocks of the terms editor, by position. */
export function termsStyle(result: CompareResult): string {
  const positions = result.terms.filter((b) => (b.status === "changed" || b.status === "added") && b.position !== null).map((b) => b.position as number);
  if (!positions.length) return "";
  const selector = positions.map((p) => `.room-layout .ProseMirror > :nth-child(${p + 1})`).join(",\n");
  return `${selector} {\n  box-shadow: -4px 0 0 var(--warning);\n  background: var(--warning-50);\n}`;
}

export class SinceBanner {
  readonly el: HTMLElement;
  private result: CompareResult | null = null;
  private observer: MutationObserver | null = null;
  private frame = 0;
  private style: HTMLStyleElement | null = null;

  constructor(
    private readonly roomId: string,
    private readonly room: HTMLElement,
  ) {
    this.el = h("div", { class: "since-banner", "data-testid": "since-banner", role: "status", hidden: true });
  }

  /** Ask what changed; show it; record this look. */
  async start(): Promise<void> {
    let seen;
    try {
      seen = await versionsApi.sinceLastSeen(this.roomId);
    } catch {
      return; // the room works without the banner; the next visit asks again
    }
    const text = bannerText(seen);
    if (text && seen.compare) {
      this.show(text, seen.compare);
    }
    try {
      await versionsApi.seen(this.roomId);
    } catch {
      // Not recorded: the next visit shows these changes again, which is the safe side.
    }
  }

  private show(text: string, result: CompareResult): void {
    this.result = result;
    const items = changeList(result);
    const close = h("button", { type: "button", class: "icon-btn since-close", "data-testid": "since-dismiss", "aria-label": "Dismiss" }, icon("close", 18));
    close.addEventListener("click", () => this.dismiss());
    this.el.replaceChildren(
      h(
        "div",
        { class: "since-body" },
        h("p", { class: "since-text", "data-testid": "since-text" }, text),
        items.length ? h("ul", { class: "since-list", "data-testid": "since-list" }, items.slice(0, 8).map((item) => h("li", {}, item))) : null,
        items.length > 8 ? h("p", { class: "muted" }, `and ${items.length - 8} more`) : null,
      ),
      close,
    );
    this.el.hidden = false;
    const css = termsStyle(result);
    if (css) {
      this.style = h("style", { "data-testid": "since-highlights" }, css);
      document.head.append(this.style);
    }
    this.mark();
    // The editor and the lines render as the room syncs (and re-render on remote edits): mark them as they come.
    this.observer = new MutationObserver(() => {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.mark());
    });
    this.observer.observe(this.room, { childList: true, subtree: true });
  }

  private mark(): void {
    if (!this.result) return;
    for (const el of changedTargets(this.room, this.result)) {
      if (!el.classList.contains(MARK)) {
        el.classList.add(MARK);
        el.setAttribute("data-since", "changed");
      }
    }
  }

  dismiss(): void {
    this.result = null;
    this.observer?.disconnect();
    this.observer = null;
    cancelAnimationFrame(this.frame);
    this.el.hidden = true;
    this.style?.remove();
    this.style = null;
    for (const el of Array.from(this.room.querySelectorAll(`.${MARK}`))) {
      el.classList.remove(MARK);
      el.removeAttribute("data-since");
    }
  }

  destroy(): void {
    this.style?.remove();
    this.observer?.disconnect();
    cancelAnimationFrame(this.frame);
  }
}
