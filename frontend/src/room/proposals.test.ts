import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { ProposalsView, mayDecide, readProposals, shortDiff, type Proposal } from "./proposals";

afterEach(() => document.body.replaceChildren());

const qty: Proposal = {
  id: "p1", kind: "line", subject: { key: "line:a:qty", line_id: "a", field: "qty" },
  by: { name: "Bo Buyer", role: "customer" }, from: 100, to: 150, at: "2026-12-03T12:00:00+00:00", revision: 1,
};
const clause: Proposal = {
  id: "p2", kind: "clause", subject: { key: "clause:liability:0", clause_id: "liability", occurrence: 0 },
  by: { name: "Bo Buyer", role: "customer" }, from: "twelve months", to: "twenty-four months", at: "2026-12-03T12:01:00+00:00", revision: 3,
  diff: [{ op: "delete", text: "twelve" }, { op: "insert", text: "twenty-four" }, { op: "equal", text: "months" }],
};

function room(): Y.Map<unknown> {
  const computed = new Y.Doc().getMap<unknown>("computed");
  computed.set("proposals", [qty, clause]);
  return computed;
}

describe("the customer's proposals", () => {
  it("are read from computed, and only the rep (legal on clauses) decides", () => {
    expect(readProposals(room()).map((p) => p.id)).toEqual(["p1", "p2"]);
    expect(readProposals(new Y.Doc().getMap("computed"))).toEqual([]);
    expect(mayDecide("rep", "line")).toBe(true);
    expect(mayDecide("legal", "clause")).toBe(true);
    expect(mayDecide("legal", "line")).toBe(false);
    expect(mayDecide("customer", "line")).toBe(false);
  });

  it("show the customer the accepted value struck through and that the rep decides", () => {
    const view = new ProposalsView({ roomId: "r", role: "customer", kind: "line", notify: () => undefined });
    view.bind(room());
    expect(view.el.hidden).toBe(false);
    expect(view.el.querySelector("[data-testid=proposal-from]")?.textContent).toBe("100");
    expect(view.el.querySelector("s")?.textContent).toBe("100");
    expect(view.el.querySelector("[data-testid=proposal-to]")?.textContent).toBe("150");
    expect(view.el.textContent).toContain("by Bo Buyer");
    expect(view.el.querySelector("[data-testid=proposal-waiting]")?.textContent).toBe("Proposed, waiting for the rep");
    expect(view.el.querySelector("button")).toBeNull();
  });

  it("let the rep accept in one tap, and counter with a value", async () => {
    const decide = vi.fn().mockResolvedValue({ decision: "accepted" });
    const view = new ProposalsView({ roomId: "r", role: "rep", kind: "line", notify: () => undefined, decide });
    view.bind(room());
    document.body.append(view.el);
    view.el.querySelector<HTMLButtonElement>("[data-testid=proposal-accept]")!.click();
    await vi.waitFor(() => expect(decide).toHaveBeenCalledWith("r", "p1", "accept", { revision: 1 }));
    view.el.querySelector<HTMLButtonElement>("[data-testid=proposal-counter]")!.click();
    const input = view.el.querySelector<HTMLInputElement>("[data-testid=proposal-counter-value]")!;
    input.value = "120";
    view.el.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await vi.waitFor(() => expect(decide).toHaveBeenCalledWith("r", "p1", "counter", { revision: 1, value: 120 }));
  });

  it("show a clause proposal as a word diff, with no counter value", () => {
    const view = new ProposalsView({ roomId: "r", role: "rep", kind: "clause", notify: () => undefined });
    view.bind(room());
    expect(view.el.querySelector("del")?.textContent).toBe("twelve");
    expect(view.el.querySelector("ins")?.textContent).toBe("twenty-four");
    expect(view.el.querySelector("[data-testid=proposal-counter]")).toBeNull();
    expect(view.el.querySelector("[data-testid=proposal-decline]")).not.toBeNull();
  });

  it("cut a clause's long unchanged text to a few words around the change", () => {
    const long = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
    const cut = shortDiff([{ op: "equal", text: long }, { op: "delete", text: "12" }, { op: "insert", text: "24" }, { op: "equal", text: long }]);
    expect(cut[0].text).toBe("… w24 w25 w26 w27 w28 w29");
    expect(cut[3].text).toBe("w0 w1 w2 w3 w4 w5 …");
    expect(cut[1]).toEqual({ op: "delete", text: "12" });
    expect(shortDiff([{ op: "equal", text: "a b c" }, { op: "insert", text: "d" }])[0].text).toBe("a b c");
  });

  it("stay hidden without proposals", () => {
    const view = new ProposalsView({ roomId: "r", role: "rep", kind: "line", notify: () => undefined });
    view.bind(new Y.Doc().getMap("computed"));
    expect(view.el.hidden).toBe(true);
  });
});
