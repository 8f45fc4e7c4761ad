import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me } from "../lib/api";
import type { Clause } from "../lib/clauses";
import { libraryPage } from "./library";
import { json, settle } from "../test-support";

const HOSTILE = "<img src=x onerror=alert(1)>";
const legal: Me = { id: 5, email: "legal@demo.test", name: "Lee Legal", role: "legal" };
const rep: Me = { id: 1, email: "rep@demo.test", name: "Riley Rep", role: "rep" };

function clause(over: Partial<Clause> = {}): Clause {
  return {
    id: "cl_1",
    key: "limitation-of-liability",
    title: "Limitation of liability",
    category: "liability",
    versions: [
      {
        number: 1,
        status: "published",
        text: "Liability of {{vendor.name}} is capped.\n\nNo indirect damages.",
        fallbacks: [{ rank: 1, text: "Capped at twice the fees.", when_to_use: "Strategic deals." }],
        deviation_approval: "legal",
      },
    ],
    latest_published: 1,
    draft: null,
    ...over,
  };
}

type Handler = (method: string, url: URL, body: unknown) => Response | undefined;

function serve(handler: Handler) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, "http://localhost");
      const method = init.method ?? "GET";
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, path: url.pathname + url.search, body });
      if (url.pathname === "/api/approvals/inbox") return json(200, { items: [] });
      if (url.pathname === "/api/clauses/variables") return json(200, { variables: [{ name: "vendor.name", label: "Vendor name" }] });
      return handler(method, url, body) ?? json(404, { error: "not_found", detail: "Not found" });
    }),
  );
  return calls;
}

const $ = (hook: string) => document.querySelector<HTMLElement>(`[data-testid=${hook}]`);
const $$ = (hook: string) => Array.from(document.querySelectorAll<HTMLElement>(`[data-testid=${hook}]`));

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

function page(me: Me): HTMLElement {
  const root = document.createElement("div");
  document.body.append(root);
  libraryPage(root, me);
  return root;
}

describe("the clause library page", () => {
  it("renders hostile titles, keys, categories and text as text", async () => {
    serve((method, url) => (method === "GET" && url.pathname === "/api/clauses" ? json(200, { clauses: [clause({ title: HOSTILE, key: HOSTILE, category: HOSTILE, versions: [{ ...clause().versions[0], text: HOSTILE, fallbacks: [{ rank: 1, text: HOSTILE, when_to_use: HOSTILE }] }] })] }) : undefined));
    const root = page(rep);
    await settle();
    const card = $("library-clause")!;
    expect(card.querySelector("h2")!.textContent).toBe(HOSTILE);
    expect(card.textContent).toContain(HOSTILE);
    expect(root.querySelector("img")).toBeNull();
    // Not legal: no writing controls.
    expect($("clause-new")).toBeNull();
    expect($("clause-publish")).toBeNull();
    expect($("clause-new-version")).toBeNull();
  });

  it("shows versions, standard text with variables, ranked fallbacks with notes, and the approver", async () => {
    serve((method, url) => (method === "GET" && url.pathname === "/api/clauses" ? json(200, { clauses: [clause()] }) : undefined));
    page(rep);
    await settle();
    expect($$("clause-version").map((v) => [v.dataset.version, v.dataset.status])).toEqual([["1", "published"]]);
    expect($("library-clause-text")!.querySelectorAll("p")).toHaveLength(2);
    expect($("library-clause-text")!.querySelector("[data-variable='vendor.name']")).not.toBeNull();
    expect($("library-fallback")!.textContent).toContain("Strategic deals.");
    expect($("library-approval")!.textContent).toContain("Legal");
  });

  it("searches as you type and filters by category", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const calls = serve((method, url) => (method === "GET" && url.pathname === "/api/clauses" ? json(200, { clauses: [clause()] }) : undefined));
      page(rep);
      await vi.runAllTimersAsync();
      const search = $("library-search") as HTMLInputElement;
      search.value = "liab";
      search.dispatchEvent(new Event("input"));
      await vi.advanceTimersByTimeAsync(300);
      expect(calls.map((c) => c.path)).toContain("/api/clauses?q=liab");
      const category = $("library-category") as HTMLSelectElement;
      expect(Array.from(category.options).map((o) => o.value)).toEqual(["", "liability"]);
      category.value = "liability";
      category.dispatchEvent(new Event("change"));
      await vi.runAllTimersAsync();
      expect(calls.map((c) => c.path)).toContain("/api/clauses?q=liab&category=liability");
    } finally {
      vi.useRealTimers();
    }
  });

  it("lets legal create a clause and shows every problem the server lists next to the form", async () => {
    let attempts = 0;
    const calls = serve((method, url, body) => {
      if (method === "GET" && url.pathname === "/api/clauses") return json(200, { clauses: [] });
      if (method === "POST" && url.pathname === "/api/clauses") {
        attempts += 1;
        if (attempts === 1) return json(422, { error: "invalid_clause", detail: "The clause is not valid", problems: ["key: is taken", `fallbacks[0].text: ${HOSTILE}`] });
        const b = body as { key: string; title: string; category: string; text: string };
        return json(201, clause({ id: "cl_new", key: b.key, title: b.title, category: b.category, latest_published: null, draft: 1, versions: [{ number: 1, status: "draft", text: b.text, fallbacks: [], deviation_approval: "legal" }] }));
      }
      if (method === "POST" && url.pathname === "/api/clauses/cl_new/versions/1/publish") {
        return json(200, clause({ id: "cl_new", key: "gov", title: "Governing law", category: "law", latest_published: 1, draft: null, versions: [{ number: 1, status: "published", text: "German law.", fallbacks: [], deviation_approval: "legal" }] }));
      }
      return undefined;
    });
    const root = page(legal);
    await settle();
    $("clause-new")!.click();
    const form = $("clause-form") as HTMLFormElement;
    ($("clause-form-key") as HTMLInputElement).value = "gov";
    ($("clause-form-title") as HTMLInputElement).value = "Governing law";
    ($("clause-form-category") as HTMLInputElement).value = "law";
    ($("clause-form-text") as HTMLTextAreaElement).value = "German law.";
    $("clause-form-add-fallback")!.click();
    ($("clause-form-fallback-text") as HTMLTextAreaElement).value = "Swiss law.";
    ($("clause-form-fallback-when") as HTMLInputElement).value = "Swiss customers.";
    form.requestSubmit();
    await settle();
    const problems = $("clause-form-problems")!;
    expect(problems.hidden).toBe(false);
    expect(Array.from(problems.querySelectorAll("li")).map((li) => li.textContent)).toEqual(["key: is taken", `fallbacks[0].text: ${HOSTILE}`]);
    expect(root.querySelector("img")).toBeNull();
    // The fields the problems name are marked.
    expect($("clause-form-key")!.getAttribute("aria-invalid")).toBe("true");
    expect($("clause-form-fallback-text")!.getAttribute("aria-invalid")).toBe("true");
    expect($("clause-form-title")!.hasAttribute("aria-invalid")).toBe(false);
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ key: "gov", title: "Governing law", category: "law", text: "German law.", fallbacks: [{ rank: 1, text: "Swiss law.", when_to_use: "Swiss customers." }], deviation_approval: "legal" });

    form.requestSubmit();
    await settle();
    expect($("clause-form")).toBeNull();
    const card = $("library-clause")!;
    expect(card.dataset.clauseId).toBe("cl_new");
    expect($("clause-version")!.dataset.status).toBe("draft");
    $("clause-publish")!.click();
    await settle();
    expect($("clause-version")!.dataset.status).toBe("published");
    expect($("clause-retire")).not.toBeNull();
  });
});
