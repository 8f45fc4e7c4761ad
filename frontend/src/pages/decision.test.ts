import { afterEach, describe, expect, it, vi } from "vitest";
import { DecisionControl } from "./decision";

afterEach(() => document.body.replaceChildren());

const q = (el: HTMLElement, id: string) => el.querySelector<HTMLElement>(`[data-testid=${id}]`)!;

describe("approve and reject", () => {
  it("approves in one click and stays disabled once done", async () => {
    const decide = vi.fn().mockResolvedValue(true);
    const c = new DecisionControl({ prefix: "x", decide });
    document.body.append(c.el);
    q(c.el, "x-approve").click();
    await Promise.resolve();
    expect(decide).toHaveBeenCalledWith("approve", "");
    expect((q(c.el, "x-approve") as HTMLButtonElement).disabled).toBe(true);
  });

  it("asks for a comment before a rejection and sends it", async () => {
    const decide = vi.fn().mockResolvedValue(true);
    const c = new DecisionControl({ prefix: "x", decide });
    document.body.append(c.el);
    q(c.el, "x-reject").click();
    expect(c.engaged).toBe(true);
    const comment = q(c.el, "x-reject-comment") as HTMLTextAreaElement;
    expect(document.activeElement).toBe(comment);
    q(c.el, "x-reject-confirm").click();
    expect(decide).not.toHaveBeenCalled();
    expect(c.el.querySelector("[role=alert]")!.textContent).toMatch(/comment/);
    expect(comment.getAttribute("aria-invalid")).toBe("true");
    comment.value = "  Too deep for this quarter ";
    q(c.el, "x-reject-confirm").click();
    await Promise.resolve();
    expect(decide).toHaveBeenCalledWith("reject", "Too deep for this quarter");
  });

  it("lets the person try again when sending failed, and cancel a rejection", async () => {
    const decide = vi.fn().mockResolvedValue(false);
    const c = new DecisionControl({ prefix: "x", decide });
    document.body.append(c.el);
    q(c.el, "x-approve").click();
    await new Promise((r) => setTimeout(r));
    expect((q(c.el, "x-approve") as HTMLButtonElement).disabled).toBe(false);
    expect(q(c.el, "x-approve").textContent).toBe("Approve");
    q(c.el, "x-reject").click();
    (c.el.querySelector(".decision-reject .btn-ghost") as HTMLButtonElement).click();
    expect(c.engaged).toBe(false);
    expect(document.activeElement).toBe(q(c.el, "x-reject"));
  });
});
