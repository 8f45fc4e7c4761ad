/**
 * The Versions panel: the room's versions (internal people see all; customers the saved, exported and restored
 * ones), "Save version" (the rep), pick one (compared with the room now) or two (compared with each other), and
 * for the rep "Restore terms" / "Restore pricing" after a confirm step. The list follows the room: it reloads a
 * moment after the shared document changes and when the window regains focus.
 */
import { ApiError } from "../lib/api";
import { h } from "../lib/dom";
import { clockTime } from "../lib/when";
import { openCompare } from "./compare";
import { comparePair, reasonLabel } from "./compare-view";
import { versionsApi, type VersionSummary } from "./versions-api";
import "./versions.css";

export interface VersionsOptions {
  roomId: string;
  role: string;
  notify: (message: string, tone?: "info" | "error") => void;
}

const MAX_LABEL = 120;
const RELOAD_AFTER_CHANGE_MS = 1200;

export class VersionsPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly compareBtn: HTMLButtonElement;
  private readonly status: HTMLElement;
  private versions: VersionSummary[] = [];
  private picked: number[] = [];
  private confirming: { number: number; part: "terms" | "pricing" } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private readonly isRep: boolean;
  private readonly internal: boolean;

  constructor(private readonly opts: VersionsOptions) {
    this.isRep = opts.role === "rep";
    this.internal = ["rep", "legal", "approver"].includes(opts.role);
    this.list = h("ol", { class: "versions-list", "data-testid": "versions-list", "aria-label": "Versions" });
    this.status = h("p", { class: "muted versions-status", role: "status" }, "Loading versions…");
    this.compareBtn = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "versions-compare", disabled: true }, "Compare");
    this.compareBtn.addEventListener("click", () => void this.compare());
    this.el = h(
      "div",
      { class: "versions", "data-testid": "versions-panel" },
      this.isRep ? this.saveForm() : null,
      h("p", { class: "hint" }, "Pick one version to compare it with the deal now, or two to compare them."),
      this.status,
      this.list,
      h("div", { class: "versions-actions" }, this.compareBtn),
    );
    void this.load();
    window.addEventListener("focus", this.onFocus);
  }

  private readonly onFocus = () => void this.load();

  /** The shared document changed: reload the list a moment later (a submit or export keeps a version). */
  readonly changed = (): void => {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), RELOAD_AFTER_CHANGE_MS);
  };

  private saveForm(): HTMLElement {
    const input = h("input", { class: "input", name: "label", maxlength: MAX_LABEL, placeholder: "e.g. Offer sent 3 Dec", "data-testid": "version-label", "aria-label": "Version name" });
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const button = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "version-save" }, "Save version");
    const form = h("form", { class: "versions-save" }, h("div", { class: "versions-save-row" }, input, button), error);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const label = input.value.trim();
      error.hidden = true;
      if (!label) {
        error.textContent = "Name the version.";
        error.hidden = false;
        return;
      }
      button.disabled = true;
      versionsApi
        .save(this.opts.roomId, label)
        .then((saved) => {
          input.value = "";
          this.opts.notify(`Saved as version ${saved.number}.`);
          return this.load();
        })
        .catch((e: unknown) => {
          error.textContent = e instanceof ApiError ? e.detail : "The version could not be saved. Try again.";
          error.hidden = false;
        })
        .finally(() => {
          button.disabled = false;
        });
    });
    return form;
  }

  async load(): Promise<void> {
    try {
      const versions = await versionsApi.list(this.opts.roomId);
      if (this.destroyed) return;
      this.versions = versions;
      this.picked = this.picked.filter((n) => versions.some((v) => v.number === n));
      this.render();
    } catch (e) {
      if (this.destroyed) return;
      this.status.textContent = e instanceof ApiError ? e.detail : "The versions could not be loaded.";
    }
  }

  private render(): void {
    // Customers are not told of submits and decisions: approval state is the vendor's.
    const empty = this.internal ? "No versions yet. One is kept at each submit, decision and export." : "No versions yet.";
    this.status.textContent = this.versions.length ? "" : empty;
    this.status.hidden = this.versions.length > 0;
    const newestFirst = [...this.versions].reverse();
    this.list.replaceChildren(...newestFirst.map((v) => this.row(v)));
    const pair = comparePair(this.picked);
    this.compareBtn.disabled = pair === null;
    this.compareBtn.textContent = pair && pair.to === "current" ? `Compare version ${pair.from} with now` : pair ? `Compare versions ${pair.from} and ${pair.to}` : "Compare";
  }

  private row(v: VersionSummary): HTMLElement {
    const id = `version-pick-${v.number}`;
    const pick = h("input", { type: "checkbox", id, class: "version-pick", "data-testid": "version-pick", "data-number": v.number, checked: this.picked.includes(v.number) });
    pick.addEventListener("change", () => {
      this.picked = pick.checked ? [...this.picked.filter((n) => n !== v.number), v.number].slice(-2) : this.picked.filter((n) => n !== v.number);
      this.render();
    });
    const confirm = this.confirming?.number === v.number ? this.confirmStep(v.number, this.confirming.part) : null;
    return h(
      "li",
      { class: "version", "data-testid": "version", "data-number": v.number, "data-reason": v.reason },
      h(
        "div",
        { class: "version-main" },
        pick,
        h(
          "label",
          { for: id, class: "version-text" },
          h("span", { class: "version-title" }, h("span", { class: "version-number" }, `${v.number}`), " ", v.label),
          h("span", { class: "version-meta" }, `${reasonLabel(v)} · ${v.created_by.name || "—"} · ${clockTime(v.created_at)}`),
        ),
      ),
      this.isRep && !confirm
        ? h(
            "div",
            { class: "version-restore" },
            this.restoreButton(v.number, "terms", "Restore terms"),
            this.restoreButton(v.number, "pricing", "Restore pricing"),
          )
        : null,
      confirm,
    );
  }

  private restoreButton(number: number, part: "terms" | "pricing", text: string): HTMLElement {
    const b = h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": `version-restore-${part}` }, text);
    b.addEventListener("click", () => {
      this.confirming = { number, part };
      this.render();
    });
    return b;
  }

  private confirmStep(number: number, part: "terms" | "pricing"): HTMLElement {
    const yes = h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "version-restore-confirm" }, `Restore ${part}`);
    const no = h("button", { type: "button", class: "btn btn-small btn-secondary", "data-testid": "version-restore-cancel" }, "Cancel");
    no.addEventListener("click", () => {
      this.confirming = null;
      this.render();
    });
    yes.addEventListener("click", () => {
      yes.disabled = true;
      versionsApi
        .restore(this.opts.roomId, number, part)
        .then((kept) => {
          const back = part === "terms" ? "The terms of version N are back" : "The pricing of version N is back";
          this.opts.notify(`${back.replace("N", String(number))}, kept as version ${kept.number}.`);
          this.confirming = null;
          return this.load();
        })
        .catch((e: unknown) => {
          this.opts.notify(e instanceof ApiError ? e.detail : "The restore failed. Try again.", "error");
          this.confirming = null;
          this.render();
        });
    });
    const what = part === "terms" ? "the whole contract text" : "the lines, currency, term and billing";
    return h(
      "div",
      { class: "version-confirm", role: "group", "aria-label": "Confirm restore", "data-testid": "version-confirm" },
      h("p", {}, `Bring back ${what} of version ${number} as a new change? Nothing earlier is lost; prices and approvals are checked again.`),
      h("div", { class: "version-confirm-actions" }, yes, no),
    );
  }

  private async compare(): Promise<void> {
    const pair = comparePair(this.picked);
    if (!pair) return;
    this.compareBtn.disabled = true;
    try {
      const result = await versionsApi.compare(this.opts.roomId, pair.from, pair.to);
      if (!this.destroyed) openCompare(result, this.compareBtn);
    } catch (e) {
      this.opts.notify(e instanceof ApiError ? e.detail : "The versions could not be compared. Try again.", "error");
    } finally {
      this.compareBtn.disabled = comparePair(this.picked) === null;
    }
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    window.removeEventListener("focus", this.onFocus);
  }
}
