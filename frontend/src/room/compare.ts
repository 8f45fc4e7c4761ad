/**
 * Two versions side by side: the terms' changed blocks as word diffs (<ins>/<del>), the pricing lines before
 * and after with changed cells marked, the totals, the deal fields, and for internal people the approvals each
 * version carried. Opens as a sheet (full screen on phones, a wide dialog on desktop).
 */
import { diffView } from "../lib/clause-render";
import { h, icon, uid } from "../lib/dom";
import { clockTime } from "../lib/when";
import { formatMoney, formatPct, MISSING } from "./computed";
import { blockTitle, cellText, fieldLabel, LINE_COLUMNS, productOf, sideName } from "./compare-view";
import type { CarriedRequest, CompareResult } from "./versions-api";
import "./versions.css";

const STATUS_TEXT = { changed: "Changed", added: "Added", removed: "Removed", same: "Unchanged" } as const;

function section(title: string, testid: string, ...body: (Node | null)[]): HTMLElement {
  return h("section", { class: "compare-section", "data-testid": testid }, h("h3", { class: "compare-heading" }, title), ...body);
}

function termsSection(result: CompareResult): HTMLElement {
  const changed = result.terms.filter((b) => b.status !== "same");
  const same = result.terms.length - changed.length;
  const items = changed.map((block) =>
    h(
      "li",
      { class: `compare-block is-${block.status}`, "data-testid": "compare-block", "data-status": block.status },
      h("div", { class: "compare-block-head" }, h("span", { class: "compare-block-title" }, blockTitle(block)), h("span", { class: `chip chip-${block.status}` }, STATUS_TEXT[block.status])),
      block.title_before !== undefined ? h("p", { class: "muted" }, `Heading was “${block.title_before}”`) : null,
      diffView(block.diff ?? []),
    ),
  );
  return section(
    "Terms",
    "compare-terms",
    changed.length ? h("ol", { class: "compare-blocks" }, items) : h("p", { class: "muted" }, "The terms are the same."),
    same && changed.length ? h("p", { class: "muted compare-same" }, same === 1 ? "1 other block is unchanged." : `${same} other blocks are unchanged.`) : null,
  );
}

function linesSection(result: CompareResult): HTMLElement {
  const before = result.totals.currency_before;
  const after = result.totals.currency_after;
  const rows = result.lines.map((line) =>
    h(
      "tr",
      { class: `is-${line.status}`, "data-testid": "compare-line", "data-line-id": line.id, "data-status": line.status },
      h("th", { scope: "row" }, h("span", { class: "compare-product" }, productOf(line)), line.status !== "same" ? h("span", { class: `chip chip-${line.status}` }, STATUS_TEXT[line.status]) : null),
      LINE_COLUMNS.map((column) => {
        const was = cellText(line.before, column.key, before);
        const now = cellText(line.after, column.key, after);
        const changed = line.status === "changed" && line.changed.includes(column.key);
        return h(
          "td",
          { class: `col-${column.key}${changed ? " is-changed" : ""}`, "data-testid": `compare-cell-${column.key}`, "data-changed": changed ? "true" : "false" },
          changed ? [h("del", { class: "diff-del" }, was), " ", h("ins", { class: "diff-ins" }, now)] : line.status === "removed" ? was : now,
        );
      }),
    ),
  );
  const table = h(
    "table",
    { class: "compare-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Product"), LINE_COLUMNS.map((c) => h("th", { scope: "col", class: `col-${c.key}` }, c.label)))),
    h("tbody", {}, rows),
  );
  return section("Pricing", "compare-lines", result.lines.length ? h("div", { class: "compare-scroll" }, table) : h("p", { class: "muted" }, "No lines in either version."), totals(result));
}

const TOTALS: { key: string; label: string; pct?: boolean }[] = [
  { key: "list_total", label: "List price total" },
  { key: "total_discount", label: "Discounts" },
  { key: "total_discount_pct", label: "Total discount", pct: true },
  { key: "net_total", label: "Net total" },
];

function totals(result: CompareResult): HTMLElement {
  const t = result.totals;
  const show = (value: string | null | undefined, currency: string | null, pct?: boolean) =>
    value === null || value === undefined ? MISSING : pct ? formatPct(value) : formatMoney(value, currency ?? undefined);
  return h(
    "dl",
    { class: "compare-totals", "data-testid": "compare-totals" },
    TOTALS.map((row) => {
      const was = show(t.before[row.key], t.currency_before, row.pct);
      const now = show(t.after[row.key], t.currency_after, row.pct);
      const changed = t.changed.includes(row.key);
      return h(
        "div",
        { class: `compare-total${changed ? " is-changed" : ""}`, "data-testid": `compare-total-${row.key}` },
        h("dt", {}, row.label),
        h("dd", {}, changed ? [h("del", { class: "diff-del" }, was), " ", h("ins", { class: "diff-ins" }, now)] : now),
      );
    }),
  );
}

function dealSection(result: CompareResult): HTMLElement {
  const changed = result.deal.filter((f) => f.changed);
  return section(
    "Deal",
    "compare-deal",
    changed.length
      ? h(
          "dl",
          { class: "compare-fields" },
          changed.map((f) =>
            h("div", { class: "compare-field is-changed", "data-testid": "compare-field", "data-field": f.field }, h("dt", {}, fieldLabel(f.field)), h("dd", {}, h("del", { class: "diff-del" }, f.before ?? MISSING), " ", h("ins", { class: "diff-ins" }, f.after ?? MISSING))),
          ),
        )
      : h("p", { class: "muted" }, "The deal fields are the same."),
  );
}

function carried(requests: CarriedRequest[]): HTMLElement {
  if (!requests.length) return h("p", { class: "muted" }, "No approval was asked for this version.");
  return h(
    "ul",
    { class: "compare-approvals" },
    requests.map((r) =>
      h(
        "li",
        { "data-testid": "compare-approval" },
        h("p", {}, h("strong", {}, `Request ${r.state}`), ` · sent by ${r.submitted_by}, ${clockTime(r.submitted_at)}`),
        h(
          "ul",
          {},
          r.steps.map((s) =>
            h("li", {}, `${s.name}: ${s.state}`, s.decisions.map((d) => h("span", { class: "muted" }, ` — ${d.decision === "approve" ? "approved" : "rejected"} by ${d.approver}, ${clockTime(d.at)}`))),
          ),
        ),
      ),
    ),
  );
}

function approvalsSection(result: CompareResult): HTMLElement | null {
  if (!result.approvals) return null;
  return section(
    "Approvals",
    "compare-approvals",
    h("p", { class: "hint internal-hint" }, icon("lock", 14), "Internal: customers never see this."),
    h("div", { class: "compare-sides" }, h("div", {}, h("h4", {}, sideName(result.from)), carried(result.approvals.from)), h("div", {}, h("h4", {}, sideName(result.to)), carried(result.approvals.to))),
  );
}

/** The whole comparison as one element. */
export function compareView(result: CompareResult): HTMLElement {
  const c = result.counts;
  const summary = c.total ? `${c.total} change${c.total === 1 ? "" : "s"}: ${c.terms} in the terms, ${c.lines} in the lines, ${c.deal} in the deal fields` : "No differences.";
  return h(
    "div",
    { class: "compare", "data-testid": "compare-view" },
    h("p", { class: "compare-summary", "data-testid": "compare-summary" }, summary),
    termsSection(result),
    linesSection(result),
    dealSection(result),
    approvalsSection(result),
  );
}

let open: HTMLDialogElement | null = null;

/** Show a comparison in a sheet; closes on Escape, the close button or a tap outside. */
export function openCompare(result: CompareResult, opener?: HTMLElement): HTMLDialogElement {
  open?.close();
  const titleId = uid("compare-title");
  const close = h("button", { type: "button", class: "icon-btn sheet-close", "data-testid": "compare-close", "aria-label": "Close" }, icon("close", 20));
  const el = h(
    "dialog",
    { class: "dialog-sheet sheet compare-sheet", "data-testid": "compare-sheet", "aria-labelledby": titleId },
    h(
      "div",
      { class: "sheet-inner" },
      h("header", { class: "sheet-head" }, h("div", { class: "sheet-heading" }, h("h2", { class: "sheet-title", id: titleId }, `${sideName(result.from)} → ${sideName(result.to)}`), h("p", { class: "sheet-sub" }, result.from.label, " → ", result.to.label)), close),
      h("div", { class: "sheet-body" }, compareView(result)),
    ),
  );
  const done = () => {
    if (el.open) el.close();
    el.remove();
    if (open === el) open = null;
    if (opener?.isConnected) opener.focus();
  };
  close.addEventListener("click", done);
  el.addEventListener("close", done);
  el.addEventListener("click", (event) => {
    if (event.target === el) done();
  });
  document.body.append(el);
  el.showModal();
  close.focus();
  open = el;
  return el;
}
