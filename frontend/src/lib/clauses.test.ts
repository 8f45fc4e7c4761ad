import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import {
  bodyJSON,
  clauseBlockJSON,
  filenameFrom,
  paragraphsOf,
  problemsOf,
  readChecks,
  readMissing,
  readVariables,
  segmentsOf,
  shownVersion,
  statusLabel,
  versionNumber,
  type Clause,
  variablePlaceholder,
} from "./clauses";

describe("clause text", () => {
  it("splits paragraphs on blank lines and joins single line breaks", () => {
    expect(paragraphsOf("First line\ncontinues.\n\n  Second.  \r\n\r\nThird.\n\n\n")).toEqual(["First line continues.", "Second.", "Third."]);
    expect(paragraphsOf("   ")).toEqual([]);
  });

  it("finds variables, with or without spaces inside the braces", () => {
    expect(segmentsOf("Between {{vendor.name}} and {{ customer.name }}.")).toEqual([
      { text: "Between " },
      { variable: "vendor.name" },
      { text: " and " },
      { variable: "customer.name" },
      { text: "." },
    ]);
    expect(segmentsOf("{{a}}{{b}}")).toEqual([{ variable: "a" }, { variable: "b" }]);
    expect(segmentsOf("No {{ }} variable {here}.")).toEqual([{ text: "No {{ }} variable {here}." }]);
  });

  it("builds a clause block: heading, then one paragraph per paragraph, variables as atoms", () => {
    const block = clauseBlockJSON({ id: "cl_1", title: "Limitation of liability" }, 3, "Each party's liability to {{customer.name}} is capped.\n\nNo indirect damages.");
    expect(block).toEqual({
      type: "clause",
      attrs: { clauseId: "cl_1", version: 3 },
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Limitation of liability" }] },
        { type: "paragraph", content: [{ type: "text", text: "Each party's liability to " }, { type: "variable", attrs: { name: "customer.name" } }, { type: "text", text: " is capped." }] },
        { type: "paragraph", content: [{ type: "text", text: "No indirect damages." }] },
      ],
    });
    expect(bodyJSON("")).toEqual([{ type: "paragraph" }]);
  });

  it("reads a version attribute written as a number or as text", () => {
    expect(versionNumber(2)).toBe(2);
    expect(versionNumber("3")).toBe(3);
    expect(versionNumber(null)).toBeNull();
    expect(versionNumber("x")).toBeNull();
    expect(versionNumber(0)).toBeNull();
  });

  it("shows the latest published version, else the draft", () => {
    const v = (number: number, status: "draft" | "published" | "retired") => ({ number, status, text: `v${number}`, fallbacks: [], deviation_approval: "legal" });
    const clause: Clause = { id: "c", key: "k", title: "t", category: "x", versions: [v(1, "retired"), v(2, "published"), v(3, "draft")], latest_published: 2, draft: 3 };
    expect(shownVersion(clause)?.number).toBe(2);
    expect(shownVersion({ ...clause, latest_published: null })?.number).toBe(3);
  });
});

describe("what the server computed", () => {
  it("reads computed.clauses defensively", () => {
    const checks = readChecks([
      { index: 0, clause_id: "cl_1", title: "Liability", version: 2, latest_version: 3, status: "non_standard", fallback_rank: null, diff: [{ op: "equal", text: "capped at " }, { op: "delete", text: "12" }, { op: "insert", text: "24" }, { op: "bogus", text: "x" }], reason: "edited" },
      { clause_id: "cl_2", status: "weird" },
      "junk",
    ]);
    expect(checks).toHaveLength(2);
    expect(checks[0]).toMatchObject({ index: 0, clause_id: "cl_1", version: 2, latest_version: 3, status: "non_standard" });
    expect(checks[0].diff.map((d) => d.op)).toEqual(["equal", "delete", "insert"]);
    expect(checks[1]).toMatchObject({ index: 1, status: "unknown", diff: [], version: null });
    expect(readChecks(undefined)).toEqual([]);
  });

  it("reads variables and labels statuses", () => {
    expect([...readVariables({ "customer.name": "Acme GmbH", empty: "", n: 5, bad: {} })]).toEqual([["customer.name", "Acme GmbH"], ["n", "5"]]);
    expect(statusLabel("fallback", 2)).toBe("Fallback 2");
    expect(statusLabel("non_standard")).toBe("Non-standard");
    expect(statusLabel("unknown")).toBe("Unknown clause");
    expect(statusLabel("standard")).toBe("Standard");
  });
});

describe("errors and exports", () => {
  it("lists a 422's problems, else the sentence", () => {
    const e = new ApiError(422, "invalid", "The clause is invalid", { error: "invalid", detail: "x", problems: ["key: must be unique", "fallbacks[0].text: is empty"] });
    expect(problemsOf(e)).toEqual(["key: must be unique", "fallbacks[0].text: is empty"]);
    expect(problemsOf(new ApiError(422, "clause_invalid", "invalid", { errors: ["title: expected a non-empty string"] }))).toEqual(["title: expected a non-empty string"]);
    expect(problemsOf(new ApiError(403, "forbidden", "Only legal may change the library"))).toEqual(["Only legal may change the library"]);
  });

  it("reads the missing approvals of a refused export", () => {
    expect(readMissing([{ rule_id: "non-standard-liability", name: "Legal", reason: "Limitation of liability is non-standard", why: "not submitted" }, null])).toEqual([
      { rule_id: "non-standard-liability", name: "Legal", reason: "Limitation of liability is non-standard", why: "not submitted" },
    ]);
    expect(readMissing("nope")).toEqual([]);
  });

  it("takes the file name from Content-Disposition, never a path", () => {
    expect(filenameFrom('attachment; filename="Acme - renewal.docx"')).toBe("Acme - renewal.docx");
    expect(filenameFrom("attachment; filename=contract.docx")).toBe("contract.docx");
    expect(filenameFrom("attachment; filename=\"x.docx\"; filename*=UTF-8''Acme%20%E2%80%94%20renewal.docx")).toBe("Acme — renewal.docx");
    expect(filenameFrom('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(filenameFrom(null)).toBeNull();
  });
});

describe("variablePlaceholder", () => {
  it("reads as words, never as the key", () => {
    expect(variablePlaceholder("deal.start_date")).toBe("[start date]");
    expect(variablePlaceholder("customer.name")).toBe("[customer name]");
    expect(variablePlaceholder("contract.governing_law")).toBe("[governing law]");
  });
});
