/** The browser app: one page, routed on the history API. The room page loads as its own chunk. */
import "./styles.css";
import { ApiError, api, type Me } from "./lib/api";
import { h, mount } from "./lib/dom";
import { interceptLinks, navigate, onNavigate, parseRoute, signInUrl } from "./lib/router";
import { approveLinkPage } from "./pages/approve-link";
import { inboxPage } from "./pages/inbox";
import { invitePage } from "./pages/invite";
import { roomsPage } from "./pages/rooms";
import { signInPage } from "./pages/signin";

const root = document.getElementById("app") as HTMLElement;
let cleanup: (() => void) | undefined;
let generation = 0;

/** The signed-in person, or a trip to the sign-in page (then null). */
async function requireMe(): Promise<Me | null> {
  try {
    return await api.me();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      navigate(signInUrl(), { replace: true });
      return null;
    }
    throw e;
  }
}

function loading(): void {
  mount(root, h("div", { class: "page-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading…"));
}

function failure(message: string): void {
  mount(
    root,
    h(
      "main",
      { class: "page page-center" },
      h("h1", { class: "page-title" }, "Something went wrong"),
      h("p", { class: "page-lead" }, message),
      h("button", { type: "button", class: "btn btn-primary", onclick: () => render() }, "Try again"),
    ),
  );
}

async function render(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  const mine = ++generation;
  const route = parseRoute(location.pathname, location.search);
  window.scrollTo(0, 0);
  try {
    switch (route.name) {
      case "signin":
        return signInPage(root, route.next);
      case "invite":
        return invitePage(root, route.token);
      case "rooms": {
        loading();
        const me = await requireMe();
        if (me && mine === generation) cleanup = roomsPage(root, me);
        return;
      }
      case "inbox": {
        loading();
        const me = await requireMe();
        if (me && mine === generation) cleanup = inboxPage(root, me);
        return;
      }
      case "library": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./pages/library")]);
        if (me && mine === generation) cleanup = page.libraryPage(root, me);
        return;
      }
      case "people": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./pages/people")]);
        if (me && mine === generation) cleanup = page.peoplePage(root, me);
        return;
      }
      case "admin-pricebook": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./admin/pricebook")]);
        if (me && mine === generation) cleanup = page.pricebookPage(root, me);
        return;
      }
      case "admin-policy": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./admin/policy")]);
        if (me && mine === generation) cleanup = page.policyPage(root, me);
        return;
      }
      case "admin-templates": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./admin/templates")]);
        if (me && mine === generation) cleanup = page.templatesPage(root, me);
        return;
      }
      case "welcome": {
        const page = await import("./admin/welcome");
        if (mine === generation) cleanup = page.welcomePage(root, route.token);
        return;
      }
      case "enablement": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./pages/enablement")]);
        if (me && mine === generation) cleanup = page.enablementPage(root, me);
        return;
      }
      case "pipeline": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./pages/pipeline")]);
        if (me && mine === generation) cleanup = page.pipelinePage(root, me);
        return;
      }
      case "plan": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./pages/plan")]);
        if (me && mine === generation) cleanup = page.planPage(root, me);
        return;
      }
      case "insights": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./pages/insights")]);
        if (me && mine === generation) cleanup = page.insightsPage(root, me);
        return;
      }
      case "approve":
        // No sign-in: the signed link is the credential for its one step.
        cleanup = approveLinkPage(root, route.token);
        return;
      case "room": {
        loading();
        const [me, page] = await Promise.all([requireMe(), import("./room/page")]);
        if (me && mine === generation) cleanup = page.roomPage(root, me, route.id);
        return;
      }
      case "notfound":
        document.title = "Not found · Dealroom";
        return mount(
          root,
          h(
            "main",
            { class: "page page-center" },
            h("h1", { class: "page-title" }, "Page not found"),
            h("p", { class: "page-lead" }, "There is nothing at this address."),
            h("a", { href: "/", class: "btn btn-primary" }, "Go to your rooms"),
          ),
        );
    }
  } catch (e) {
    if (mine === generation) failure(e instanceof ApiError ? e.detail : "The page could not be loaded. Check your connection.");
  }
}

interceptLinks(document);
onNavigate(() => void render());
void render();
