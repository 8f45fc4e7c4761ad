/**
 * What the caller's role may write in the shared document. This mirrors the server's guard
 * (workspace/sync/guard.py): the server refuses a whole update that writes anything outside these
 * rights and closes the socket, so the app must never even try.
 */
import type { RoomRole } from "../lib/api";

export const DEAL_KEYS = ["title", "customerName", "currency", "termMonths", "startDate", "paymentTermsDays", "billing"] as const;
export type DealKey = (typeof DEAL_KEYS)[number];

/** What each deal field is called on screen (the Deal panel, and a thread about the field). */
export const DEAL_LABELS: Record<DealKey, string> = {
  title: "Deal title",
  customerName: "Customer",
  currency: "Currency",
  termMonths: "Term (months)",
  startDate: "Start date",
  paymentTermsDays: "Payment terms",
  billing: "Billing",
};

export const LINE_FIELDS = ["sku", "qty", "discountPct", "note"] as const;
export type LineField = (typeof LINE_FIELDS)[number];

/** The customer's conditional rights on a line (guard.CUSTOMER_LINE_FIELDS). */
export const CUSTOMER_LINE_FIELDS: ReadonlySet<LineField> = new Set(["qty", "discountPct", "note"]);

export interface Access {
  role: RoomRole;
  customer_may_edit_pricing: boolean;
  customer_deal_fields: readonly string[];
}

export function isInternal(role: RoomRole): boolean {
  return role === "rep" || role === "legal" || role === "approver";
}

export function canWriteTerms(role: RoomRole): boolean {
  return role === "rep" || role === "legal" || role === "customer";
}

export function canEditDealField(access: Access, key: string): boolean {
  if (access.role === "rep") return true;
  return access.role === "customer" && access.customer_deal_fields.includes(key);
}

/** May the caller add, remove or reorder lines? Only the rep: for anyone else that changes the array. */
export function canManageLines(access: Access): boolean {
  return access.role === "rep";
}

/** Is `field` of a line with this lock state editable by the caller? */
export function canEditLineField(access: Access, locked: boolean, field: LineField): boolean {
  if (access.role === "rep") return true;
  if (access.role !== "customer") return false;
  return access.customer_may_edit_pricing && !locked && CUSTOMER_LINE_FIELDS.has(field);
}

export interface LineRights {
  sku: boolean;
  qty: boolean;
  discountPct: boolean;
  note: boolean;
  lock: boolean;
  remove: boolean;
  move: boolean;
}

export function lineRights(access: Access, locked: boolean): LineRights {
  const manage = canManageLines(access);
  return {
    sku: canEditLineField(access, locked, "sku"),
    qty: canEditLineField(access, locked, "qty"),
    discountPct: canEditLineField(access, locked, "discountPct"),
    note: canEditLineField(access, locked, "note"),
    lock: manage,
    remove: manage,
    move: manage,
  };
}

/** Does the caller have any pricing write right at all (to explain a read-only table)? */
export function pricingReadOnlyReason(access: Access): string | null {
  switch (access.role) {
    case "rep":
      return null;
    case "customer":
      return access.customer_may_edit_pricing
        ? null
        : "Pricing is read-only: your account team has not opened it for edits.";
    case "viewer":
      return "You have read-only access to this room.";
    default:
      return "Pricing is edited by the rep. You can follow it here.";
  }
}
