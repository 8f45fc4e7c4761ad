import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { clauseBlockJSON, type Clause } from "../../lib/clauses";
import { insertClause } from "./tools";
import { ClauseBoard, type BoardOptions } from "./views";
import { settle } from "../../test-support";

const HOSTILE = "<img src=x onerror=alert(1)>";

const LIABILITY: Clause = {
  id: "cl_liab",
  key: "limitation-of-liability",
  title: "Limitation of liability",
  category: "liability",
  versions: [
    {
      number: 1,
      status: "published",
      text: "Liability of {{vendor.name}} is capped at the fees paid in 12 months.",
      fallbacks: [
        { rank: 1, text: "Liability is capped at the fees paid in 24 months.", when_to_use: "The customer insists on a higher cap." },
        { rank: 2, text: "Liability is capped at twice the annual fees.", when_to_use: "Strategic deals only." },
      ],
      deviation_approval: "legal",
    },
    { number: 2, status: "published", text: "Liability is capped at the fees paid in 12 months, excluding data breaches.", fallbacks: [], deviation_approval: "legal" },
  ],
  latest_published: 2,
  draft: null,
};

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
  document.body.replaceChildren();
});

function setup(opts: Partial<BoardOptions> = {}, title = LIABILITY.title) {
  const notify = vi.fn();
  const board = new ClauseBoard({ internal: false, mayRewrite: false, notify, ...opts });
  const host = document.createElement("div");
  document.body.append(host);
  editor = new Editor({
    element: host,
    extensions: [StarterKit.configure({ undoRedo: false }), ...board.nodes],
    content: {
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text: "Preamble." }] }, clauseBlockJSON({ id: LIABILITY.id, title }, 1, LIABILITY.versions[0].text)],
    },
  });
  const doc = new Y.Doc();
  const computed = doc.getMap<unknown>("computed");
  board.bind(editor, computed);
  return { board, computed, notify, host };
}

const check = (over: Record<string, unknown> = {}) => ({
  index: 0,
  clause_id: LIABILITY.id,
  title: LIABILITY.title,
  version: 1,
  latest_version: 2,
  status: "non_standard",
  fallback_rank: null,
  diff: [
    { op: "equal", text: "Liability of Vendor Inc. is capped at the fees paid in " },
    { op: "delete", text: "12" },
    { op: "insert", text: "36" },
    { op: "equal", text: " months." },
  ],
  reason: "The wording differs from version 1.",
  ...over,
});

const $ = (root: ParentNode, hook: string) => root.querySelector<HTMLElement>(`[data-testid=${hook}]`);
const $$ = (root: ParentNode, hook: string) => Array.from(root.querySelectorAll<HTMLElement>(`[data-testid=${hook}]`));

describe("clause blocks in the terms", () => {
  it("show the server's status on a chip, checking until the server has looked", async () => {
    const { computed, host } = setup();
    await settle();
    const chip = $(host, "clause-status")!;
    expect(chip.dataset.status).toBe("pending");
    computed.set("clauses", [check({ status: "standard", diff: [] })]);
    await settle();
    expect(chip.dataset.status).toBe("standard");
    expect(chip.textContent).toContain("Standard");
    computed.set("clauses", [check({ status: "fallback", fallback_rank: 2 })]);
    await settle();
    expect(chip.textContent).toContain("Fallback 2");
    // An entry for another clause (the doc changed since) is not shown as this block's.
    computed.set("clauses", [check({ clause_id: "cl_other" })]);
    await settle();
    expect(chip.dataset.status).toBe("pending");
  });

  it("open a panel with the word diff; hostile text from users or the library stays text", async () => {
    const { computed, host } = setup({}, HOSTILE);
    computed.set("clauses", [check({ title: HOSTILE, reason: HOSTILE, diff: [{ op: "equal", text: "A " }, { op: "insert", text: HOSTILE }] })]);
    computed.set("variables", { "vendor.name": HOSTILE });
    await settle();
    $(host, "clause-status")!.click();
    await settle();
    const panel = $(host, "clause-panel")!;
    expect(panel.hidden).toBe(false);
    expect(panel.textContent).toContain(HOSTILE);
    expect($(host, "clause-diff")!.querySelector("ins")!.textContent).toBe(HOSTILE);
    expect($(host, "clause-variable")!.textContent).toBe(HOSTILE);
    expect(host.querySelector("[data-testid=clause-panel] img, .clause-body img, .variable img")).toBeNull();
    expect(host.querySelector("h2")!.textContent).toBe(HOSTILE);
  });

  it("show deletions struck and insertions underlined", async () => {
    const { computed, host } = setup();
    computed.set("clauses", [check()]);
    await settle();
    $(host, "clause-status")!.click();
    await settle();
    const diff = $(host, "clause-diff")!;
    expect(diff.querySelector("del")!.textContent).toBe("12");
    expect(diff.querySelector("ins")!.textContent).toBe("36");
    expect(diff.textContent).toBe("Liability of Vendor Inc. is capped at the fees paid in 12 36 months.");
  });

  it("put the spaces back between the server's word runs", async () => {
    const { computed, host } = setup();
    computed.set("clauses", [check({ diff: [{ op: "equal", text: "x shall" }, { op: "insert", text: "not" }, { op: "equal", text: "send the" }, { op: "delete", text: "Service." }, { op: "insert", text: "Platform." }] })]);
    await settle();
    $(host, "clause-status")!.click();
    await settle();
    expect($(host, "clause-diff")!.textContent).toBe("x shall not send the Service. Platform.");
  });

  it("show variables' current values, live, and a readable placeholder (never the key) while there is none", async () => {
    const { computed, host } = setup();
    await settle();
    const chip = $(host, "clause-variable")!;
    expect(chip.textContent).toBe("[vendor name]");
    expect(chip.classList.contains("is-empty")).toBe(true);
    computed.set("variables", { "vendor.name": "Vendor Inc." });
    expect(chip.textContent).toBe("Vendor Inc.");
    expect(editor!.getText()).toContain("{{vendor.name}}");
  });

  it("give customers the chip and the diff only: no library, no fallbacks, no actions", async () => {
    const loadClause = vi.fn(() => Promise.resolve(LIABILITY));
    const { computed, host } = setup({ internal: false, mayRewrite: false, loadClause });
    computed.set("clauses", [check()]);
    await settle();
    $(host, "clause-status")!.click();
    await settle();
    expect(loadClause).not.toHaveBeenCalled();
    expect($$(host, "clause-fallback")).toHaveLength(0);
    expect($(host, "clause-use-fallback")).toBeNull();
    expect($(host, "clause-restore")).toBeNull();
    expect($(host, "clause-upgrade")).toBeNull();
    expect($(host, "clause-newer")).toBeNull();
    expect($(host, "clause-diff")).not.toBeNull();
  });

  it("let a rep swap in a fallback, restore the standard text, and upgrade the block", async () => {
    const loadClause = vi.fn(() => Promise.resolve(LIABILITY));
    const { computed, host, notify } = setup({ internal: true, mayRewrite: true, loadClause });
    computed.set("clauses", [check()]);
    computed.set("variables", { "vendor.name": "Vendor Inc." });
    await settle();
    $(host, "clause-status")!.click();
    await settle();
    const fallbacks = $$(host, "clause-fallback");
    expect(fallbacks.map((f) => f.dataset.rank)).toEqual(["1", "2"]);
    expect(fallbacks[0].textContent).toContain("The customer insists on a higher cap.");
    expect($(host, "clause-approver")!.textContent).toContain("Legal");
    expect($(host, "clause-newer")!.textContent).toBe("Version 2 available");

    $$(host, "clause-use-fallback")[0].click();
    const clause = () => editor!.state.doc.child(1);
    expect(clause().childCount).toBe(2);
    expect(clause().child(0).textContent).toBe(LIABILITY.title);
    expect(clause().child(1).textContent).toBe("Liability is capped at the fees paid in 24 months.");
    expect(notify).toHaveBeenCalledWith("Fallback 1 wording is in place.");

    $(host, "clause-restore")!.click();
    expect(editor!.getText()).toContain("Liability of {{vendor.name}} is capped at the fees paid in 12 months.");
    expect(clause().child(1).child(1).type.name).toBe("variable");

    $(host, "clause-upgrade")!.click();
    expect(clause().attrs.version).toBe(2);
    expect(clause().child(1).textContent).toBe(LIABILITY.versions[1].text);
    expect(loadClause).toHaveBeenCalledTimes(1);
  });

  it("fetch the library clause again when the server announces a version it lacks", async () => {
    const v1only: Clause = { ...LIABILITY, versions: [LIABILITY.versions[0]], latest_published: 1 };
    const loadClause = vi.fn().mockResolvedValueOnce(v1only).mockResolvedValue(LIABILITY);
    const { computed, host } = setup({ internal: true, mayRewrite: true, loadClause });
    computed.set("clauses", [check({ latest_version: 1 })]);
    await settle();
    $(host, "clause-status")!.click();
    await settle();
    expect($(host, "clause-upgrade")).toBeNull();
    computed.set("clauses", [check({ latest_version: 2 })]);
    await settle();
    expect(loadClause).toHaveBeenCalledTimes(2);
    expect($(host, "clause-upgrade")!.textContent).toBe("Upgrade to version 2");
  });

  it("insert a clause after the block holding the cursor, or at the end", async () => {
    setup({ internal: true, mayRewrite: true }); // the rep inserts; a customer's editor keeps the clauses as they are
    const blocks = () => {
      const out: string[] = [];
      editor!.state.doc.forEach((n) => out.push(n.type.name === "clause" ? `clause:${n.attrs.clauseId}@${n.attrs.version}` : `${n.type.name}:${n.textContent}`));
      return out;
    };
    expect(blocks().slice(0, 2)).toEqual(["paragraph:Preamble.", "clause:cl_liab@1"]);
    expect(insertClause(editor!, LIABILITY, 2, LIABILITY.versions[1].text, false)).toBe(true);
    expect(blocks()).toEqual(["paragraph:Preamble.", "clause:cl_liab@1", "clause:cl_liab@2", "paragraph:"]);
    // Cursor inside the preamble: the new block goes right after it, the paragraph stays whole.
    editor!.commands.setTextSelection(3);
    expect(insertClause(editor!, { id: "cl_pay", title: "Payment" }, 1, "Pay within {{payment.days}} days.", true)).toBe(true);
    expect(blocks()).toEqual(["paragraph:Preamble.", "clause:cl_pay@1", "clause:cl_liab@1", "clause:cl_liab@2", "paragraph:"]);
  });
});
