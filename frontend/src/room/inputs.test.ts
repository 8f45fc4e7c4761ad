import { afterEach, describe, expect, it } from "vitest";
import { FieldBinding, Invalid, parseDiscount, parseQty, parseWhole, type ValueSpec } from "./inputs";

const message = (value: unknown) => (value instanceof Invalid ? value.message : value);

describe("what a line may hold (the server's write guard holds every client to the same)", () => {
  it("takes a whole quantity from 1 to a billion, as a number", () => {
    expect(parseQty("25")).toBe(25);
    expect(parseQty(" 1 ")).toBe(1);
    expect(parseQty("1000000000")).toBe(1_000_000_000);
  });

  it("says why a quantity is refused", () => {
    expect(message(parseQty("-5"))).toBe("The quantity must be at least 1.");
    expect(message(parseQty("0"))).toBe("The quantity must be at least 1.");
    expect(message(parseQty("2.5"))).toBe("Enter a whole number from 1 to 1,000,000,000, without decimals.");
    expect(message(parseQty("1000000001"))).toBe("The quantity can be at most 1,000,000,000.");
    expect(message(parseQty(""))).toBe("Enter a quantity: a whole number from 1 to 1,000,000,000.");
    expect(message(parseQty("lots"))).toBe("Enter a quantity as a whole number from 1 to 1,000,000,000.");
  });

  it("takes a discount from 0 to 100 % with at most two decimals", () => {
    expect(parseDiscount("0")).toBe(0);
    expect(parseDiscount("12.25")).toBe(12.25);
    expect(parseDiscount("12,5")).toBe(12.5);
    expect(parseDiscount("100")).toBe(100);
    expect(message(parseDiscount("150"))).toBe("A discount can be at most 100%.");
    expect(message(parseDiscount("-1"))).toBe("A discount cannot be negative.");
    expect(message(parseDiscount("12.345"))).toBe("Use at most 2 decimals, like 12.5.");
    expect(message(parseDiscount("1e-7"))).toBe("Use at most 2 decimals, like 12.5.");
    expect(message(parseDiscount(""))).toBe("Enter a discount from 0 to 100 (0 for none).");
  });

  it("names other whole numbers in its refusals", () => {
    expect(message(parseWhole("121", 1, 120, "a term in months"))).toBe("The term in months can be at most 120.");
  });
});

describe("a refused value next to its control", () => {
  let stored: number | undefined = 10;
  const writes: number[] = [];
  const spec: ValueSpec<number> = {
    parse: parseQty,
    format: (v) => (v === undefined ? "" : String(v)),
    read: () => stored,
    write: (v) => {
      if (typeof v === "number") {
        writes.push(v);
        stored = v;
      }
    },
    mayWrite: () => true,
  };

  function mount() {
    stored = 10;
    writes.length = 0;
    const input = document.createElement("input");
    input.setAttribute("aria-describedby", "line-problems");
    const binding = new FieldBinding(input, spec, 300);
    document.body.append(input, binding.message);
    input.focus();
    return { input, binding };
  }

  const typeIn = (input: HTMLInputElement, text: string) => {
    input.value = text;
    input.dispatchEvent(new Event("input"));
    input.dispatchEvent(new Event("change"));
  };

  afterEach(() => document.body.replaceChildren());

  it("says why, marks the control, keeps the text after blur and a remote change, and writes nothing", () => {
    const { input, binding } = mount();
    typeIn(input, "-5");
    expect(binding.message.hidden).toBe(false);
    expect(binding.message.textContent).toBe("The quantity must be at least 1.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")!.split(" ")).toEqual(["line-problems", binding.message.id]);
    input.blur();
    input.dispatchEvent(new Event("blur"));
    stored = 12; // someone else changed it meanwhile
    binding.refresh();
    expect(input.value).toBe("-5");
    expect(writes).toEqual([]);
  });

  it("lets go of the refusal once the text is fixed, and writes the fixed value", () => {
    const { input, binding } = mount();
    typeIn(input, "-5");
    input.value = "7";
    input.dispatchEvent(new Event("input"));
    expect(binding.message.hidden).toBe(true);
    expect(input.hasAttribute("aria-invalid")).toBe(false);
    expect(input.getAttribute("aria-describedby")).toBe("line-problems");
    input.dispatchEvent(new Event("change"));
    expect(writes).toEqual([7]);
  });

  it("goes back to the stored value on Escape", () => {
    const { input, binding } = mount();
    typeIn(input, "0");
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(input.value).toBe("10");
    expect(binding.refused).toBeNull();
    expect(binding.message.hidden).toBe(true);
  });
});
