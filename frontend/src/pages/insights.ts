/**
 * `/insights` (own chunk, with chart.js): deal velocity for managers, VPs, finance and admins (every rep, or one)
 * and for a rep (their own rooms). Charts of time in each stage, of how long approvals waited per approver,
 * and of the system's own time beside people's (log scale: milliseconds beside days); the longest approval
 * waits and the reps' figures as lists; a period and rep filter; the same data as a CSV download.
 */
import "./insights.css";
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LogarithmicScale, Tooltip, type ChartConfiguration } from "chart.js";
import { ApiError, request, type Me } from "../lib/api";
import { h, icon, mount, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { appBar } from "./rooms";
import {
  OUTCOME_LABELS,
  PEOPLE_LABELS,
  STAGE_LABELS,
  SYSTEM_LABELS,
  chartUnit,
  csvUrl,
  duration,
  insightsQuery,
  longestWaits,
  maySeeInsights,
  seesEveryRep,
  waitedOn,
  type InsightsFilters,
  type InsightsReport,
} from "./insights-data";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, Tooltip, Legend);

const MEDIAN = "#2f5bea";
const P90 = "#a9bdf7";
const SYSTEM = "#127a45";
const PEOPLE = "#b26a00";

function chartBox(title: string, testid: string, lead: string): { el: HTMLElement; canvas: HTMLCanvasElement } {
  const id = uid("chart");
  const canvas = h("canvas", { role: "img", "aria-labelledby": id }) as HTMLCanvasElement;
  const el = h(
    "section",
    { class: "card insights-card", "data-testid": testid },
    h("h2", { class: "card-title", id }, title),
    h("p", { class: "insights-lead" }, lead),
    h("div", { class: "insights-chart" }, canvas),
  );
  return { el, canvas };
}

function durationTooltip(unit: { divisor: number }) {
  return { callbacks: { label: (ctx: { dataset: { label?: string }; parsed: { x: number | null; y: number | null } }) => {
    const value = (ctx.parsed.y ?? ctx.parsed.x ?? 0) * unit.divisor;
    return `${ctx.dataset.label ?? ""}: ${duration(value)}`;
  } } };
}

function stageChart(report: InsightsReport): ChartConfiguration<"bar"> {
  const unit = chartUnit(report.stages.flatMap((s) => [s.median, s.p90]));
  return {
    type: "bar",
    data: {
      labels: report.stages.map((s) => `${STAGE_LABELS[s.stage]} (${s.count})`),
      datasets: [
        { label: "Median", data: report.stages.map((s) => (s.median ?? 0) / unit.divisor), backgroundColor: MEDIAN },
        { label: "90th percentile", data: report.stages.map((s) => (s.p90 ?? 0) / unit.divisor), backgroundColor: P90 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: unit.label } } },
      plugins: { tooltip: durationTooltip(unit), legend: { position: "bottom" } },
    },
  };
}

function approverChart(report: InsightsReport): ChartConfiguration<"bar"> {
  const unit = chartUnit(report.approvers.flatMap((a) => [a.median, a.p90]));
  return {
    type: "bar",
    data: {
      labels: report.approvers.map((a) => `${a.name} (${a.count})`),
      datasets: [
        { label: "Median wait", data: report.approvers.map((a) => (a.median ?? 0) / unit.divisor), backgroundColor: MEDIAN },
        { label: "90th percentile", data: report.approvers.map((a) => (a.p90 ?? 0) / unit.divisor), backgroundColor: P90 },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, title: { display: true, text: unit.label } } },
      plugins: { tooltip: durationTooltip(unit), legend: { position: "bottom" } },
    },
  };
}

function systemChart(report: InsightsReport): ChartConfiguration<"bar"> {
  // Seconds on a log scale: the system's milliseconds and people's days both stay readable.
  const rows = [
    ...report.system.map((s) => ({ label: SYSTEM_LABELS[s.kind] ?? s.kind, median: s.median === null ? null : s.median / 1000, color: SYSTEM, count: s.count })),
    ...report.people.map((p) => ({ label: PEOPLE_LABELS[p.kind] ?? p.kind, median: p.median, color: PEOPLE, count: p.count })),
  ];
  return {
    type: "bar",
    data: {
      labels: rows.map((r) => `${r.label} (${r.count})`),
      datasets: [{ label: "Median", data: rows.map((r) => r.median ?? 0), backgroundColor: rows.map((r) => r.color) }],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { type: "logarithmic", title: { display: true, text: "seconds (log scale)" }, ticks: { callback: (v) => duration(Number(v)) } } },
      plugins: { tooltip: durationTooltip({ divisor: 1 }), legend: { display: false } },
    },
  };
}

function figure(label: string, value: string, testid: string): HTMLElement {
  return h("div", { class: "insights-figure", "data-testid": testid }, h("span", { class: "insights-figure-value" }, value), h("span", { class: "insights-figure-label" }, label));
}

function waitsList(report: InsightsReport): HTMLElement {
  const rows = longestWaits(report, 8);
  const list = h("ol", { class: "insights-waits", "data-testid": "approval-waits" });
  for (const row of rows) {
    list.append(
      h(
        "li",
        { class: "insights-wait", "data-testid": "approval-wait" },
        h("span", { class: "insights-wait-main" },
          h("a", { href: `/rooms/${encodeURIComponent(row.room_id)}`, class: "insights-wait-room" }, row.room_title),
          h("span", { class: "insights-wait-step" }, `${row.name} · waited on ${waitedOn(row)}`),
        ),
        h("span", { class: "insights-wait-side" },
          h("strong", { class: "insights-wait-time" }, duration(row.seconds)),
          h("span", { class: `insights-outcome insights-outcome-${row.outcome}` }, OUTCOME_LABELS[row.outcome]),
        ),
      ),
    );
  }
  if (!rows.length) list.append(h("li", { class: "insights-empty" }, "No approval has waited on anyone in this period."));
  return h("section", { class: "card insights-card" }, h("h2", { class: "card-title" }, "Where approvals waited longest"), list);
}

function repsList(report: InsightsReport): HTMLElement {
  const list = h("ul", { class: "insights-reps", "data-testid": "insights-reps" });
  for (const rep of report.reps) {
    list.append(
      h(
        "li",
        { class: "insights-rep" },
        h("strong", {}, rep.name),
        h("span", {}, `${rep.rooms} room${rep.rooms === 1 ? "" : "s"}`),
        h("span", {}, `to export: ${duration(rep.to_first_export.median)} median`),
        h("span", {}, `rounds: ${rep.rounds.median ?? "—"} median, ${rep.rounds.p90 ?? "—"} p90`),
        h("span", {}, `customer replies: ${duration(rep.customer_replies.median)} median`),
      ),
    );
  }
  return h("section", { class: "card insights-card" }, h("h2", { class: "card-title" }, "Per rep"), list);
}

export function insightsPage(root: HTMLElement, me: Me): () => void {
  document.title = "Insights · Dealroom";
  if (!maySeeInsights(me.role)) {
    mount(root, appBar(me), h("main", { class: "page page-center", "data-testid": "insights-refused" },
      h("h1", { class: "page-title" }, "Insights are for the sales team"),
      h("p", { class: "page-lead" }, "Reps, sales managers, VPs of sales, finance and admins see how fast deals move."),
      h("a", { href: "/", class: "btn btn-primary" }, "Go to your rooms")));
    return () => undefined;
  }
  let alive = true;
  let charts: Chart[] = [];
  const filters: InsightsFilters = Object.fromEntries(new URLSearchParams(location.search)) as InsightsFilters;
  const from = h("input", { type: "date", name: "from", value: filters.from ?? "", "data-testid": "insights-from" }) as HTMLInputElement;
  const to = h("input", { type: "date", name: "to", value: filters.to ?? "", "data-testid": "insights-to" }) as HTMLInputElement;
  const rep = h("select", { name: "rep", "data-testid": "insights-rep" }, h("option", { value: "" }, "Every rep")) as HTMLSelectElement;
  const download = h("a", { class: "btn btn-secondary", href: csvUrl(filters), download: "", "data-testid": "insights-csv" }, icon("download", 16), "Download CSV");
  const form = h("form", { class: "insights-filters", "aria-label": "Period and rep" },
    h("label", {}, "From", from), h("label", {}, "To", to), seesEveryRep(me.role) ? h("label", {}, "Rep", rep) : null,
    h("button", { type: "submit", class: "btn btn-primary" }, "Show"));
  const body = h("div", { class: "insights-body" }, h("div", { class: "page-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading insights…"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next: InsightsFilters = { from: from.value, to: to.value, rep: rep.value };
    navigate(`/insights${insightsQuery(next)}`);
  });

  function draw(report: InsightsReport): void {
    for (const chart of charts) chart.destroy();
    const stage = chartBox("Time in each stage", "chart-stages", "Per room, how long it was a draft, negotiated, waited for approval and stood approved before export.");
    const approvers = chartBox("Approval waits per approver", "chart-approvers", "How long steps waited on each approver (median and 90th percentile; count in brackets).");
    const system = chartBox("The system’s time beside people’s", "chart-system", "Median time of pricing, approval routing and contract generation, beside waiting for approvers and customer replies.");
    if (seesEveryRep(me.role) && rep.options.length === 1) {
      for (const r of report.reps) if (r.id !== null) rep.append(h("option", { value: String(r.id), selected: String(r.id) === filters.rep ? "" : undefined }, r.name));
    }
    body.replaceChildren(
      h("div", { class: "insights-figures" },
        figure("rooms", String(report.rooms.length), "figure-rooms"),
        figure("median to first export", duration(report.to_first_export.median), "figure-export"),
        figure("median approval wait", duration(report.people.find((p) => p.kind === "approval_wait")?.median), "figure-wait"),
        figure("median pricing run", duration((report.system.find((s) => s.kind === "pricing")?.median ?? NaN) / 1000), "figure-pricing"),
      ),
      h("div", { class: "insights-grid" }, stage.el, approvers.el, system.el, waitsList(report)),
      repsList(report),
    );
    approvers.canvas.parentElement!.style.height = `${Math.max(180, 60 + report.approvers.length * 56)}px`;
    charts = [new Chart(stage.canvas, stageChart(report)), new Chart(approvers.canvas, approverChart(report)), new Chart(system.canvas, systemChart(report))];
  }

  async function load(): Promise<void> {
    try {
      const report = await request<InsightsReport>("GET", `/api/insights${insightsQuery(filters)}`);
      if (alive) draw(report);
    } catch (e) {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      body.replaceChildren(h("p", { class: "form-error", role: "alert", "data-testid": "insights-error" }, e instanceof ApiError ? e.detail : "The insights could not be loaded. Check your connection and try again."));
    }
  }

  const main = h(
    "main",
    { class: "page page-insights" },
    h("div", { class: "page-head" },
      h("div", {},
        h("a", { href: "/", class: "page-back" }, icon("back", 16), "Rooms"),
        h("h1", { class: "page-title" }, "Deal velocity"),
        h("p", { class: "page-lead" }, seesEveryRep(me.role) ? "Where the team’s deals spend their time, and where approvals wait." : "Where your deals spend their time, and where approvals wait."),
      ),
      download,
    ),
    form,
    body,
  );
  mount(root, appBar(me, "insights"), main);
  void load();
  return () => {
    alive = false;
    for (const chart of charts) chart.destroy();
  };
}
