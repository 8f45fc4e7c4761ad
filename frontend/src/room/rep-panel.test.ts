import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { formatMoney, readQuote } from "./computed";
import { commissionView, economicsView } from "./internal-view";
import { commission, internalQuote } from "./quote.fixture";
import { RepPanel } from "./rep-panel";

const usd = (amount: string) => formatMoney(amount, "USD");

function quoteOf(value: unknown) {
  const doc = new Y.Doc();
  doc.getMap<unknown>("computed").set("quote", value);
  return readQuote(doc.getMap<unknown>("computed"));
}

afterEach(() => document.body.replaceChildren());

describe("margin view model", () => {
  it("shows dashes and no floor verdict while the internal quote is absent", () => {
    expect(economicsView(undefined)).toEqual({ priced: false, margin: "—", cost: "—", net: "—", maxDiscount: "—", belowFloor: [] });
  });

  it("gives margin with its percentage, cost, the highest discount and each line under its floor in words", () => {
    const view = economicsView(quoteOf(internalQuote()));
    expect(view.margin).toBe(`${usd("485100.00")} (63.81%)`);
    expect(view.cost).toBe(usd("275100.00"));
    expect(view.maxDiscount).toBe("45%");
    expect(view.belowFloor).toEqual([`Line 1, Platform Enterprise (PLAT-ENT): net price ${usd("43.50")} is under the floor of ${usd("45.00")}.`]);
  });

  it("takes a floor breach from either the totals or the line, and copes without prices", () => {
    const q = internalQuote();
    q.totals.below_floor = ["l4"];
    q.lines[3].floor_unit = undefined;
    const view = economicsView(quoteOf(q));
    expect(view.belowFloor).toHaveLength(2);
    expect(view.belowFloor[1]).toBe("Line 4, SSO & SCIM add-on (ADD-SSO) is priced under its floor.");
  });

  it("shows a dash for a margin the server could not compute", () => {
    const q = internalQuote();
    q.totals.margin = null;
    q.totals.margin_pct = null;
    expect(economicsView(quoteOf(q)).margin).toBe("—");
  });
});

describe("commission view model", () => {
  it("is absent before the first pricing, and says so when there is no incentive plan", () => {
    expect(commissionView(undefined).state).toBe("absent");
    expect(commissionView(undefined).total).toBe("—");
    expect(commissionView(null).state).toBe("none");
  });

  it("formats the total and every layer, marking reductions", () => {
    const view = commissionView(commission());
    expect(view.state).toBe("estimate");
    expect(view.total).toBe(usd("20982.00"));
    expect(view.layers.map((l) => [l.name, l.amount, l.negative])).toEqual([
      ["Base rate", usd("35472.00"), false],
      ["Platform Enterprise rate", usd("2610.00"), false],
      ["Onboarding package rate", usd("-17100.00"), true],
    ]);
    expect(view.layers[0].explanation).toBe("8% of USD 443,400.00 first-year value.");
    expect(view.hints).toHaveLength(2);
  });
});

describe("rep panel ↔ internal computed", () => {
  function mountPanel(yours = true) {
    const doc = new Y.Doc();
    const panel = new RepPanel(yours);
    document.body.replaceChildren(panel.el);
    panel.bind(doc.getMap<unknown>("computed"));
    const server = new Y.Doc();
    const write = (key: string, value: unknown) => {
      const before = Y.encodeStateVector(doc);
      server.transact(() => server.getMap<unknown>("computed").set(key, value));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, before), "remote");
    };
    const text = (hook: string) => document.querySelector(`[data-testid=${hook}]`)!.textContent;
    const all = (hook: string) => Array.from(document.querySelectorAll(`[data-testid=${hook}]`), (e) => e.textContent);
    return { doc, panel, write, text, all };
  }

  it("shows dashes until the server has priced", () => {
    const p = mountPanel();
    expect(p.text("quote-margin")).toBe("—");
    expect(p.text("commission-total")).toBe("—");
    expect(p.all("commission-layer")).toEqual([]);
    expect(p.all("line-below-floor")).toEqual([]);
  });

  it("re-renders when the server writes the internal quote and the commission", () => {
    const p = mountPanel();
    p.write("quote", internalQuote());
    expect(p.text("quote-margin")).toContain("63.81%");
    expect(p.text("quote-cost")).toContain("275,100.00");
    expect(p.all("line-below-floor")).toHaveLength(1);
    expect(p.all("line-below-floor")[0]).toContain("Platform Enterprise (PLAT-ENT)");
    expect(p.panel.el.classList.contains("has-floor-breach")).toBe(true);

    p.write("commission", commission());
    expect(p.text("commission-total")).toContain("20,982.00");
    const layers = Array.from(document.querySelectorAll("[data-testid=commission-layer]"));
    expect(layers.length).toBe(commission().layers.length);
    expect(layers[0].textContent).toContain("Base rate");
    expect(layers[0].textContent).toContain("35,472.00");
    expect(layers[0].textContent).toContain("8% of USD 443,400.00 first-year value.");
    expect(layers[2].classList.contains("is-negative")).toBe(true);
    expect(p.all("commission-hint")[0]).toContain("AI launch SPIF");

    // The rep lowers the discount: back above the floor.
    const better = internalQuote();
    better.totals.below_floor = [];
    better.lines[0].below_floor = false;
    p.write("quote", better);
    expect(p.all("line-below-floor")).toEqual([]);
    expect(p.panel.el.textContent).toContain("Every line is at or above its floor price.");
    expect(p.panel.el.classList.contains("has-floor-breach")).toBe(false);
  });

  it("says when there is no incentive plan", () => {
    const p = mountPanel();
    p.write("commission", null);
    expect(p.panel.el.textContent).toContain("No incentive plan");
  });

  it("stops following a doc it was unbound from", () => {
    const p = mountPanel();
    p.panel.unbind();
    p.write("quote", internalQuote());
    expect(p.text("quote-margin")).toBe("—");
  });

  it("names whose commission it is", () => {
    mountPanel(false);
    expect(document.body.textContent).toContain("Rep's commission estimate");
  });
});
