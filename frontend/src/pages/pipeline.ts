/**
 * `/pipeline` (own chunk): the rep's deals with stage, value, approval state, open threads, the customer's
 * last activity and the commission estimate; the quarter against quota with two charts (attainment with
 * the plan's tier bands, pipeline by stage). Managers switch to their team: each report's pipeline and
 * the approval steps waiting, on whom and for how long. A card per deal on phones, rows under column
 * headings on desktop. Internal people only (the server answers 403 to anyone else).
 */
import "./pipeline.css";
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip, type Plugin } from "chart.js";
import { ApiError, isInternalUser, request, type Me } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { appBar } from "./rooms";
import {
  approvalText,
  attainmentChart,
  compact,
  customerActivity,
  money,
  openThreads,
  stageChart,
  stageLabel,
  waited,
  type AttainmentChart,
  type MinePipeline,
  type PersonPipeline,
  type PipelineDeal,
  type TeamPipeline,
} from "./pipeline-view";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const MANAGERS = new Set(["sales_manager", "vp_sales"]);
const BAND_COLORS = ["rgba(47, 91, 234, 0.06)", "rgba(18, 122, 69, 0.10)", "rgba(138, 83, 0, 0.12)", "rgba(180, 35, 24, 0.10)"];

/** Draws the tier bands behind the attainment bars, each labelled at its top. */
function bandsPlugin(chart: AttainmentChart): Plugin<"bar"> {
  return {
    id: "tierBands",
    beforeDatasetsDraw(c) {
      const { ctx, chartArea, scales } = c;
      const x = scales.x;
      ctx.save();
      chart.bands.forEach((band, i) => {
        const left = x.getPixelForValue(band.from);
        const right = x.getPixelForValue(Math.min(band.to, chart.max));
        ctx.fillStyle = BAND_COLORS[i % BAND_COLORS.length];
        ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
        ctx.fillStyle = "#556070";
        ctx.font = "12px system-ui, sans-serif";
        ctx.fillText(band.label, left + 4, chartArea.top + 12);
      });
      const quota = x.getPixelForValue(100);
      ctx.strokeStyle = "#17202e";
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(quota, chartArea.top);
      ctx.lineTo(quota, chartArea.bottom);
      ctx.stroke();
      ctx.restore();
    },
  };
}

function attainmentCanvas(data: AttainmentChart, charts: Chart[]): HTMLElement {
  const canvas = h("canvas", { role: "img", "aria-label": `Attainment ${data.closed} % closed, ${data.withOpen} % with the open deals; tiers ${data.bands.map((b) => `${b.label} from ${b.from} %`).join(", ")}` }) as HTMLCanvasElement;
  const box = h("div", { class: "chart-box chart-attainment", "data-testid": "attainment-chart" }, canvas);
  charts.push(
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: ["Closed", "With open deals"],
        datasets: [{ data: [data.closed, data.withOpen], backgroundColor: ["#127a45", "rgba(47, 91, 234, 0.55)"], borderRadius: 4, barPercentage: 0.6 }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { min: 0, max: data.max, ticks: { callback: (v) => `${v} %` } } },
        plugins: { tooltip: { callbacks: { label: (item) => `${item.parsed.x} % of quota` } } },
      },
      plugins: [bandsPlugin(data)],
    }),
  );
  return box;
}

function stageCanvas(rows: PersonPipeline["by_stage"], currency: string | null, charts: Chart[]): HTMLElement {
  const data = stageChart(rows, currency);
  const canvas = h("canvas", { role: "img", "aria-label": `Pipeline by stage: ${data.labels.map((l, i) => `${l} ${data.counts[i]}`).join(", ")}` }) as HTMLCanvasElement;
  charts.push(
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ data: data.values, backgroundColor: "#2f5bea", borderRadius: 4 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => compact(Number(v)) } } },
        plugins: {
          tooltip: { callbacks: { label: (item) => `${data.counts[item.dataIndex]} deal(s), ${data.currency ?? ""} ${compact(item.parsed.y ?? 0)} first year` } },
        },
      },
    }),
  );
  return h("div", { class: "chart-box chart-stages", "data-testid": "stage-chart" }, canvas);
}

function dealRow(deal: PipelineDeal): HTMLElement {
  const threads = openThreads(deal);
  return h(
    "li",
    { class: "deal card", "data-testid": "pipeline-deal", "data-room-id": deal.room_id, "data-stage": deal.stage },
    h("div", { class: "deal-main" }, h("a", { href: `/rooms/${encodeURIComponent(deal.room_id)}`, class: "deal-title", "data-testid": "deal-link" }, deal.title), h("span", { class: "deal-customer" }, deal.customer)),
    h("span", { class: `stage-badge stage-${deal.stage}`, "data-testid": "deal-stage" }, stageLabel(deal.stage)),
    h("div", { class: "deal-value" }, h("span", { class: "deal-label" }, "First year "), money(deal.first_year, deal.currency), h("span", { class: "deal-total" }, `Total ${money(deal.total, deal.currency)}`)),
    h("div", { class: "deal-status" }, h("span", {}, approvalText(deal.approval)), threads ? h("span", { class: "deal-threads" }, threads) : null, h("span", { class: "deal-activity" }, customerActivity(deal.days_since_customer_activity))),
    h(
      "div",
      { class: "deal-commission" },
      h("span", { class: "deal-label" }, "Commission "),
      h("strong", { "data-testid": "deal-commission" }, deal.commission ? money(deal.commission.total, deal.commission.currency) : "—"),
      deal.attainment ? h("span", { class: "deal-move", "data-testid": "deal-move", "data-tier-changes": String(deal.attainment.tier_changes) }, deal.attainment.sentence) : null,
    ),
  );
}

function dealList(deals: PipelineDeal[]): HTMLElement {
  const columns = h("div", { class: "deal-columns", "aria-hidden": "true" }, h("span", {}, "Deal"), h("span", {}, "Stage"), h("span", {}, "Value"), h("span", {}, "Status"), h("span", {}, "Commission"));
  if (!deals.length) return h("p", { class: "muted" }, "No deals yet: open a room from your rooms page.");
  return h("div", { class: "deal-table" }, columns, h("ul", { class: "deal-list", "data-testid": "deal-list" }, deals.map(dealRow)));
}

function quarterSummary(person: PersonPipeline, charts: Chart[]): HTMLElement {
  const q = person.quarter;
  const head = q ? `${q.label} (${q.starts} to ${q.ends})` : "This quarter";
  const facts =
    q && q.quota !== null
      ? h(
          "dl",
          { class: "stats quarter-stats", "data-testid": "quarter-stats" },
          h("div", { class: "stat" }, h("dt", {}, "Quota"), h("dd", {}, money(q.quota, q.currency))),
          h("div", { class: "stat" }, h("dt", {}, "Closed"), h("dd", {}, money(q.closed, q.currency))),
          h("div", { class: "stat stat-main" }, h("dt", {}, "Attainment"), h("dd", { "data-testid": "attainment" }, `${q.attainment_pct} %`)),
          h("div", { class: "stat" }, h("dt", {}, "Tier"), h("dd", { "data-testid": "tier" }, q.tier ?? "—")),
        )
      : h("p", { class: "muted" }, "No quota in the incentive plan for this quarter.");
  const chart = attainmentChart(q, person.deals);
  return h(
    "section",
    { class: "card quarter" },
    h("h2", { class: "section-title" }, head),
    facts,
    h("div", { class: "charts" }, chart ? attainmentCanvas(chart, charts) : null, stageCanvas(person.by_stage, q?.currency ?? null, charts)),
  );
}

function mine(data: MinePipeline, charts: Chart[]): HTMLElement[] {
  return [quarterSummary(data, charts), h("section", { class: "deals" }, h("h2", { class: "section-title" }, "Your deals"), dealList(data.deals))];
}

function team(data: TeamPipeline, charts: Chart[]): HTMLElement[] {
  const waiting = data.approvals_waiting.length
    ? h(
        "ul",
        { class: "waiting-list", "data-testid": "approvals-waiting" },
        data.approvals_waiting.map((w) =>
          h(
            "li",
            { class: "card waiting-item" },
            h("a", { href: `/rooms/${encodeURIComponent(w.room_id)}` }, w.title),
            h("span", {}, `${w.name}: waiting on ${w.waiting_on.map((p) => p.name).join(", ") || "nobody"}`),
            h("span", { class: "muted" }, `for ${waited(w.hours_waited)} (${w.owner.name}'s deal)`),
          ),
        ),
      )
    : h("p", { class: "muted" }, "No approvals waiting in your team's deals.");
  const people = data.people.map((person) =>
    h("section", { class: "team-person", "data-testid": "team-person" }, h("h2", { class: "section-title" }, person.user.name), quarterSummary(person, charts), dealList(person.deals)),
  );
  return [h("section", { class: "waiting" }, h("h2", { class: "section-title" }, "Approvals waiting"), waiting), ...(people.length ? people : [h("p", { class: "muted" }, "Nobody reports to you yet.")])];
}

export function pipelinePage(root: HTMLElement, me: Me): () => void {
  document.title = "Pipeline · Dealroom";
  const scope = new URLSearchParams(location.search).get("scope") === "team" && MANAGERS.has(me.role) ? "team" : "mine";
  const charts: Chart[] = [];
  let alive = true;
  const body = h("div", { class: "pipeline-body" }, h("div", { class: "page-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading the pipeline…"));
  const tabs = MANAGERS.has(me.role)
    ? h(
        "nav",
        { class: "scope-tabs", "aria-label": "Whose pipeline" },
        h("a", { href: "/pipeline", class: "btn btn-ghost", "aria-current": scope === "mine" ? "page" : undefined }, "Mine"),
        h("a", { href: "/pipeline?scope=team", class: "btn btn-ghost", "data-testid": "team-link", "aria-current": scope === "team" ? "page" : undefined }, "My team"),
      )
    : null;
  mount(root, appBar(me, "pipeline"), h("main", { class: "page page-pipeline" }, h("div", { class: "page-head" }, h("h1", { class: "page-title" }, scope === "team" ? "Team pipeline" : "Pipeline"), tabs), body));
  if (!isInternalUser(me)) {
    body.replaceChildren(h("p", { class: "notice" }, "The pipeline is for your company's people."));
    return () => undefined;
  }
  request<MinePipeline | TeamPipeline>("GET", scope === "team" ? "/api/pipeline?scope=team" : "/api/pipeline").then(
    (data) => {
      if (!alive) return;
      body.replaceChildren(...(data.scope === "team" ? team(data, charts) : mine(data, charts)));
    },
    (e: unknown) => {
      if (!alive) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      body.replaceChildren(h("p", { class: "notice", "data-tone": "error", role: "alert" }, e instanceof ApiError ? e.detail : "The pipeline could not be loaded."));
    },
  );
  return () => {
    alive = false;
    charts.forEach((c) => c.destroy());
  };
}
