/**
 * `/rooms/{id}`: the deal room. Terms (TipTap), pricing, deal fields and, for internal roles, the
 * internal notes (a separate chunk and socket), all bound to the room's live Y docs.
 */
import type { Editor } from "@tiptap/core";
import type * as Y from "yjs";
import { ApiError, api, type Me, type RoomDetail } from "../lib/api";
import { h, icon, mount } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { roleLabel } from "../pages/labels";
import { ActivityPanel } from "./activity-panel";
import { ApprovalBadge } from "./approval-badge";
import { Bell } from "./bell";
import { RoomClauses } from "./clauses/room";
import { colorFor } from "./colors";
import { DealFields } from "./deal-fields";
import { createCollabEditor, toolbar } from "./editor";
import type { Lines } from "./lines";
import { canWriteTerms, isInternal, type Access } from "./permissions";
import { PresenceList } from "./presence";
import { PricingTable } from "./pricing-table";
import { ProductCatalog } from "./products";
import { ProposalsView } from "./proposals";
import { ResetBudget, refusalMessage, type CloseAction } from "./refusal";
import { RoomAccessPanel } from "./room-access";
import { SeatWaitText } from "./seat-wait";
import { stateAttr, SyncSession, type ConnState } from "./session";
import { Tabs } from "./tabs";
import { selectionAnchor, setThreadMarks, ThreadMarks } from "./thread-marks";
import { GUIDANCE_EVENT } from "./guidance-event";
import { SelectionActions, ThreadSheet } from "./thread-sheet";
import { INTERNAL_THREADS_EVENT, mergeThreads, openCount, readThreads, threadFromSearch, type Thread } from "./threads";
import { SinceBanner } from "./since-banner";
import { VersionsPanel } from "./versions";
import { showWaiting, waitingBadge } from "./waiting";

const STATE_TEXT: Record<ConnState, string> = {
  live: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  waiting: "Waiting for a place",
};

export function roomPage(root: HTMLElement, me: Me, roomId: string): () => void {
  let disposed = false;
  let teardown: (() => void) | undefined;
  mount(root, h("div", { class: "page-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Opening the room…"));
  api
    .room(roomId)
    .then((room) => {
      if (!disposed) teardown = openRoom(root, me, room);
    })
    .catch((e: unknown) => {
      if (disposed) return;
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return notFound(root);
      mount(
        root,
        h(
          "main",
          { class: "page page-center" },
          h("h1", { class: "page-title" }, "The room could not be opened"),
          h("p", { class: "page-lead", "data-testid": "notice" }, e instanceof ApiError ? e.detail : "Check your connection and try again."),
          h("a", { href: location.pathname, class: "btn btn-primary" }, "Try again"),
        ),
      );
    });
  return () => {
    disposed = true;
    teardown?.();
  };
}

function notFound(root: HTMLElement): void {
  document.title = "Room not found · Dealroom";
  mount(
    root,
    h(
      "main",
      { class: "page page-center" },
      h("h1", { class: "page-title" }, "Room not found"),
      h("p", { class: "page-lead", "data-testid": "notice", role: "alert" }, "Room not found. It may have been removed, or you no longer have access."),
      h("a", { href: "/", class: "btn btn-primary" }, "Back to your rooms"),
    ),
  );
}

/** A notice bar: refusals and waits stay until dismissed (or over), information fades after a few seconds. */
class Notice {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor() {
    this.text = h("span", { class: "notice-text" });
    const close = h("button", { type: "button", class: "icon-btn notice-close", "aria-label": "Dismiss" }, "×");
    close.addEventListener("click", () => this.hide());
    this.el = h("div", { class: "notice", "data-testid": "notice", role: "status", "aria-live": "polite", hidden: true }, this.text, close);
  }
  show(message: string | Node, tone: "info" | "error" | "waiting" = "info", action?: { label: string; run(): void }): void {
    clearTimeout(this.timer);
    this.text.replaceChildren(message);
    if (action) {
      const b = h("button", { type: "button", class: "btn btn-small btn-secondary notice-action", "data-testid": "notice-action" }, action.label);
      b.addEventListener("click", () => {
        this.hide();
        action.run();
      });
      this.text.append(" ", b);
    }
    this.el.dataset.tone = tone;
    this.el.setAttribute("role", tone === "error" ? "alert" : "status");
    this.el.hidden = false;
    if (tone === "info") this.timer = setTimeout(() => this.hide(), 6000);
  }
  hide(): void {
    clearTimeout(this.timer);
    this.el.hidden = true;
  }
}

function panel(id: string, title: string, ...body: (Node | null)[]): HTMLElement {
  return h(
    "section",
    { class: `panel panel-${id}`, id: `panel-${id}`, role: "tabpanel", "aria-labelledby": `tab-${id}`, tabindex: -1 },
    h("div", { class: "panel-head" }, h("h2", { class: "panel-title", id: `heading-${id}` }, title)),
    ...body,
  );
}

function openRoom(root: HTMLElement, me: Me, initial: RoomDetail): () => void {
  let room = initial;
  const access = (): Access => ({
    role: room.role,
    customer_may_edit_pricing: room.customer_may_edit_pricing,
    customer_deal_fields: room.customer_deal_fields,
  });
  // The id keys the local copy of unsent edits (session.ts); the server stamps it on presence anyway.
  const user = { id: me.id, name: me.name, color: colorFor(`u${me.id}`) };
  const internal = isInternal(room.role);
  const budget = new ResetBudget();
  const notice = new Notice();
  // No place in the room for now (4503 full, 4529 too many of the person's tabs): why, and when it tries again.
  const seatText = new SeatWaitText();
  // Clause blocks, variables, "Insert clause" and the export (clauses/room.ts).
  const clauses = new RoomClauses({
    roomId: room.id,
    role: room.role,
    notify: (m, tone) => notice.show(m, tone),
    // A clause block's "Discuss" opens a thread about it (the sheet is made below, before anyone can tap).
    discuss: room.role === "viewer" ? undefined : (clauseId) => sheet.compose({ type: "clause", clauseId }, "question"),
  });
  const products = new ProductCatalog(() => api.products(room.id));
  // The customer's proposals: line changes above the pricing table, clause edits above the terms.
  const lineProposals = new ProposalsView({ roomId: room.id, role: room.role, kind: "line", notify: (m, tone) => notice.show(m, tone) });
  const clauseProposals = new ProposalsView({ roomId: room.id, role: room.role, kind: "clause", notify: (m, tone) => notice.show(m, tone) });
  let destroyed = false;

  // Threads (questions, disputes, notes): read live from the shared doc's `comments` and, for internal
  // roles, the internal doc's (announced by the internal chunk); written through the API.
  let sharedThreads: Y.Map<unknown> | null = null;
  let internalThreads: Y.Map<unknown> | null = null;
  let threads: Thread[] = [];
  const lineName = (id: string): string | undefined => {
    for (const line of sharedLines?.toArray() ?? []) {
      if (line instanceof Object && "get" in line && (line as Y.Map<unknown>).get("id") === id) {
        const sku = String((line as Y.Map<unknown>).get("sku") ?? "");
        return products.find(sku)?.name ?? (sku || undefined);
      }
    }
    return undefined;
  };
  let sharedLines: Y.Array<unknown> | null = null;
  const sheet = new ThreadSheet({
    roomId: room.id,
    me,
    role: room.role,
    members: room.members,
    lineName,
    notify: (m, tone) => notice.show(m, tone),
    onActive: (id) => {
      if (editor) setThreadMarks(editor, threads, id);
    },
  });
  const selectionActions = new SelectionActions((kind) => {
    const anchor = editor ? selectionAnchor(editor) : null;
    selectionActions.show(false);
    if (!anchor) return notice.show("Select some words of the terms first.");
    sheet.compose(anchor, kind);
  });
  const threadsCount = h("span", { class: "threads-count", "data-testid": "threads-count", hidden: true });
  const threadsButton = h("button", { type: "button", class: "btn btn-small btn-secondary threads-btn", "data-testid": "threads-button", "aria-label": "Threads" }, "Threads", threadsCount);
  threadsButton.addEventListener("click", () => (sheet.isOpen ? sheet.close() : sheet.showList()));
  const onThreads = () => {
    threads = mergeThreads(readThreads(sharedThreads), readThreads(internalThreads));
    const count = openCount(threads);
    threadsCount.textContent = String(count);
    threadsCount.hidden = count === 0;
    threadsButton.setAttribute("aria-label", `Threads: ${count} open`);
    sheet.update(threads);
    if (editor) setThreadMarks(editor, threads, sheet.activeId);
  };
  const onInternalThreads = (ev: Event) => {
    internalThreads?.unobserveDeep(onThreads);
    internalThreads = (ev as CustomEvent<Y.Map<unknown> | null>).detail;
    internalThreads?.observeDeep(onThreads);
    onThreads();
  };

  // Header
  const title = h("h1", { class: "room-title", "data-testid": "room-title" }, room.title);
  const customer = h("span", { class: "room-customer" }, room.customer_name);
  const conn = h("div", { class: "conn", "data-testid": "connection-state", "data-state": "connecting", role: "status" }, h("span", { class: "conn-dot", "aria-hidden": "true" }), h("span", { class: "conn-text" }, STATE_TEXT.connecting));
  const pending = waitingBadge();
  const presence = new PresenceList({ id: me.id, name: me.name, color: user.color });
  // Where approval stands: internal roles only (it reads the internal doc; customers see no approval
  // state), a button to the steps. It follows the internal doc the approval panel announces.
  const approvalBadge = internal ? new ApprovalBadge({ onActivate: () => showApproval() }) : null;
  // Who changed what (the Activity tab / panel) and the bell with what others did since the person looked.
  const activity = new ActivityPanel(room.id);
  const bell = new Bell(room.id, () => showActivity());
  const header = h(
    "header",
    { class: "room-header" },
    h(
      "div",
      { class: "room-header-inner" },
      h("a", { href: "/", class: "back-link", "aria-label": "All rooms" }, icon("back", 20), h("span", { class: "back-text" }, "Rooms")),
      h("div", { class: "room-heading" }, title, h("p", { class: "room-meta" }, customer, h("span", { class: `badge badge-${room.role}` }, roleLabel(room.role)), approvalBadge?.el ?? null)),
      h("div", { class: "room-status" }, threadsButton, presence.el, h("div", { class: "conn-wrap" }, conn, pending, bell.el)),
    ),
  );

  // Panels
  const termsHost = h("div", { class: "editor", "data-testid": "terms-editor" });
  const termsTools = h("div", { class: "editor-tools" });
  const termsPanel = panel(
    "terms",
    "Terms",
    canWriteTerms(room.role) ? null : h("p", { class: "readonly-banner" }, icon("eye", 16), "You can read the terms; editing is not part of your role in this room."),
    clauses.freeText.el,
    termsTools,
    clauses.bar,
    clauseProposals.el,
    termsHost,
    clauses.exportHost,
  );
  const pricingHost = h("div");
  const pricingPanel = panel("pricing", "Pricing", lineProposals.el, pricingHost);
  const dealHost = h("div");
  const accessHost = h("div");
  const dealPanel = panel("deal", "Deal", dealHost, accessHost);
  // The room's versions: compare any two, the rep saves and restores (versions.ts).
  const versions = new VersionsPanel({ roomId: room.id, role: room.role, notify: (m, tone) => notice.show(m, tone) });
  const versionsPanel = panel("versions", "Versions", versions.el);
  const activityPanel = panel("activity", "Activity", activity.el);
  const notesPanel = internal
    ? panel("notes", "Internal notes", h("p", { class: "hint internal-hint" }, icon("lock", 14), "Only your company sees this. Customers never do."), h("div", { class: "internal-host" }, h("p", { class: "muted" }, "Loading notes…")))
    : null;
  // The rep panel: in the right column above Deal on desktop, in the Internal tab on phones. Its
  // code is in the internal chunk; this is only the place it goes.
  const repPanel = internal
    ? h(
        "section",
        { class: "panel panel-rep", id: "panel-rep", "aria-labelledby": "heading-rep", tabindex: -1 },
        h("div", { class: "panel-head" }, h("h2", { class: "panel-title", id: "heading-rep" }, "Deal economics"), h("span", { class: "internal-tag" }, icon("lock", 14), "Internal")),
        h("div", { class: "rep-host" }, h("p", { class: "muted" }, "Loading…")),
      )
    : null;

  // The approval steps, reasons and approvers: internal only (the internal chunk fills it).
  const approvalPanel = internal
    ? h(
        "section",
        { class: "panel panel-approval", id: "panel-approval", "aria-labelledby": "heading-approval", tabindex: -1 },
        h("div", { class: "panel-head" }, h("h2", { class: "panel-title", id: "heading-approval" }, "Approval"), h("span", { class: "internal-tag" }, icon("lock", 14), "Internal")),
        h("div", { class: "approval-host" }, h("p", { class: "muted" }, "Loading…")),
      )
    : null;

  // Guidance: enablement cards the room triggers now (internal only; the internal chunk fills it and shows
  // it while a card applies). Below the pricing on desktops (a card appearing does not move the table being
  // edited); not a tab on phones: it sits above whichever section is open.
  const guidancePanel = internal
    ? h(
        "section",
        { class: "panel panel-guidance", id: "panel-guidance", "aria-labelledby": "heading-guidance", hidden: true, "data-testid": "guidance-panel" },
        h("div", { class: "panel-head" }, h("h2", { class: "panel-title", id: "heading-guidance" }, "Guidance"), h("span", { class: "internal-tag" }, icon("lock", 14), "Internal")),
        h("div", { class: "guidance-host" }),
      )
    : null;
  const onSharedChange = () => guidancePanel?.dispatchEvent(new CustomEvent(GUIDANCE_EVENT));

  const tabs = new Tabs([
    { id: "terms", label: "Terms", panel: termsPanel },
    { id: "pricing", label: "Pricing", panel: pricingPanel },
    { id: "deal", label: "Deal", panel: dealPanel },
    { id: "versions", label: "Versions", panel: versionsPanel },
    ...(notesPanel ? [{ id: "notes", label: "Internal", panel: notesPanel, also: [approvalPanel, repPanel].filter((p): p is HTMLElement => p !== null) }] : []),
    { id: "activity", label: "Activity", panel: activityPanel },
  ]);

  const layout = h(
    "main",
    { class: `room-layout${internal ? " has-notes" : ""}` },
    h("div", { class: "col col-main" }, termsPanel, notesPanel),
    h("div", { class: "col col-side" }, pricingPanel, guidancePanel, approvalPanel, repPanel, dealPanel, versionsPanel, activityPanel),
  );
  // What changed since the person last looked: a banner above the room, the changes marked in it.
  const sinceBanner = new SinceBanner(room.id, layout);
  mount(
    root, header, tabs.el, h("div", { class: "room-notice-wrap" }, notice.el, sinceBanner.el), layout,
    selectionActions.el, sheet.el,
  );
  void sinceBanner.start();
  layout.addEventListener(INTERNAL_THREADS_EVENT, onInternalThreads);
  approvalBadge?.follow(layout);
  if (internal) clauses.follow(layout);

  function showActivity(): void {
    if (tabs.el.offsetParent !== null) tabs.select("activity", true); // phones: its own tab
    activityPanel.scrollIntoView({ block: "start", behavior: "smooth" });
    activity.show();
  }

  function showApproval(): void {
    if (!approvalPanel) return;
    if (tabs.el.offsetParent !== null) tabs.select("notes", true); // phones: the panel is in the Internal tab
    approvalPanel.scrollIntoView({ block: "start", behavior: "smooth" });
    approvalPanel.focus({ preventScroll: true });
  }

  // Live binding
  let editor: Editor | null = null;
  let pricing: PricingTable | null = null;
  let deal: DealFields | null = null;
  let accessPanel: RoomAccessPanel | null = null;
  let titleDeal: Y.Map<unknown> | null = null;
  const onDealTitle = () => {
    const t = titleDeal?.get("title");
    title.textContent = typeof t === "string" && t ? t : room.title;
    const c = titleDeal?.get("customerName");
    customer.textContent = typeof c === "string" && c ? c : room.customer_name;
    document.title = `${title.textContent} · Dealroom`;
  };

  const session = new SyncSession(room.id, "shared", user, {
    onState(state) {
      conn.dataset.state = stateAttr(state);
      conn.querySelector(".conn-text")!.textContent = STATE_TEXT[state];
      conn.setAttribute("aria-label", `Connection: ${STATE_TEXT[state]}`);
    },
    onPending: (count) => showWaiting(pending, count),
    onClose: (action, reason, _code, aboutLocalEdits) => void onClose(action, reason, aboutLocalEdits),
    onWait(wait) {
      if (!wait) {
        seatText.stop();
        if (seatText.el.isConnected) notice.hide();
        return;
      }
      seatText.show(wait);
      // Shown again after each refusal, also when dismissed meanwhile; "Try now" asks at once.
      if (notice.el.hidden || !seatText.el.isConnected) notice.show(seatText.el, "waiting", { label: "Try now", run: () => session.retry() });
    },
  });

  // The record follows the room: fetched again shortly after its document changes (edits come in bursts).
  const onDocUpdate = () => {
    activity.changed();
    bell.changed();
  };
  let boundDoc: Y.Doc | null = null;

  function bind(): void {
    const doc = session.doc;
    boundDoc = doc;
    doc.on("update", onDocUpdate);
    const fragment = doc.getXmlFragment("terms");
    const dealMap = doc.getMap<unknown>("deal");
    const parts = { lines: doc.getArray("lines") as Lines, computed: doc.getMap<unknown>("computed"), deal: dealMap };
    termsHost.replaceChildren();
    editor = createCollabEditor({
      element: termsHost,
      fragment,
      provider: session.provider,
      user,
      editable: canWriteTerms(room.role),
      label: "Contract terms",
      nodes: clauses.nodes,
      extensions: [ThreadMarks.configure({ onOpen: (id) => sheet.showThread(id) })],
    });
    const bound = editor;
    // A selection of words in the terms offers "Ask / Dispute / Note" (not to read-only members).
    bound.on("selectionUpdate", () => selectionActions.show(room.role !== "viewer" && !bound.state.selection.empty && !sheet.isOpen));
    bound.on("blur", () => setTimeout(() => selectionActions.show(room.role !== "viewer" && !bound.isDestroyed && !bound.state.selection.empty && !sheet.isOpen), 150));
    sharedThreads = doc.getMap<unknown>("comments");
    sharedThreads.observeDeep(onThreads);
    sharedLines = doc.getArray<unknown>("lines");
    termsTools.replaceChildren(canWriteTerms(room.role) ? toolbar(editor, "Format the terms") : "");
    clauses.bind(editor, parts.computed);
    lineProposals.bind(parts.computed);
    clauseProposals.bind(parts.computed);
    pricing = new PricingTable(parts, {
      access: access(),
      notify: (m) => notice.show(m),
      products,
      loadFacts: (sku) => api.product(sku, room.id),
      discuss: room.role === "viewer" ? undefined : (lineId) => sheet.compose({ type: "line", lineId }, "question"),
    });
    pricingHost.replaceChildren(pricing.el);
    deal = new DealFields(dealMap, {
      access: access(),
      discuss: room.role === "viewer" ? undefined : (field) => sheet.compose({ type: "field", field }, "question"),
    });
    dealHost.replaceChildren(deal.el);
    titleDeal = dealMap;
    dealMap.observe(onDealTitle);
    doc.on("update", versions.changed);
    if (guidancePanel) doc.on("update", onSharedChange);
    onDealTitle();
    presence.bind(session.provider.awareness);
    onThreads();
  }

  function unbind(): void {
    sharedThreads?.unobserveDeep(onThreads);
    sharedThreads = null;
    sharedLines = null;
    session.doc.off("update", versions.changed);
    session.doc.off("update", onSharedChange);
    boundDoc?.off("update", onDocUpdate);
    boundDoc = null;
    clauses.unbind();
    lineProposals.unbind();
    clauseProposals.unbind();
    editor?.destroy();
    pricing?.destroy();
    deal?.destroy();
    titleDeal?.unobserve(onDealTitle);
    presence.destroy();
    editor = null;
    pricing = null;
    deal = null;
  }

  async function onClose(action: CloseAction, reason: string, aboutLocalEdits: boolean): Promise<void> {
    if (action === "signin") {
      destroy();
      return navigate(signInUrl(), { replace: true });
    }
    if (action === "not-found") {
      destroy();
      return notFound(root);
    }
    if (!budget.allow(aboutLocalEdits)) {
      // Refused before anything was edited here: a fresh doc would be refused the same way.
      notice.show(reason ? `The server closed the room: ${reason}.` : "The server closed the room.", "error", {
        label: "Reconnect",
        run: () => session.retry(),
      });
      return;
    }
    notice.show(refusalMessage(action, reason), "error");
    // The refusal may come from a changed room setting (e.g. pricing closed to customers).
    try {
      room = await api.room(room.id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
      if (e instanceof ApiError && e.status === 404) {
        destroy();
        return notFound(root);
      }
    }
    if (destroyed) return;
    unbind();
    session.reset();
    bind();
    accessPanel?.update(room);
  }

  bind();
  // A mailed deep link (`?thread=ID`) opens the room at the thread; it shows as soon as the room has it.
  const linked = threadFromSearch(location.search);
  if (linked) sheet.showThread(linked);
  if (room.role === "rep") {
    accessPanel = new RoomAccessPanel(room, {
      onChange: (next) => {
        room = { ...room, ...next };
      },
      notify: (m, tone) => notice.show(m, tone),
    });
    accessHost.replaceChildren(accessPanel.el);
  }

  // The internal pane: its own chunk and socket, only ever for internal roles.
  let internalPane: { destroy(): void } | null = null;
  if (notesPanel) {
    import("./internal")
      .then(({ mountInternal }) => {
        if (destroyed) return;
        internalPane = mountInternal(
          {
            notes: notesPanel.querySelector(".internal-host") as HTMLElement,
            rep: repPanel?.querySelector<HTMLElement>(".rep-host"),
            approval: approvalPanel?.querySelector<HTMLElement>(".approval-host"),
            guidance: guidancePanel,
          },
          { roomId: room.id, user, me, role: room.role, notify: (m, tone) => notice.show(m, tone) },
        );
      })
      .catch(() => {
        const host = notesPanel.querySelector(".internal-host");
        if (host) mount(host, h("p", { class: "field-error" }, "The internal notes could not be loaded. Reload the page to try again."));
        const rep = repPanel?.querySelector(".rep-host");
        if (rep) mount(rep, h("p", { class: "field-error" }, "The deal economics could not be loaded. Reload the page to try again."));
        const approval = approvalPanel?.querySelector(".approval-host");
        if (approval) mount(approval, h("p", { class: "field-error" }, "The approval steps could not be loaded. Reload the page to try again."));
      });
  }

  function destroy(): void {
    if (destroyed) return;
    destroyed = true;
    unbind();
    session.destroy();
    seatText.stop();
    internalPane?.destroy();
    layout.removeEventListener(INTERNAL_THREADS_EVENT, onInternalThreads);
    internalThreads?.unobserveDeep(onThreads);
    sheet.close();
    approvalBadge?.destroy();
    activity.destroy();
    bell.destroy();
    clauses.destroy();
    versions.destroy();
    sinceBanner.destroy();
    tabs.destroy();
  }
  return destroy;
}
