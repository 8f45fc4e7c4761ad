/** `/`: the rooms the caller may see, a search as you type, and "New room" for reps and admins. */
import { ApiError, api, isAdmin, isInternalUser, mayCreateRooms, type Me, type RoomSummary } from "../lib/api";
import { adminApi } from "../lib/admin-api";
import { debounce, h, icon, mount, uid } from "../lib/dom";
import { navigate } from "../lib/router";
import { Bell } from "../room/bell";
import { forgetAll } from "../room/local-store";
import { brand, busy, field, formError } from "./forms";
import { initials, roleLabel } from "./labels";
import { maySeeInsights } from "./insights-data";

/** Show how many approval steps wait on the person, on the app bar's "Approvals" link. */
export function showInboxCount(root: ParentNode, count: number): void {
  const badge = root.querySelector<HTMLElement>("[data-testid=inbox-count]");
  const link = root.querySelector<HTMLElement>("[data-testid=inbox-link]");
  if (!badge || !link) return;
  badge.textContent = String(count);
  badge.hidden = count === 0;
  link.setAttribute("aria-label", count ? `Approvals, ${count} waiting for you` : "Approvals");
}

/** The app bar; internal people get their approvals inbox link, admins "People" (`current` marks the page shown). */
export function appBar(
  me: Me,
  current: "rooms" | "inbox" | "library" | "people" | "enablement" | "pipeline" | "plan" | "insights" = "rooms",
): HTMLElement {
  // On phones the door's icon alone (labelled), so that every link, the bell and this fit in 390 px.
  const signOut = h(
    "button",
    { type: "button", class: "btn btn-ghost appbar-signout", "data-testid": "sign-out", "aria-label": "Sign out" },
    icon("signout", 18),
    h("span", { class: "appbar-link-text" }, "Sign out"),
  );
  signOut.addEventListener("click", async () => {
    signOut.disabled = true;
    let providerLogout: string | null = null;
    try {
      providerLogout = await api.signOut();
    } catch {
      // Signed out or not, the session on this page is over: the sign-in page is the right place.
    }
    // A shared browser keeps nothing of the rooms for the next person (copies kept for offline edits),
    // also when it goes on to the identity provider.
    await forgetAll();
    if (providerLogout) location.assign(providerLogout);
    else navigate("/signin", { replace: true });
  });
  const inbox = isInternalUser(me)
    ? h(
        "a",
        { href: "/inbox", class: "appbar-link", "data-testid": "inbox-link", "aria-current": current === "inbox" ? "page" : undefined, "aria-label": "Approvals" },
        icon("inbox", 18),
        h("span", { class: "appbar-link-text" }, "Approvals"),
        h("span", { class: "count-badge", "data-testid": "inbox-count", hidden: true }),
      )
    : null;
  // Legal's clause library: every internal person reads it.
  const library = isInternalUser(me)
    ? h(
        "a",
        { href: "/library", class: "appbar-link", "data-testid": "library-link", "aria-current": current === "library" ? "page" : undefined, "aria-label": "Clause library" },
        icon("book", 18),
        h("span", { class: "appbar-link-text" }, "Clauses"),
      )
    : null;
  // Legal keeps the enablement cards reps are offered in rooms (admins reach them from the admin section).
  const enablement = me.role === "legal"
    ? h(
        "a",
        { href: "/enablement", class: "appbar-link", "data-testid": "enablement-link", "aria-current": current === "enablement" ? "page" : undefined, "aria-label": "Enablement cards" },
        icon("spark", 18),
        h("span", { class: "appbar-link-text" }, "Cards"),
      )
    : null;
  // Admins' one door to their screens (people, price book, policy, templates, plan, cards: the admin nav there),
  // so that a phone's bar keeps the bell and "Sign out" in sight.
  const adminPages: (typeof current)[] = ["people", "plan", "enablement"];
  const people = isAdmin(me)
    ? h(
        "a",
        { href: "/people", class: "appbar-link", "data-testid": "people-link", "aria-current": adminPages.includes(current) ? "page" : undefined, "aria-label": "Admin" },
        icon("users", 18),
        h("span", { class: "appbar-link-text" }, "Admin"),
      )
    : null;
  // The rep's cockpit: every internal person sees their own deals (managers their team's too).
  const pipeline = isInternalUser(me)
    ? h(
        "a",
        { href: "/pipeline", class: "appbar-link", "data-testid": "pipeline-link", "aria-current": current === "pipeline" ? "page" : undefined, "aria-label": "Pipeline" },
        icon("chart", 18),
        h("span", { class: "appbar-link-text" }, "Pipeline"),
      )
    : null;
  // Deal velocity: reps see their own rooms, managers, VPs, finance and admins every rep's.
  const insights = maySeeInsights(me.role)
    ? h(
        "a",
        { href: "/insights", class: "appbar-link", "data-testid": "insights-link", "aria-current": current === "insights" ? "page" : undefined, "aria-label": "Insights" },
        icon("clock", 18),
        h("span", { class: "appbar-link-text" }, "Insights"),
      )
    : null;
  const bar = h(
    "header",
    { class: "appbar" },
    h("div", { class: "appbar-inner" }, brand(), h("div", { class: "appbar-user" },
      pipeline,
      people,
      enablement,
      insights,
      library,
      inbox,
      new Bell().el,
      h("span", { class: "avatar", "aria-hidden": "true" }, initials(me.name)),
      h("span", { class: "appbar-name" }, me.name),
      signOut,
    )),
  );
  if (inbox && current !== "inbox") {
    // One cheap request: the count is a hint, so a failure just leaves it out.
    api.inbox().then(({ items }) => showInboxCount(bar, Array.isArray(items) ? items.length : 0), () => undefined);
  }
  return bar;
}

export function roomsPage(root: HTMLElement, me: Me): () => void {
  const searchId = uid("search");
  const search = h("input", {
    id: searchId,
    type: "search",
    class: "input input-search",
    placeholder: "Search by deal or customer",
    autocomplete: "off",
    "data-testid": "room-search",
  });
  const list = h("ul", { class: "room-list", "aria-label": "Deal rooms" });
  const status = h("p", { class: "list-status", role: "status" });
  let seq = 0;
  let alive = true;

  async function load(q: string): Promise<void> {
    const mine = ++seq;
    list.setAttribute("aria-busy", "true");
    try {
      const { rooms } = await api.rooms(q);
      if (!alive || mine !== seq) return; // a newer search has been typed since
      render(rooms, q);
    } catch (e) {
      if (!alive || mine !== seq) return;
      if (e instanceof ApiError && e.status === 401) return navigate("/signin", { replace: true });
      status.textContent = e instanceof ApiError ? e.detail : "Could not load your rooms.";
    } finally {
      if (mine === seq) list.removeAttribute("aria-busy");
    }
  }

  function render(rooms: RoomSummary[], q: string): void {
    mount(list, rooms.map(roomItem));
    status.textContent = rooms.length
      ? q
        ? `${rooms.length} room${rooms.length === 1 ? "" : "s"} match “${q}”`
        : ""
      : q
        ? `No rooms match “${q}”.`
        : "No deal rooms yet.";
  }

  const searchLater = debounce((q: string) => void load(q), 250);
  search.addEventListener("input", () => searchLater(search.value.trim()));
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") searchLater.flush();
  });

  const main = h(
    "main",
    { class: "page" },
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("h1", { class: "page-title" }, "Deal rooms"), h("p", { class: "page-lead" }, "Every negotiation in one live place.")),
    ),
    mayCreateRooms(me) ? newRoomForm() : null,
    h(
      "section",
      { class: "card list-card", "aria-labelledby": "rooms-heading" },
      h("h2", { id: "rooms-heading", class: "visually-hidden" }, "Your rooms"),
      h(
        "div",
        { class: "search" },
        h("label", { for: searchId, class: "visually-hidden" }, "Search rooms"),
        h("span", { class: "search-icon" }, icon("search")),
        search,
      ),
      status,
      list,
    ),
  );
  document.title = "Deal rooms · Dealroom";
  mount(root, appBar(me), main);
  void load("");
  return () => {
    alive = false;
    searchLater.cancel();
  };
}

function roomItem(room: RoomSummary): HTMLElement {
  return h(
    "li",
    {},
    h(
      "a",
      { href: `/rooms/${encodeURIComponent(room.id)}`, class: "room-item", "data-testid": "room-item" },
      h("span", { class: "room-item-main" },
        h("span", { class: "room-item-title" }, room.title),
        h("span", { class: "room-item-customer" }, room.customer_name),
      ),
      h(
        "span",
        { class: "room-item-side" },
        h("span", { class: `badge badge-${room.role}` }, roleLabel(room.role)),
        roomActivity(room),
      ),
    ),
  );
}

/** The deal's state at a glance: who is in it now, else when it last changed. */
function roomActivity(room: RoomSummary): HTMLElement {
  const here = room.people_here ?? 0;
  if (here > 0) {
    return h("span", { class: "room-item-live", "data-testid": "room-here" }, `${here} here now`);
  }
  const edited = room.last_edit_at ?? room.created_at;
  return h("span", { class: "room-item-date", "data-testid": "room-edited" }, `Edited ${sinceLabel(edited)}`);
}

export function sinceLabel(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `on ${openedOn(iso)}`;
}

function openedOn(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

function newRoomForm(): HTMLElement {
  const title = field({ label: "Deal title", name: "title", required: true, testid: "new-room-title", placeholder: "e.g. Acme — Platform renewal" });
  const customer = field({ label: "Customer", name: "customer_name", required: true, testid: "new-room-customer", placeholder: "e.g. Acme Corp" });
  const error = formError();
  error.removeAttribute("data-testid"); // the sign-in/invite hook; this form's error is its own
  const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "new-room-submit" }, icon("plus"), "Create room");
  // Templates (per deal type) give the room its first clauses and lines; offered once they are loaded.
  const templateId = uid("template");
  const template = h("select", { id: templateId, class: "input", "data-testid": "new-room-template" }, h("option", { value: "" }, "Blank room"));
  const templateWrap = h("div", { class: "field", hidden: true }, h("label", { for: templateId, class: "label" }, "Start from"), template);
  adminApi.templates().then(
    ({ templates }) => {
      for (const t of templates) template.append(h("option", { value: String(t.id) }, `${t.name} (${t.deal_type})`));
      templateWrap.hidden = templates.length === 0;
    },
    () => undefined, // without templates the form still opens blank rooms
  );
  const form = h(
    "form",
    { class: "card new-room", novalidate: true, "aria-labelledby": "new-room-heading" },
    h("h2", { id: "new-room-heading", class: "card-title" }, "New room"),
    h("div", { class: "new-room-fields" }, title.wrap, customer.wrap, templateWrap, h("div", { class: "new-room-actions" }, submit)),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const t = title.input.value.trim();
    const c = customer.input.value.trim();
    if (!t || !c) {
      error.show("Enter a deal title and the customer's name.");
      (t ? customer.input : title.input).focus();
      return;
    }
    error.show(null);
    busy(submit, true, "Creating…");
    try {
      const room = await adminApi.createRoom(t, c, template.value ? Number(template.value) : null);
      navigate(`/rooms/${encodeURIComponent(room.id)}`);
    } catch (e) {
      busy(submit, false, "");
      error.show(e instanceof ApiError ? e.detail : "Could not create the room.");
    }
  });
  return form;
}
