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

export type NoticeTone = "info" | "error" | "success";

/** A page's notice line: an error stays (as an alert), anything else fades after `fadeMs`. */
export function pageNotice(testid: string, fadeMs: number, defaultTone: NoticeTone): { el: HTMLElement; say(message: string, tone?: NoticeTone): void; dispose(): void } {
  const el = h("div", { class: "notice", "data-testid": testid, role: "status", hidden: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    el,
    say(message, tone = defaultTone) {
      clearTimeout(timer);
      el.replaceChildren(h("span", { class: "notice-text" }, message));
      el.dataset.tone = tone;
      el.setAttribute("role", tone === "error" ? "alert" : "status");
      el.hidden = false;
      if (tone !== "error") timer = setTimeout(() => (el.hidden = true), fadeMs);
    },
    dispose: () => clearTimeout(timer),
  };
}
