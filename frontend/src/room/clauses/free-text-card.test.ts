import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { settle } from "../../test-support";
import { announceApprovalDoc } from "../approval-badge";
import { freeTextEntry } from "../../lib/free-text.fixture";
import { FreeTextCard } from "./free-text-card";

const HOSTILE = "<img src=x onerror=alert(1)>";

const freeText = freeTextEntry;

const $ = (root: ParentNode, hook: string) => root.querySelector<HTMLElement>(`[data-testid=${hook}]`);

afterEach(() => document.body.replaceChildren());

function setup(internal = false) {
  const card = new FreeTextCard({ internal });
  document.body.append(card.el);
  const computed = new Y.Doc().getMap<unknown>("computed");
  card.bind(computed);
  return { card, computed };
}

describe("the text outside the clauses card", () => {
  it("shows while the server reports a deviation, live, and goes away when the text is standard again", () => {
    const { card, computed } = setup();
    expect(card.el.hidden).toBe(true);
    computed.set("free_text", freeText());
    expect(card.el.hidden).toBe(false);
    expect(card.el.textContent).toContain("Text outside the clauses");
    expect($(card.el, "free-text-status")!.textContent).toBe("Non-standard");
    expect($(card.el, "free-text-status")!.dataset.status).toBe("non_standard");
    expect($(card.el, "free-text-reason")!.textContent).toBe("The text outside the library clauses differs from the standard terms.");
    computed.set("free_text", null);
    expect(card.el.hidden).toBe(true);
    computed.set("free_text", freeText());
    computed.delete("free_text");
    expect(card.el.hidden).toBe(true);
  });

  it("opens the word diff against the standard terms on tap: insertions and deletions marked", () => {
    const { card, computed } = setup();
    computed.set("free_text", freeText());
    const chip = $(card.el, "free-text-status")!;
    expect($(card.el, "free-text-panel")!.hidden).toBe(true);
    chip.click();
    expect(chip.getAttribute("aria-expanded")).toBe("true");
    expect($(card.el, "free-text-panel")!.hidden).toBe(false);
    const diff = $(card.el, "free-text-diff")!;
    expect(diff.querySelector("ins")!.textContent).toBe("unlimited.");
    expect(diff.querySelector("del")!.textContent).toBe("capped.");
    expect(diff.textContent).toBe("The Vendor's liability is capped. unlimited.");
    chip.click();
    expect($(card.el, "free-text-panel")!.hidden).toBe(true);
  });

  it("keeps hostile text as text", () => {
    const { card, computed } = setup();
    computed.set("free_text", freeText({ reason: HOSTILE, diff: [{ op: "insert", text: HOSTILE }] }));
    $(card.el, "free-text-status")!.click();
    expect($(card.el, "free-text-diff")!.querySelector("ins")!.textContent).toBe(HOSTILE);
    expect(card.el.querySelector("img")).toBeNull();
  });

  it("shows a long text as its changes, the whole text on request", () => {
    const { card, computed } = setup();
    const long = Array.from({ length: 60 }, (_v, i) => `w${i}`).join(" ");
    computed.set("free_text", freeText({ diff: [{ op: "equal", text: long }, { op: "insert", text: "unlimited" }] }));
    $(card.el, "free-text-status")!.click();
    expect($(card.el, "free-text-diff")!.textContent).toMatch(/^… w48 .* w59 unlimited$/);
    $(card.el, "free-text-whole")!.click();
    expect($(card.el, "free-text-diff")!.textContent).toBe(`${long} unlimited`);
  });

  it("tells internal people who approves, from the internal doc; customers never see it", async () => {
    const customer = setup(false);
    customer.computed.set("free_text", freeText());
    expect($(customer.card.el, "free-text-approver")!.hidden).toBe(true);

    const { card, computed } = setup(true);
    const scope = document.createElement("div");
    const approvalPanel = document.createElement("div");
    scope.append(approvalPanel);
    document.body.append(scope);
    card.follow(scope);
    computed.set("free_text", freeText());
    const internal = new Y.Doc().getMap<unknown>("computed");
    internal.set("free_text", { ...freeText(), category: "free_text", approval: "legal" });
    announceApprovalDoc(approvalPanel, internal);
    await settle(1);
    expect($(card.el, "free-text-approver")!.hidden).toBe(false);
    expect($(card.el, "free-text-approver")!.textContent).toBe("Needs Legal approval");
    internal.set("free_text", { ...freeText(), approval: "vp_sales" });
    expect($(card.el, "free-text-approver")!.textContent).toBe("Needs VP sales approval");
    announceApprovalDoc(approvalPanel, null);
    expect($(card.el, "free-text-approver")!.hidden).toBe(true);
  });
});
