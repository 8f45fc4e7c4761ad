import { describe, expect, it } from "vitest";
import { planUpgrade, tokens, wordDiff } from "./upgrade";

const V1 = "This Agreement continues for {{deal.term_months}} months.\n\nIt renews for successive periods of 12 months unless either party gives notice at least 60 days before the end of the term.";
const V2 = "This Agreement continues for {{deal.term_months}} months.\n\nIt renews for successive periods of 12 months unless either party gives written notice at least 90 days before the end of the term.";

describe("planUpgrade", () => {
  it("keeps the room's negotiated words and takes legal's new ones", () => {
    const room = V1.replace("periods of 12 months", "periods of 36 months");
    const plan = planUpgrade(V1, room, V2);
    expect(plan.roomEdited).toBe(true);
    expect(plan.conflicts).toBe(0);
    expect(plan.merged).toBe(V2.replace("periods of 12 months", "periods of 36 months"));
    expect(plan.room).toContainEqual({ op: "delete", text: "12" });
    expect(plan.room).toContainEqual({ op: "insert", text: "36" });
    expect(plan.library).toContainEqual({ op: "insert", text: "written " });
  });

  it("takes the new version as it is when the room changed nothing", () => {
    const plan = planUpgrade(V1, V1.replace(/\n\n/, "\n \n"), V2);
    expect(plan.roomEdited).toBe(false);
    expect(plan.merged).toBe(V2);
  });

  it("keeps the room's wording where both changed the same words, and counts it", () => {
    const room = V1.replace("60 days", "30 days");
    const plan = planUpgrade(V1, room, V2);
    expect(plan.conflicts).toBe(1);
    expect(plan.merged).toContain("at least 30 days");
    expect(plan.merged).toContain("written notice");
  });

  it("keeps paragraphs and variables as tokens of their own", () => {
    expect(tokens("a {{x.y}}\n\nb")).toEqual(["a", " ", "{{x.y}}", "\n\n", "b"]);
    expect(wordDiff("a b", "a c")).toEqual([
      { op: "equal", text: "a " },
      { op: "delete", text: "b" },
      { op: "insert", text: "c" },
    ]);
  });
});
