/** Shared pieces of the app's forms: labelled fields, the error line, a busy submit button. */
import { h, uid } from "../lib/dom";

export interface FieldOptions {
  label: string;
  name: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  minlength?: number;
  hint?: string;
  testid?: string;
  placeholder?: string;
  value?: string;
}

export function field(opts: FieldOptions): { wrap: HTMLElement; input: HTMLInputElement } {
  const id = uid("f");
  const hintId = opts.hint ? id + "-hint" : undefined;
  const input = h("input", {
    id,
    name: opts.name,
    type: opts.type ?? "text",
    autocomplete: opts.autocomplete,
    required: opts.required,
    minlength: opts.minlength,
    placeholder: opts.placeholder,
    "aria-describedby": hintId,
    "data-testid": opts.testid,
    class: "input",
  });
  if (opts.value) input.value = opts.value;
  const wrap = h(
    "div",
    { class: "field" },
    h("label", { for: id, class: "label" }, opts.label),
    input,
    opts.hint ? h("p", { id: hintId, class: "hint" }, opts.hint) : null,
  );
  return { wrap, input };
}

export function formError(): HTMLElement & { show(message: string | null): void } {
  const el = h("p", { class: "form-error", role: "alert", "data-testid": "form-error", hidden: true }) as unknown as HTMLElement & {
    show(message: string | null): void;
  };
  el.show = (message) => {
    el.textContent = message ?? "";
    el.hidden = !message;
  };
  return el;
}

/** Disable a submit button while its request runs, with a visible busy label. */
const saved = new WeakMap<HTMLButtonElement, Node[]>();
export function busy(button: HTMLButtonElement, on: boolean, busyLabel: string): void {
  if (on) {
    saved.set(button, Array.from(button.childNodes));
    button.textContent = busyLabel;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  } else {
    button.replaceChildren(...(saved.get(button) ?? []));
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

export function brand(): HTMLElement {
  return h(
    "a",
    { href: "/", class: "brand", "aria-label": "Dealroom home" },
    h("span", { class: "brand-mark", "aria-hidden": "true" }, "D"),
    h("span", { class: "brand-name" }, "Dealroom"),
  );
}
