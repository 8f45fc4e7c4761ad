/**
 * Two-way binding of one form control to one value in a Y type.
 *
 * Typing commits after a short pause and on `change` (blur or Enter). While a person is typing in
 * a control, remote changes do not overwrite what they typed; the control shows the shared value
 * again when they leave it. A value equal to the stored one is not written: every write is an
 * update the server must check and relay.
 */
import { debounce } from "../lib/dom";

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface ValueSpec<T> {
  /** The parsed value, or `undefined` when the text is not valid (nothing is written then). */
  parse(raw: string): T | undefined | typeof CLEAR;
  format(value: T | undefined): string;
  read(): T | undefined;
  write(value: T | typeof CLEAR): void;
  /** Re-checked at commit time: the right to write may have changed since the control was drawn. */
  mayWrite(): boolean;
}

/** Parsed from an empty control whose value may be removed. */
export const CLEAR = Symbol("clear");

export const COMMIT_DELAY_MS = 400;

export class FieldBinding<T> {
  /** True from the first keystroke after focus until the control is left. */
  editing = false;
  private readonly commitLater: ReturnType<typeof debounce<[]>>;

  constructor(
    readonly control: Control,
    private readonly spec: ValueSpec<T>,
    delayMs = COMMIT_DELAY_MS,
  ) {
    this.commitLater = debounce(() => this.commit(), delayMs);
    control.addEventListener("input", this.onInput);
    control.addEventListener("change", this.onChange);
    control.addEventListener("blur", this.onBlur);
    control.addEventListener("keydown", this.onKeydown as EventListener);
    this.refresh();
  }

  private readonly onInput = () => {
    if (!this.writable) return;
    this.editing = true;
    this.commitLater();
  };

  private readonly onChange = () => {
    if (!this.writable) return;
    this.commitLater.cancel();
    this.commit();
    // A committed control shows the shared value again (as typed, unless it was invalid).
    if (!this.hasUnsavedChange()) this.editing = false;
  };

  private readonly onBlur = () => {
    this.commitLater.flush();
    this.editing = false;
    this.refresh();
  };

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && this.editing) {
      this.commitLater.cancel();
      this.editing = false;
      this.refresh();
    }
  };

  get writable(): boolean {
    const c = this.control;
    return !(c instanceof HTMLSelectElement ? c.disabled : c.readOnly || c.disabled);
  }

  /** Write the control's value if it is valid, allowed and different from the stored one. */
  commit(): void {
    const parsed = this.spec.parse(this.control.value);
    if (parsed === undefined) {
      this.control.setAttribute("aria-invalid", "true");
      return;
    }
    this.control.removeAttribute("aria-invalid");
    if (!this.spec.mayWrite()) return;
    const current = this.spec.read();
    if (parsed === CLEAR ? current === undefined : Object.is(parsed, current)) return;
    this.spec.write(parsed);
  }

  /** Has the person typed a value that differs from the stored one? */
  hasUnsavedChange(): boolean {
    if (!this.editing) return false;
    const parsed = this.spec.parse(this.control.value);
    const current = this.spec.read();
    return parsed === CLEAR ? current !== undefined : !Object.is(parsed, current);
  }

  /** Show the stored value, unless the person is typing in this control. */
  refresh(): void {
    if (this.editing && document.activeElement === this.control) return;
    this.editing = false;
    const text = this.spec.format(this.spec.read());
    if (this.control.value !== text) {
      if (this.control instanceof HTMLSelectElement) ensureOption(this.control, text);
      this.control.value = text;
    }
    if (document.activeElement !== this.control) this.control.removeAttribute("aria-invalid");
  }

  setWritable(writable: boolean): void {
    const c = this.control;
    if (c instanceof HTMLSelectElement) c.disabled = !writable;
    else c.readOnly = !writable;
    c.classList.toggle("is-readonly", !writable);
    if (!writable) {
      this.commitLater.cancel();
      this.editing = false;
      this.refresh();
    }
  }

  destroy(): void {
    this.commitLater.cancel();
    this.control.removeEventListener("input", this.onInput);
    this.control.removeEventListener("change", this.onChange);
    this.control.removeEventListener("blur", this.onBlur);
    this.control.removeEventListener("keydown", this.onKeydown as EventListener);
  }
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
