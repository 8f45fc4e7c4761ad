import { describe, expect, it } from "vitest";
import type { RoomRole } from "../lib/api";
import { canEditDealField, canEditLineField, canManageLines, canWriteTerms, isInternal, lineRights, type Access } from "./permissions";

const access = (role: RoomRole, customer_may_edit_pricing = false, customer_deal_fields: string[] = []): Access => ({
  role,
  customer_may_edit_pricing,
  customer_deal_fields,
});

describe("line permissions", () => {
  it("lets a customer edit qty, discount and note of an unlocked line when the room allows pricing", () => {
    const customer = access("customer", true);
    expect(canEditLineField(customer, false, "qty")).toBe(true);
    expect(canEditLineField(customer, false, "discountPct")).toBe(true);
    expect(canEditLineField(customer, false, "note")).toBe(true);
    expect(canEditLineField(customer, false, "sku")).toBe(false);
  });

  it("gives a customer nothing on a locked line", () => {
    const rights = lineRights(access("customer", true), true);
    expect(rights).toEqual({ sku: false, qty: false, discountPct: false, note: false, lock: false, remove: false, move: false });
  });

  it("gives a customer nothing when the room does not allow customer pricing", () => {
    const rights = lineRights(access("customer", false), false);
    expect(Object.values(rights).some(Boolean)).toBe(false);
  });

  it("never lets a customer add, remove, reorder or lock lines", () => {
    expect(canManageLines(access("customer", true))).toBe(false);
  });

  it("lets the rep do everything, locked or not", () => {
    expect(lineRights(access("rep"), true)).toEqual({ sku: true, qty: true, discountPct: true, note: true, lock: true, remove: true, move: true });
  });

  it.each(["legal", "approver", "viewer"] as RoomRole[])("keeps pricing read-only for %s", (role) => {
    const rights = lineRights(access(role, true), false);
    expect(Object.values(rights).some(Boolean)).toBe(false);
  });
});

describe("deal and terms permissions", () => {
  it("lets a customer edit only the deal fields opened to them", () => {
    const customer = access("customer", false, ["startDate"]);
    expect(canEditDealField(customer, "startDate")).toBe(true);
    expect(canEditDealField(customer, "termMonths")).toBe(false);
    expect(canEditDealField(access("rep"), "termMonths")).toBe(true);
    expect(canEditDealField(access("legal", false, ["startDate"]), "startDate")).toBe(false);
  });

  it("keeps the terms read-only for viewers and approvers", () => {
    expect(["rep", "legal", "customer"].every((r) => canWriteTerms(r as RoomRole))).toBe(true);
    expect(canWriteTerms("viewer")).toBe(false);
    expect(canWriteTerms("approver")).toBe(false);
  });

  it("knows the internal roles (who gets the internal notes)", () => {
    expect(["rep", "legal", "approver"].every((r) => isInternal(r as RoomRole))).toBe(true);
    expect(isInternal("customer")).toBe(false);
    expect(isInternal("viewer")).toBe(false);
  });
});
