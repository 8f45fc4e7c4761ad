import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { APPROVAL_DOC_EVENT } from "./approval-badge";
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

  it("announces the internal doc to the room header, and withdraws it when unbound", () => {
    const seen: unknown[] = [];
    const listen = (e: Event) => seen.push((e as CustomEvent).detail);
    document.body.addEventListener(APPROVAL_DOC_EVENT, listen);
    const { computed } = setup({ isRep: true, meId: 1 });
    expect(seen).toEqual([computed]);
    panel!.unbind();
    expect(seen).toEqual([computed, null]);
    document.body.removeEventListener(APPROVAL_DOC_EVENT, listen);
  });

  it("shows a covered step with whose approval covers it, and offers no submit when all are covered", () => {
    const cover = { request_id: "apr_0", step_id: "discount-over-20", approver: { id: 2, name: "Morgan Manager" }, decided_at: new Date().toISOString(), comment: "", approved: [{ fact: "max_line_discount_pct", label: "max line discount", approved_value: "32%", value: "25%" }] };
    const { computed, q } = setup({ isRep: true, meId: 1 });
    computed.set("approvals", { ...needed, fingerprint: "f2", status: "approved", covered: true, steps: [{ ...manager, covered_by: [cover] }], people });
    expect(q("approval-step").dataset.state).toBe("approved");
    expect(q("approval-step-state").textContent).toBe("Approved (covered)");
    expect(q("approval-decision").textContent).toContain("Approved by Morgan Manager");
    expect(q("approval-covers").textContent).toBe("Approved max line discount 32%, now 25%");
    expect(q("approval-summary").textContent).toContain("earlier approvals still cover this version");
    expect(q("approval-submit").hidden).toBe(true);
    expect(panel!.el.dataset.state).toBe("approved");
  });

  it("does not redraw on quote changes, only when the approvals change", () => {
    const { computed, q } = setup({ isRep: true, meId: 1 });
    computed.set("approvals", needed);
    const step = q("approval-step");
    computed.set("quote", { lines: [] });
    expect(q("approval-step")).toBe(step);
  });
});
