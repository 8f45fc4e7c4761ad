import { afterEach, describe, expect, it, vi } from "vitest";
import { approveLinkPage, decidedOutcome, settledOutcome, summaryLine } from "./approve-link";
import { json, settle } from "../test-support";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const step = {
  request_id: "apr_1",
  step_id: "discount-over-20",
  name: "Sales manager",
  reason: "Discount over 20%: max line discount 32% is over 20%",
  room_title: "Acme — Platform renewal",
  fingerprint: "f1",
  request_state: "pending",
  step_state: "pending",
  facts: [{ fact: "max_line_discount_pct", label: "max line discount", value: "32%", approved_value: "25%" }],
};

describe("the mailed link page", () => {
  it("says when there is nothing left to decide", () => {
    expect(settledOutcome({ request_state: "pending", step_state: "pending" })).toBeNull();
    expect(settledOutcome({ request_state: "pending", step_state: "approved" })?.title).toBe("Already approved");
    expect(settledOutcome({ request_state: "rejected", step_state: "rejected" })?.title).toBe("Already rejected");
    expect(settledOutcome({ request_state: "recalled", step_state: "pending" })?.state).toBe("recalled");
    expect(settledOutcome({ request_state: "superseded", step_state: "pending" })?.state).toBe("superseded");
    expect(settledOutcome({ request_state: "pending", step_state: "pending", your_decision: "approve" })?.title).toBe("You approved this");
  });

  it("tells the outcome of a decision", () => {
    expect(decidedOutcome("approve", { request_id: "r", state: "approved", steps: [{ id: "s", state: "approved" }] }, "s").text).toMatch(/Every step is approved/);
    expect(decidedOutcome("approve", { request_id: "r", state: "pending" }, "s").title).toBe("Approved");
    expect(decidedOutcome("reject", undefined, "s").state).toBe("rejected");
  });

  it("shows what is asked, approves in one tap with the version's fingerprint, then the outcome", async () => {
    const calls: { url: string; body?: string }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        calls.push({ url, body: init?.body as string | undefined });
        if (init?.method === "POST") return json(200, { request_id: "apr_1", state: "approved", steps: [{ id: "discount-over-20", state: "approved" }] });
        return json(200, step);
      }),
    );
    const root = document.createElement("div");
    document.body.append(root);
    approveLinkPage(root, "tok");
    await settle();
    expect(root.querySelector("h1")!.textContent).toBe("Discount over 20%");
    expect(root.querySelector("[data-testid=link-fact]")!.textContent).toContain("32% (approved before: 25%)");
    root.querySelector<HTMLButtonElement>("[data-testid=link-approve]")!.click();
    await settle();
    expect(calls[1].url).toBe("/api/approvals/link/tok/decision");
    expect(JSON.parse(calls[1].body!)).toEqual({ decision: "approve", fingerprint: "f1" });
    expect(root.querySelector("[data-testid=link-outcome]")!.textContent).toContain("Approved");
    expect(root.querySelector("[data-testid=link-approve]")).toBeNull();
  });

  it("says plainly when the link is not valid", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(404, { error: "not_found", detail: "this link is not valid" })));
    const root = document.createElement("div");
    approveLinkPage(root, "bad");
    await settle();
    expect(root.querySelector("[data-testid=link-invalid]")!.textContent).toContain("This link has expired or is not valid");
  });
});

describe("summaryLine", () => {
  it("puts the deal in one line, money rounded, with its currency", () => {
    expect(summaryLine({ summary: { currency: "USD", net_total: "242925.004", term_months: 36, max_line_discount_pct: "32.50", lines: 4 } })).toBe(
      "USD 242,925.00 · 36 months · max. discount 32.5% · 4 lines",
    );
    expect(summaryLine({ summary: { lines: 1 } })).toBe("1 line");
    expect(summaryLine({})).toBe("");
  });
});
