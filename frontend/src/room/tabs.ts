/**
 * Section tabs of the room on narrow screens (Terms, Pricing, Deal, Internal). On wide screens the
 * stylesheet shows every panel side by side and hides the tab bar. Arrow keys move between tabs
 * (WAI-ARIA tabs pattern, automatic activation). The chosen tab is kept in the URL's hash.
 */
import { h } from "../lib/dom";

export interface TabItem {
  id: string;
  label: string;
  panel: HTMLElement;
  /** More panels shown with this tab (the Internal tab shows the rep panel and the notes). */
  also?: HTMLElement[];
}

export class Tabs {
  readonly el: HTMLElement;
  private readonly buttons: HTMLButtonElement[];
  private current = "";

  constructor(private readonly items: TabItem[]) {
    this.buttons = items.map((item) => {
      const b = h("button", {
        type: "button",
        role: "tab",
        id: `tab-${item.id}`,
        class: "tab",
        "data-testid": `tab-${item.id}`,
        "aria-controls": [item.panel, ...(item.also ?? [])].map((p) => p.id).join(" "),
      }, item.label);
      b.addEventListener("click", () => this.select(item.id, true));
      return b;
    });
    this.el = h("nav", { class: "tabs", "aria-label": "Room sections" }, h("div", { class: "tablist", role: "tablist", "aria-label": "Room sections" }, this.buttons));
    this.el.addEventListener("keydown", this.onKey);
    const fromHash = location.hash.slice(1);
    this.select(items.some((i) => i.id === fromHash) ? fromHash : items[0].id, false);
  }

  private readonly onKey = (event: KeyboardEvent) => {
    const i = this.buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const n = this.buttons.length;
    const j = event.key === "ArrowRight" ? (i + 1) % n : event.key === "ArrowLeft" ? (i - 1 + n) % n : event.key === "Home" ? 0 : event.key === "End" ? n - 1 : -1;
    if (j < 0) return;
    event.preventDefault();
    this.select(this.items[j].id, true);
    this.buttons[j].focus();
  };

  select(id: string, remember: boolean): void {
    this.current = id;
    this.items.forEach((item, i) => {
      const on = item.id === id;
      this.buttons[i].setAttribute("aria-selected", String(on));
      this.buttons[i].tabIndex = on ? 0 : -1;
      for (const panel of [item.panel, ...(item.also ?? [])]) panel.classList.toggle("is-active", on);
    });
    if (remember) history.replaceState(history.state, "", `${location.pathname}${location.search}#${id}`);
  }

  get selected(): string {
    return this.current;
  }

  destroy(): void {
    this.el.removeEventListener("keydown", this.onKey);
  }
}
