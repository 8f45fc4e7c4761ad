import { describe, expect, it } from "vitest";
import { parseRoute } from "./router";

describe("routes", () => {
  it("knows the inbox and the mailed approval link", () => {
    expect(parseRoute("/inbox", "")).toEqual({ name: "inbox" });
    expect(parseRoute("/inbox/", "")).toEqual({ name: "inbox" });
    expect(parseRoute("/approve/abc.DEF-123_x", "")).toEqual({ name: "approve", token: "abc.DEF-123_x" });
    expect(parseRoute("/approve/", "")).toEqual({ name: "notfound" });
    expect(parseRoute("/rooms/r1", "")).toEqual({ name: "room", id: "r1" });
    expect(parseRoute("/people", "")).toEqual({ name: "people" });
    expect(parseRoute("/people/", "")).toEqual({ name: "people" });
    expect(parseRoute("/enablement", "")).toEqual({ name: "enablement" });
  });
});
