/**
 * Two-way binding of one form control to one value in a Y type.
 *
 * Typing commits after a short pause and on `change` (blur or Enter). While a person is typing in
 * a control, remote changes do not overwrite what they typed; the control shows the shared value
 * again when they leave it. A value equal to the stored one is not written: every write is an
 * update the server must check and relay.
 *
 * A value that cannot be stored (a quantity of -5, a discount of 150) is refused in words next to
 * the control (`message`; the control gets `aria-invalid` and `aria-describedby`), nothing is
 * written, and what the person typed stays in the control until they fix it or press Escape.
 */
import { debounce, h, uid } from "../lib/dom";

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A value the control holds that cannot be stored, and why (shown next to the control). */
export class Invalid {
  constructor(readonly message: string) {}
}

export function invalid(message: string): Invalid {
  return new Invalid(message);
}

export interface ValueSpec<T> {
  /** The parsed value, or why the text cannot be stored (`undefined`: invalid, no reason given). */
  parse(raw: string): T | undefined | typeof CLEAR | Invalid;
  format(value: T | undefined): string;
  read(): T | undefined;
  write(value: T | typeof CLEAR): void;
  /** Re-checked at commit time: the right to write may have changed since the control was drawn. */
  mayWrite(): boolean;
}

/** Parsed from an empty control whose value may be removed. */
export const CLEAR = Symbol("clear");

export const COMMIT_DELAY_MS = 400;

const UNSAVED = "This value cannot be saved.";

export class FieldBinding<T> {
  /** True from the first keystroke after focus until the control is left. */
  editing = false;
  /** Why the control's text was refused; the owner places it in the control's field. */
  readonly message: HTMLElement;
  private problem: string | null = null;
  private readonly commitLater: ReturnType<typeof debounce<[]>>;

  constructor(
    readonly control: Control,
    private readonly spec: ValueSpec<T>,
    delayMs = COMMIT_DELAY_MS,
  ) {
    this.message = h("p", { class: "field-problem", id: uid("problem"), role: "alert", hidden: true });
    this.commitLater = debounce(() => this.commit(true), delayMs);
    control.addEventListener("input", this.onInput);
    control.addEventListener("change", this.onChange);
    control.addEventListener("blur", this.onBlur);
    control.addEventListener("keydown", this.onKeydown as EventListener);
    this.refresh();
  }

  private readonly onInput = () => {
    if (!this.writable) return;
    this.editing = true;
    // A refusal goes as soon as the text is fixed; a new one waits for the pause or the change.
    if (this.problem !== null && !this.refusal()) this.clearProblem();
    this.commitLater();
  };

  private readonly onChange = () => {
    if (!this.writable) return;
    this.commitLater.cancel();
    this.commit();
    // A committed control shows the shared value again (as typed, unless it was refused).
    if (!this.hasUnsavedChange()) this.editing = false;
  };

  private readonly onBlur = () => {
    this.commitLater.flush();
    this.editing = false;
    this.refresh();
  };

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && (this.editing || this.problem !== null)) {
      this.commitLater.cancel();
      this.revert();
    }
  };

  get writable(): boolean {
    const c = this.control;
    return !(c instanceof HTMLSelectElement ? c.disabled : c.readOnly || c.disabled);
  }

  /** The refusal shown next to the control, or null. */
  get refused(): string | null {
    return this.problem;
  }

  /** Why the control's text cannot be stored, or null when it can. */
  private refusal(): string | null {
    const parsed = this.spec.parse(this.control.value);
    return parsed instanceof Invalid ? parsed.message : parsed === undefined ? UNSAVED : null;
  }

  /**
   * Write the control's value if it is valid, allowed and different from the stored one; else say
   * why next to the control. After a pause in typing (`paused`) an emptied control is not refused
   * yet: the person is most likely about to type the new value.
   */
  commit(paused = false): void {
    const parsed = this.spec.parse(this.control.value);
    if (parsed === undefined || parsed instanceof Invalid) {
      if (paused && this.control.value.trim() === "" && this.problem === null) return;
      this.showProblem(parsed instanceof Invalid ? parsed.message : UNSAVED);
      return;
    }
    this.clearProblem();
    if (!this.spec.mayWrite()) return;
    const current = this.spec.read();
    if (parsed === CLEAR ? current === undefined : Object.is(parsed, current)) return;
    this.spec.write(parsed);
  }

  /** Has the person typed a value that differs from the stored one (or one that was refused)? */
  hasUnsavedChange(): boolean {
    if (this.problem !== null) return true;
    if (!this.editing) return false;
    const parsed = this.spec.parse(this.control.value);
    const current = this.spec.read();
    return parsed === CLEAR ? current !== undefined : !Object.is(parsed, current);
  }

  /** Show the stored value, unless the person is typing in this control or has a refused value in it. */
  refresh(): void {
    if (this.problem !== null) return;
    if (this.editing && document.activeElement === this.control) return;
    this.editing = false;
    const text = this.spec.format(this.spec.read());
    if (this.control.value !== text) {
      if (this.control instanceof HTMLSelectElement) ensureOption(this.control, text);
      this.control.value = text;
    }
    if (document.activeElement !== this.control) this.control.removeAttribute("aria-invalid");
  }

  /** Drop what the person typed (and its refusal) and show the stored value. */
  revert(): void {
    this.clearProblem();
    this.editing = false;
    this.refresh();
  }

  setWritable(writable: boolean): void {
    const c = this.control;
    if (c instanceof HTMLSelectElement) c.disabled = !writable;
    else c.readOnly = !writable;
    c.classList.toggle("is-readonly", !writable);
    if (!writable) {
      this.commitLater.cancel();
      this.revert();
    }
  }

  destroy(): void {
    this.commitLater.cancel();
    this.control.removeEventListener("input", this.onInput);
    this.control.removeEventListener("change", this.onChange);
    this.control.removeEventListener("blur", this.onBlur);
    this.control.removeEventListener("keydown", this.onKeydown as EventListener);
  }

  private showProblem(message: string): void {
    this.problem = message;
    this.message.textContent = message;
    this.message.hidden = false;
    this.control.setAttribute("aria-invalid", "true");
    describedBy(this.control, this.message.id, true);
  }

  private clearProblem(): void {
    this.control.removeAttribute("aria-invalid");
    if (this.problem === null) return;
    this.problem = null;
    this.message.hidden = true;
    this.message.textContent = "";
    describedBy(this.control, this.message.id, false);
  }
}

/** Add or remove `id` in the element's `aria-describedby`, keeping the ids others put there. */
export function describedBy(el: Element, id: string, on: boolean): void {
  const ids = (el.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((x) => x && x !== id);
  if (on) ids.push(id);
  if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
  else el.removeAttribute("aria-describedby");
}

function ensureOption(select: HTMLSelectElement, value: string): void {
  if (Array.from(select.options).some((o) => o.value === value)) return;
  const option = document.createElement("option");
  option.value = value;
  option.textContent = value || "—";
  select.appendChild(option);
}

/** Numbers are written as numbers. `integer` refuses fractions; `min`/`max` bound the value. */
export function parseNumber(raw: string, { integer = false, min = -Infinity, max = Infinity } = {}): number | undefined {
  const text = raw.trim().replace(",", ".");
  if (text === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) return undefined;
  if (integer && !Number.isInteger(value)) return undefined;
  return value;
}

// The bounds the server's write guard holds every client to (workspace/pricing/entry.py).
export const MIN_QTY = 1;
export const MAX_QTY = 1_000_000_000;
export const DISCOUNT_PLACES = 2;

const count = new Intl.NumberFormat("en-US");

/** A whole number from `min` to `max`; `what` names it in the refusal ("a quantity", "the term in months"). */
export function parseWhole(raw: string, min: number, max: number, what: string): number | Invalid {
  const text = raw.trim().replace(",", ".");
  const range = `from ${count.format(min)} to ${count.format(max)}`;
  if (text === "") return invalid(`Enter ${what}: a whole number ${range}.`);
  const value = Number(text);
  if (!Number.isFinite(value)) return invalid(`Enter ${what} as a whole number ${range}.`);
  if (!Number.isInteger(value)) return invalid(`Enter a whole number ${range}, without decimals.`);
  if (value < min) return invalid(`${capital(what)} must be at least ${count.format(min)}.`);
  if (value > max) return invalid(`${capital(what)} can be at most ${count.format(max)}.`);
  return value;
}

/** A line's quantity: whole units, at least one. */
export function parseQty(raw: string): number | Invalid {
  return parseWhole(raw, MIN_QTY, MAX_QTY, "a quantity");
}

/** A line's discount in percent: 0 to 100, at most two decimals. */
export function parseDiscount(raw: string): number | Invalid {
  const text = raw.trim().replace(",", ".");
  if (text === "") return invalid("Enter a discount from 0 to 100 (0 for none).");
  const value = Number(text);
  if (!Number.isFinite(value)) return invalid("Enter the discount as a number from 0 to 100.");
  if (value < 0) return invalid("A discount cannot be negative.");
  if (value > 100) return invalid("A discount can be at most 100%.");
  const decimals = String(value).includes("e") ? Infinity : (String(value).split(".")[1] ?? "").length;
  if (decimals > DISCOUNT_PLACES) return invalid(`Use at most ${DISCOUNT_PLACES} decimals, like 12.5.`);
  return value;
}

function capital(text: string): string {
  const bare = text.replace(/^an? /, "the ");
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}
