import { afterEach, describe, expect, it, vi } from "vitest";
import { mountExport } from "./tools";
import { json, settle } from "../../test-support";

const $ = (hook: string) => document.querySelector<HTMLElement>(`[data-testid=${hook}]`);
const $$ = (hook: string) => Array.from(document.querySelectorAll<HTMLElement>(`[data-testid=${hook}]`));

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("the contract export", () => {
  it("lists what is missing, then downloads the file and refreshes the list", async () => {
    let exported = false;
    const posts: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: string, init: RequestInit = {}) => {
        if (input.endsWith("/exports")) {
          return json(200, {
            exports: exported
              ? [
                  { id: "ex_1", created_at: "2026-11-26T12:00:00Z", fingerprint: "f", sha256: "s", size: 20480, redline: true, filename: "Acme.docx", created_by: { id: 1, name: "Riley Rep" }, url: "/api/rooms/r1/exports/ex_1" },
                  { id: "ex_0", created_at: "2026-11-26T11:00:00Z", fingerprint: "f", sha256: "s", size: 10, redline: false, filename: "evil.docx", created_by: null, url: "javascript:alert(1)" },
                ]
              : [],
          });
        }
        posts.push(JSON.parse(String(init.body)));
        if (posts.length === 1) {
          return json(409, { error: "approvals_missing", detail: "Export needs approvals first.", missing: [{ rule_id: "non-standard-clause", name: "Legal", reason: "Limitation of liability is non-standard", why: "not submitted" }] });
        }
        exported = true;
        return new Response(new Blob(["PK\u0003\u0004"]), { status: 200, headers: { "Content-Disposition": 'attachment; filename="Acme.docx"', "X-Export-Id": "ex_1" } });
      }),
    );
    const save = vi.fn();
    const host = document.createElement("div");
    document.body.append(host);
    mountExport(host, { roomId: "r1", notify: () => undefined, save });
    await settle();
    expect($$("export-item")).toHaveLength(0);

    $("export-docx")!.click();
    await settle();
    const missing = $("export-missing")!;
    expect(missing.hidden).toBe(false);
    expect(missing.textContent).toContain("Legal");
    expect(missing.textContent).toContain("Limitation of liability is non-standard");
    expect(save).not.toHaveBeenCalled();

    ($("export-redline") as HTMLInputElement).checked = true;
    $("export-docx")!.click();
    await settle();
    expect(posts).toEqual([{ format: "docx", redline: false }, { format: "docx", redline: true }]);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0][1]).toBe("Acme.docx");
    expect(missing.hidden).toBe(true);
    const items = $$("export-item");
    expect(items).toHaveLength(2);
    expect(items[0].querySelector("a")!.getAttribute("href")).toBe("/api/rooms/r1/exports/ex_1");
    expect(items[0].textContent).toContain("with redline");
    expect(items[1].querySelector("a")).toBeNull(); // never a link to anywhere but this site
  });
});
