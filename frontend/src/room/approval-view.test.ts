import { describe, expect, it } from "vitest";
import { approvalsView, canRecall, canSubmit, joinNames } from "./approval-view";

const manager = { rule_id: "discount-over-20", name: "Sales manager", reason: "Discount over 20%: max line discount 32% is over 20%", headline: "Discount over 20%", details: ["max line discount 32% is over 20%"], approvers: { role: "sales_manager" }, approvers_label: "sales manager", order: 1, mode: "any", tested: { max_line_discount_pct: "32" } };
const vp = { ...manager, rule_id: "discount-over-30", name: "VP sales", reason: "Discount over 30%: max line discount 32% is over 30%", headline: "Discount over 30%", details: ["max line discount 32% is over 30%"], approvers: { role: "vp_sales" }, approvers_label: "vp sales", order: 2 };
const people = { "1": { name: "Riley Rep", role: "rep" }, "2": { name: "Morgan Manager", role: "sales_manager" }, "3": { name: "Val VP", role: "vp_sales" } };

function requested(state: string, steps: Record<string, unknown>[]) {
  return { policy_version: 1, fingerprint: "f1", steps: [manager, vp], people, request: { id: "apr_1", state, fingerprint: "f1", submitted_by: 1, submitted_at: "2026-11-26T14:02:00+00:00", steps } };
}

describe("the approval panel's view", () => {
  it("is absent without a policy", () => {
    const v = approvalsView(undefined);
    expect(v.present).toBe(false);
    expect(canSubmit(v)).toBe(false);
  });

  it("says no approval is needed when no rule holds", () => {
    const v = approvalsView({ policy_version: 1, fingerprint: "f0", steps: [], request: null, people: {} });
    expect(v.summary).toBe("No approval needed for this version.");
    expect(canSubmit(v)).toBe(false);
  });

  it("lists the needed steps with reasons and approvers, and lets the rep submit", () => {
    const v = approvalsView({ policy_version: 1, fingerprint: "f1", steps: [manager, vp], request: null, people: {} });
    expect(v.summary).toBe("Needs approval: Sales manager (discount over 20%), VP sales (discount over 30%)");
    expect(v.steps.map((s) => [s.id, s.state, s.stateLabel, s.approversLabel])).toEqual([
      ["discount-over-20", "needed", "Not submitted", "Sales manager"],
      ["discount-over-30", "needed", "Not submitted", "VP sales"],
    ]);
    expect(v.steps[0].reasons).toEqual(["max line discount 32% is over 20%"]);
    expect(canSubmit(v)).toBe(true);
    expect(canRecall(v)).toBe(false);
  });

  it("shows who a pending step waits on and since when; a later step waits for it", () => {
    const v = approvalsView(
      requested("pending", [
        { id: "discount-over-20", state: "pending", name: "Sales manager", order: 1, mode: "any", approvers: [2], since: "2026-11-26T14:02:00+00:00", decisions: [] },
        { id: "discount-over-30", state: "pending", name: "VP sales", order: 2, mode: "any", approvers: [3], since: null, decisions: [] },
      ]),
      1,
    );
    expect(v.steps[0]).toMatchObject({ state: "pending", waitingOn: ["Morgan Manager"], since: "2026-11-26T14:02:00+00:00" });
    expect(v.steps[1]).toMatchObject({ state: "waiting", stateLabel: "Waits for Sales manager", waitingOn: [], since: null });
    expect(v.summary).toBe("Pending: waiting on Morgan Manager (Sales manager)");
    expect(v.request?.submittedBy).toBe("you");
    expect(canSubmit(v)).toBe(false);
    expect(canRecall(v)).toBe(true);
  });

  it("lets an approver of a pending step decide it, and names them 'you'", () => {
    const v = approvalsView(
      requested("pending", [{ id: "discount-over-20", state: "pending", order: 1, mode: "any", approvers: [2], decisions: [] }]),
      2,
    );
    expect(v.steps[0].mayDecide).toBe(true);
    expect(v.steps[0].waitingOn).toEqual(["you"]);
    // An older server without `since`: the submission.
    expect(v.steps[0].since).toBe("2026-11-26T14:02:00+00:00");
    expect(approvalsView(requested("pending", [{ id: "discount-over-20", state: "pending", order: 1, approvers: [2], decisions: [] }]), 3).steps[0].mayDecide).toBe(false);
  });

  it("shows decisions with who and the comment; a carried-over approval says so", () => {
    const v = approvalsView(
      requested("rejected", [
        { id: "discount-over-20", state: "approved", order: 1, mode: "any", approvers: [2], decisions: [{ actor: 2, for_approvers: [2], decision: "approve", comment: "", at: "2026-11-26T14:05:00+00:00", origin: "apr_0" }] },
        { id: "discount-over-30", state: "rejected", order: 2, mode: "any", approvers: [3], decisions: [{ actor: 3, for_approvers: [3], decision: "reject", comment: "Too deep", at: "2026-11-26T14:09:00+00:00", origin: null }] },
      ]),
    );
    expect(v.steps[0].decisions[0]).toMatchObject({ who: "Morgan Manager", decision: "approve", carried: true });
    expect(v.steps[1].decisions[0]).toMatchObject({ who: "Val VP", decision: "reject", comment: "Too deep", carried: false });
    expect(v.summary).toBe("Rejected by Val VP (VP sales): “Too deep”");
    expect(v.tone).toBe("rejected");
    expect(canSubmit(v)).toBe(true); // submit again
  });

  it("shows a version earlier approvals cover as approved, with whose approval of what, and nothing to submit", () => {
    const cover = { request_id: "apr_0", step_id: "discount-over-20", approver: { id: 2, name: "Morgan Manager" }, decided_at: "2026-11-26T14:05:00+00:00", comment: "ok", approved: [{ fact: "max_line_discount_pct", label: "max line discount", approved_value: "32%", value: "25%" }] };
    const v = approvalsView({ policy_version: 1, fingerprint: "f2", status: "approved", covered: true, needs: [], steps: [{ ...manager, covered_by: [cover] }], request: null, people });
    expect(v.steps[0]).toMatchObject({ state: "approved", stateLabel: "Approved (covered)", covered: true });
    expect(v.steps[0].decisions).toEqual([{ who: "Morgan Manager", decision: "approve", comment: "ok", at: "2026-11-26T14:05:00+00:00", carried: true, approved: "max line discount 32%, now 25%" }]);
    expect(v.summary).toBe("Approved: earlier approvals still cover this version. Nothing to submit.");
    expect([v.tone, v.status, v.covered]).toEqual(["approved", "approved", true]);
    expect(canSubmit(v)).toBe(false);
  });

  it("asks only the steps earlier approvals do not cover", () => {
    const cover = { request_id: "apr_0", step_id: "discount-over-20", approver: { id: 2, name: "Morgan Manager" }, decided_at: "2026-11-26T14:05:00+00:00", approved: [] };
    const finance = { ...manager, rule_id: "finance-terms", name: "Finance", headline: "Payment terms over 45 days", covered_by: null };
    const v = approvalsView({ policy_version: 1, fingerprint: "f3", status: "needs_approval", steps: [{ ...manager, covered_by: [cover] }, finance], request: null, people });
    expect(v.steps.map((s) => [s.id, s.state, s.stateLabel])).toEqual([
      ["discount-over-20", "approved", "Approved (covered)"],
      ["finance-terms", "needed", "Not submitted"],
    ]);
    expect(v.summary).toBe("Needs approval: Finance (payment terms over 45 days). Still approved: Sales manager");
    expect([v.status, v.covered]).toEqual(["needs_approval", false]);
    expect(canSubmit(v)).toBe(true);
  });

  it("blocks submitting and deciding while the quote cannot be priced", () => {
    const problems = [{ line_id: "disk", rule: "unknown_sku", message: "STORAGE is not in the price book (version 2)." }];
    const v = approvalsView({ policy_version: 1, fingerprint: "f1", steps: [manager], request: null, people: {}, pricing_problems: problems });
    expect(v.status).toBe("unpriceable");
    expect(v.summary).toBe("Cannot be priced: STORAGE is not in the price book (version 2). Fix the lines before asking for approval.");
    expect(canSubmit(v)).toBe(false);
    const pending = approvalsView(
      { ...requested("pending", [{ id: "discount-over-20", state: "pending", order: 1, mode: "any", approvers: [2], decisions: [] }]), pricing_problems: problems },
      2,
    );
    expect(pending.steps[0].mayDecide).toBe(false);
    const many = approvalsView({ policy_version: 1, fingerprint: "f1", steps: [manager], request: null, people: {}, pricing_problems: [...problems, { ...problems[0], line_id: "disk2" }] });
    expect(many.summary).toBe("Cannot be priced: STORAGE is not in the price book (version 2) (2 lines). Fix the lines before asking for approval.");
  });

  it("copes with missing keys and unknown people", () => {
    const v = approvalsView({ steps: [{ name: "Finance", reason: "Payment terms over 45 days" }], request: { id: "r", state: "pending", steps: [{ id: "Finance", state: "pending", approvers: [9] }] } });
    expect(v.present).toBe(true);
    expect(v.steps.some((s) => s.waitingOn.includes("user 9"))).toBe(true);
  });

  it("joins names as people say them", () => {
    expect(joinNames(["A"], "or")).toBe("A");
    expect(joinNames(["A", "B", "C"], "or")).toBe("A, B or C");
    expect(joinNames(["A", "B"], "and")).toBe("A and B");
  });
});
