import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { anchorLabel, filterThreads, mayResolve, mentionParts, mentionToken, mergeThreads, openCount, quoteOf, readThreads, threadFromSearch, type Thread } from "./threads";

function thread(id: string, over: Partial<Thread> = {}): Thread {
  return {
    id,
    kind: "question",
    state: "open",
    visibility: "external",
    anchor: { type: "room" },
    createdBy: { id: 7, name: "Bo Buyer", role: "customer" },
    createdAt: `2026-12-03T10:00:0${id.length}Z`,
    messages: [{ id: "m1", author: { id: 7, name: "Bo Buyer", role: "customer" }, at: "2026-12-03T10:00:00Z", text: "Why?" }],
    resolvedBy: null,
    resolvedAt: null,
    ...over,
  };
}

describe("threads", () => {
  it("reads the server's threads from a Y map and skips what is not a thread", () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>("comments");
    const t = new Y.Map<unknown>();
    map.set("t1", t);
    t.set("id", "t1");
    t.set("kind", "dispute");
    t.set("state", "answered");
    t.set("visibility", "external");
    t.set("anchor", { type: "line", lineId: "l1" });
    t.set("createdBy", { id: 1, name: "A", role: "customer" });
    t.set("createdAt", "2026-12-03T10:00:00Z");
    const messages = new Y.Array<unknown>();
    t.set("messages", messages);
    messages.push([{ id: "m", author: { id: 1, name: "A", role: "customer" }, at: "x", text: "No" }]);
    map.set("old", "a free-form comment of an older room");
    const [read] = readThreads(map);
    expect(readThreads(map)).toHaveLength(1);
    expect(read.kind).toBe("dispute");
    expect(read.state).toBe("answered");
    expect(read.messages[0].text).toBe("No");
  });

  it("filters open, disputes and resolved, and counts what is still open", () => {
    const list = [thread("a"), thread("bb", { kind: "dispute", state: "answered" }), thread("ccc", { state: "resolved" })];
    expect(filterThreads(list, "open").map((t) => t.id)).toEqual(["a", "bb"]);
    expect(filterThreads(list, "disputes").map((t) => t.id)).toEqual(["bb"]);
    expect(filterThreads(list, "resolved").map((t) => t.id)).toEqual(["ccc"]);
    expect(openCount(list)).toBe(2);
    expect(mergeThreads([list[2]], [list[0]]).map((t) => t.id)).toEqual(["a", "ccc"]);
  });

  it("names what a thread is about", () => {
    expect(anchorLabel({ type: "range", from: "", to: "", quote: "net 30" })).toBe("“net 30”");
    expect(anchorLabel({ type: "line", lineId: "l1" }, () => "Platform Enterprise")).toBe("Line Platform Enterprise");
    expect(anchorLabel({ type: "room" })).toBe("The room");
    expect(anchorLabel({ type: "field", field: "paymentTermsDays" })).toBe("Deal: Payment terms");
    expect(anchorLabel({ type: "field", field: "somethingNew" })).toBe("Deal: somethingNew");
  });

  it("splits mentions out of a message and inserts them with the person's id", () => {
    expect(mentionParts("Hi @[Bo Buyer](12), see @[Rita](3)")).toEqual(["Hi ", { name: "Bo Buyer", id: 12 }, ", see ", { name: "Rita", id: 3 }]);
    expect(mentionToken({ id: 12, name: "Bo [the] Buyer" })).toBe("@[Bo  the  Buyer](12) ");
  });

  it("lets the opener or the rep resolve", () => {
    expect(mayResolve(thread("a"), { id: 7 }, "customer")).toBe(true);
    expect(mayResolve(thread("a"), { id: 8 }, "rep")).toBe(true);
    expect(mayResolve(thread("a"), { id: 8 }, "legal")).toBe(false);
  });

  it("keeps a quote short and reads the deep link", () => {
    expect(quoteOf("  a \n b  ")).toBe("a b");
    expect(quoteOf("x".repeat(600))).toHaveLength(500);
    expect(threadFromSearch("?thread=t_abc-1")).toBe("t_abc-1");
    expect(threadFromSearch("?thread=../x")).toBeNull();
  });
});
