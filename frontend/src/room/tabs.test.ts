import { afterEach, describe, expect, it } from "vitest";
import { h } from "../lib/dom";
import { Tabs } from "./tabs";

afterEach(() => {
  document.body.replaceChildren();
  history.replaceState(null, "", "/");
});

describe("room tabs", () => {
  it("shows every panel of a tab together: the Internal tab holds the rep panel and the notes", () => {
    const panel = (id: string) => h("section", { id: `panel-${id}`, class: "panel" });
    const [terms, notes, rep] = [panel("terms"), panel("notes"), panel("rep")];
    const tabs = new Tabs([
      { id: "terms", label: "Terms", panel: terms },
      { id: "notes", label: "Internal", panel: notes, also: [rep] },
    ]);
    document.body.append(tabs.el, terms, notes, rep);
    const tab = document.querySelector("[data-testid=tab-notes]") as HTMLButtonElement;
    expect(tab.textContent).toBe("Internal");
    expect(tab.getAttribute("aria-controls")).toBe("panel-notes panel-rep");
    expect(rep.classList.contains("is-active")).toBe(false);
    tab.click();
    expect([terms, notes, rep].map((p) => p.classList.contains("is-active"))).toEqual([false, true, true]);
    expect(location.hash).toBe("#notes");
  });
});
