/** A compare answer as the server gives it, for the vitest suites. */
import type { CompareResult } from "./versions-api";

export function compareFixture(internal = true): CompareResult {
  return {
    from: { number: 1, label: "Submitted for approval", current: false, created_at: "2026-12-03T10:00:00+00:00" },
    to: { number: null, label: "Current", current: true, created_at: null },
    terms: [
      { kind: "text", status: "same", position: 0, text: "Master agreement" },
      {
        kind: "clause",
        status: "changed",
        clause_id: "liability",
        title: "Limitation of liability",
        position: 1,
        diff: [
          { op: "equal", text: "capped at" },
          { op: "delete", text: "12" },
          { op: "insert", text: "24" },
          { op: "equal", text: "months of fees." },
        ],
      },
      { kind: "clause", status: "removed", clause_id: "sla", title: "Service levels", position: null, diff: [{ op: "delete", text: "99.9% uptime." }] },
    ],
    lines: [
      {
        id: "a",
        status: "changed",
        before: { sku: "PLAT-ENT", product: "Platform Enterprise", qty: "100", discount_pct: "10", list_unit: "100.00", net_unit: "90.00", net_total: "9000.00" },
        after: { sku: "PLAT-ENT", product: "Platform Enterprise", qty: "100", discount_pct: "25", list_unit: "100.00", net_unit: "75.00", net_total: "7500.00" },
        changed: ["discount_pct", "net_unit", "net_total"],
      },
      {
        id: "b",
        status: "same",
        before: { sku: "ADD-SSO", product: "SSO", qty: "1", discount_pct: "0", list_unit: "10.00", net_unit: "10.00", net_total: "10.00" },
        after: { sku: "ADD-SSO", product: "SSO", qty: "1", discount_pct: "0", list_unit: "10.00", net_unit: "10.00", net_total: "10.00" },
        changed: [],
      },
    ],
    totals: { currency_before: "USD", currency_after: "USD", before: { net_total: "9010.00" }, after: { net_total: "7510.00" }, changed: ["net_total"] },
    deal: [
      { field: "paymentTermsDays", before: "30", after: "45", changed: true },
      { field: "title", before: "Deal", after: "Deal", changed: false },
    ],
    counts: { terms: 2, lines: 1, deal: 1, total: 4 },
    ...(internal
      ? {
          approvals: {
            from: [{ request_id: "apr_1", state: "approved", submitted_by: "Rita Rep", submitted_at: "2026-12-03T10:00:00+00:00", steps: [{ name: "Sales manager", state: "approved", decisions: [{ approver: "Mo Manager", decision: "approve", at: "2026-12-03T10:05:00+00:00", comment: "" }] }] }],
            to: [],
          },
        }
      : {}),
  };
}
