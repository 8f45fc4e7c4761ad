/** Client-side routing on the history API, for the paths the server serves the app's page on. */

export type Route =
  | { name: "rooms" }
  | { name: "signin"; next: string }
  | { name: "invite"; token: string }
  | { name: "room"; id: string }
  | { name: "inbox" }
  | { name: "library" }
  | { name: "people" }
  | { name: "admin-pricebook" }
  | { name: "admin-policy" }
  | { name: "admin-templates" }
  | { name: "welcome"; token: string }
  | { name: "enablement" }
  | { name: "pipeline" }
  | { name: "plan" }
  | { name: "insights" }
  | { name: "approve"; token: string }
  | { name: "notfound" };

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "rooms" };
  if (path === "/inbox") return { name: "inbox" };
  if (path === "/library") return { name: "library" };
  if (path === "/people") return { name: "people" };
  if (path === "/admin/pricebook") return { name: "admin-pricebook" };
  if (path === "/admin/policy") return { name: "admin-policy" };
  if (path === "/admin/templates") return { name: "admin-templates" };
  if (path === "/enablement") return { name: "enablement" };
  if (path === "/pipeline") return { name: "pipeline" };
  if (path === "/plan") return { name: "plan" };
  if (path === "/insights") return { name: "insights" };
  if (path === "/signin") return { name: "signin", next: safeNext(new URLSearchParams(search).get("next")) };
  let m = /^\/rooms\/([^/]+)$/.exec(path);
  if (m) return { name: "room", id: decodeURIComponent(m[1]) };
  m = /^\/invite\/([^/]+)$/.exec(path);
  if (m) return { name: "invite", token: decodeURIComponent(m[1]) };
  m = /^\/welcome\/([^/]+)$/.exec(path);
  if (m) return { name: "welcome", token: decodeURIComponent(m[1]) };
  m = /^\/approve\/([^/]+)$/.exec(path);
  if (m) return { name: "approve", token: decodeURIComponent(m[1]) };
  return { name: "notfound" };
}

/** Only a path of this site: never `//evil.example` or `https://…` (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}

type Listener = () => void;
const listeners = new Set<Listener>();

export function onNavigate(listener: Listener): void {
  listeners.add(listener);
}

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  for (const listener of listeners) listener();
}

export function signInUrl(): string {
  const here = location.pathname + location.search;
  return "/signin" + (here && here !== "/" ? `?next=${encodeURIComponent(here)}` : "");
}

/** Follow same-origin links without a page load (plain clicks only; new-tab clicks stay native). */
export function interceptLinks(root: Document): void {
  root.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener("popstate", () => {
    for (const listener of listeners) listener();
  });
}
