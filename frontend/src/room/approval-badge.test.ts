import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { announceApprovalDoc, ApprovalBadge, readApprovalStatus } from "./approval-badge";

afterEach(() => document.body.replaceChildren());

describe("the room's approval status", () => {
  it("reads the server's status, and nothing when there is none", () => {
    expect(readApprovalStatus({ needed: true, status: "needs_approval", label: "Needs approval" })).toEqual({ needed: true, status: "needs_approval", label: "Needs approval", covered: false });
    expect(readApprovalStatus({ needed: true, status: "approved", covered: true })).toEqual({ needed: true, status: "approved", label: "Approved (covered)", covered: true });
    expect(readApprovalStatus({ needed: true, status: "pending" })?.label).toBe("Approval pending");
    expect(readApprovalStatus(undefined)).toBeNull();
    expect(readApprovalStatus("approved")).toBeNull();
  });

  it("follows the internal doc the approval panel announces, and hides once it is gone", () => {
    const scope = document.createElement("main");
    const panel = document.createElement("div");
    scope.append(panel);
    document.body.append(scope);
    const badge = new ApprovalBadge({ onActivate: () => undefined });
    badge.follow(scope);
    const computed = new Y.Doc().getMap<unknown>("computed");
    computed.set("approval", { needed: true, status: "approved", label: "Approved (covered)", covered: true });
    announceApprovalDoc(panel, computed);
    expect(badge.el.hidden).toBe(false);
    expect(badge.el.textContent).toBe("Approved (covered)");
    expect(badge.el.hasAttribute("data-covered")).toBe(true);
    computed.set("approval", { needed: true, status: "needs_approval", label: "Needs approval", covered: false });
    expect(badge.el.dataset.status).toBe("needs_approval");
    expect(badge.el.hasAttribute("data-covered")).toBe(false);
    announceApprovalDoc(panel, null);
    expect(badge.el.hidden).toBe(true);
    badge.destroy();
    announceApprovalDoc(panel, computed);
    expect(badge.el.hidden).toBe(true);
  });

  it("follows a doc live and shows only the label", () => {
    const doc = new Y.Doc();
    const computed = doc.getMap<unknown>("computed");
    const badge = new ApprovalBadge();
    document.body.append(badge.el);
    badge.bind(computed);
    expect(badge.el.hidden).toBe(true);
    computed.set("approval", { needed: true, status: "needs_approval", label: "Needs approval" });
    expect(badge.el.hidden).toBe(false);
    expect(badge.el.dataset.status).toBe("needs_approval");
    expect(badge.el.textContent).toBe("Needs approval");
    computed.set("approval", { needed: true, status: "approved", label: "Approved" });
    expect(badge.el.textContent).toBe("Approved");
    expect(badge.el.dataset.status).toBe("approved");
    expect(badge.el.tagName).toBe("SPAN");
    badge.unbind();
    expect(badge.el.hidden).toBe(true);
    computed.set("approval", { needed: true, status: "rejected", label: "Approval rejected" });
    expect(badge.el.textContent).toBe("Approved");
    expect(badge.el.hidden).toBe(true);
  });

  it("is a button that shows the steps for internal people", () => {
    const run = vi.fn();
    const badge = new ApprovalBadge({ onActivate: run });
    expect(badge.el.tagName).toBe("BUTTON");
    badge.el.click();
    expect(run).toHaveBeenCalledOnce();
  });
});
