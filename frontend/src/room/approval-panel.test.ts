import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { ApprovalPanel } from "./approval-panel";
import { json, settle } from "../test-support";

const manager = { rule_id: "discount-over-20", name: "Sales manager", reason: "Discount over 20%: max line discount 25% is over 20%", headline: "Discount over 20%", details: ["max line discount 25% is over 20%"], approvers: { role: "sales_manager" }, approvers_label: "sales manager", order: 1, mode: "any", tested: {} };
const people = { "1": { name: "Riley Rep", role: "rep" }, "2": { name: "Morgan Manager", role: "sales_manager" } };
const needed = { policy_version: 1, fingerprint: "f1", steps: [manager], request: null, people: {} };
const pending = {
  ...needed,
  people,
  request: { id: "apr_1", state: "pending", fingerprint: "f1", submitted_by: 1, submitted_at: new Date().toISOString(), steps: [{ id: "discount-over-20", state: "pending", name: "Sales manager", order: 1, mode: "any", approvers: [2], since: new Date().toISOString(), decisions: [] }] },
};
let panel: ApprovalPanel | undefined;
afterEach(() => {
  panel?.destroy();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

function setup(opts: { isRep: boolean; meId?: number }) {
  const doc = new Y.Doc();
  const computed = doc.getMap<unknown>("computed");
  panel = new ApprovalPanel({ roomId: "room-1", ...opts });
  document.body.append(panel.el);
  panel.bind(computed);
  const q = (id: string) => panel!.el.querySelector<HTMLElement>(`[data-testid=${id}]`)!;
  return { computed, q };
}

describe("the approval panel", () => {
  it("lets the rep submit a version that needs approval, then recall it once pending", async () => {
    const posts: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string) => (posts.push(url), json(201, { request_id: "apr_1" }))));
    const { computed, q } = setup({ isRep: true, meId: 1 });
    computed.set("approvals", needed);
    expect(q("approval-summary").textContent).toBe("Needs approval: Sales manager (discount over 20%)");
    expect(q("approval-step").textContent).toContain("max line discount 25% is over 20%");
    expect(q("approval-submit").hidden).toBe(false);
    expect(q("approval-recall").hidden).toBe(true);
    q("approval-submit").click();
    await settle();
    expect(posts).toEqual(["/api/rooms/room-1/approvals"]);
    expect(q("approval-submit").hidden).toBe(true); // until the doc shows the request: no second submit
    computed.set("approvals", pending);
    expect(q("approval-waiting").textContent).toMatch(/Waiting on Morgan Manager since/);
    expect(q("approval-recall").hidden).toBe(false);
    q("approval-recall").click();
    await settle();
    expect(posts[1]).toBe("/api/approvals/apr_1/recall");
  });

  it("shows the server's reason when a submit is refused", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(409, { error: "conflict", detail: "this version is already submitted for approval" })));
    const { computed, q } = setup({ isRep: true, meId: 1 });
    computed.set("approvals", needed);
    q("approval-submit").click();
    await settle();
    expect(q("approval-error").hidden).toBe(false);
    expect(q("approval-error").textContent).toBe("this version is already submitted for approval");
    expect(q("approval-submit").hidden).toBe(false);
  });

  it("has no submit for anyone but the rep, and lets the step's approver decide", () => {
    const { computed, q } = setup({ isRep: false, meId: 2 });
    computed.set("approvals", pending);
    expect(q("approval-submit")).toBeNull();
    expect(q("approval-approve")).not.toBeNull();
    expect(q("approval-waiting").textContent).toContain("Waiting on you");
  });

  it("does not redraw on quote changes, only when the approvals change", () => {
    const { computed, q } = setup({ isRep: true, meId: 1 });
    computed.set("approvals", needed);
    const step = q("approval-step");
    computed.set("quote", { lines: [] });
    expect(q("approval-step")).toBe(step);
  });
});
