/**
 * The internal pane (its own chunk): internal notes, bound to the `notes` fragment of the room's
 * internal doc over its own socket, the rep panel (margin, floor, commission) and the approval
 * panel (steps, reasons, approvers, decisions) bound to its `computed`. Loaded and connected only for internal roles; a customer's browser never even
 * downloads this code.
 */
import "./internal.css";
import type { Editor } from "@tiptap/core";
import type { Me } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { ApprovalPanel } from "./approval-panel";
import { createCollabEditor, toolbar } from "./editor";
import { GuidancePanel } from "./guidance";
import { pendingLabel } from "./pending";
import { ResetBudget, refusalMessage } from "./refusal";
import { RepPanel } from "./rep-panel";
import { SeatWaitText } from "./seat-wait";
import { stateAttr, SyncSession, type ConnState } from "./session";
import { announceInternalThreads } from "./threads";
import { WhatIfPanel } from "./whatif-panel";

export interface InternalOptions {
  roomId: string;
  user: { name: string; color: string };
  me: Me;
  /** The caller's role in the room: the commission is "yours" for the rep, the rep submits for approval. */
  role: string;
  /** A passing message in the room's notice bar. */
  notify?: (message: string, tone?: "info" | "error") => void;
}

export interface InternalHosts {
  notes: HTMLElement;
  /** Where the rep panel goes (the right column on desktop, the Internal tab on phones). */
  rep?: HTMLElement | null;
  /** Where the approval panel goes (above the deal economics). */
  approval?: HTMLElement | null;
  /** The Guidance panel's section (hidden while no enablement card applies); its `.guidance-host` gets the cards. */
  guidance?: HTMLElement | null;
}

const LABELS: Record<ConnState, string> = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…", offline: "Offline", waiting: "Waiting for a place" };

export function mountInternal(hosts: InternalHosts, opts: InternalOptions): { destroy(): void } {
  const host = hosts.notes;
  const editorHost = h("div", { class: "editor editor-notes", "data-testid": "internal-notes" });
  const tools = h("div", { class: "editor-tools" });
  const state = h("span", { class: "conn conn-small", "data-testid": "internal-connection-state", "data-state": "connecting" }, h("span", { class: "conn-dot", "aria-hidden": "true" }), h("span", { class: "conn-text" }, LABELS.connecting));
  const pending = h("span", { class: "pending", hidden: true }, pendingLabel(0));
  const message = h("p", { class: "notice notice-inline", role: "alert", hidden: true, "data-tone": "error" });
  mount(host, h("div", { class: "internal-status" }, state, pending), message, tools, editorHost);
  const rep = hosts.rep ? new RepPanel(opts.role === "rep") : null;
  // The what-if sits under the commission estimate; like the rest of this chunk, never in a customer's browser.
  const whatIf = hosts.rep ? new WhatIfPanel(opts.roomId) : null;
  if (rep) mount(hosts.rep!, rep.el, whatIf!.el);
  const approval = hosts.approval ? new ApprovalPanel({ roomId: opts.roomId, isRep: opts.role === "rep", meId: opts.me.id, notify: opts.notify }) : null;
  if (approval) mount(hosts.approval!, approval.el);
  const guidance = hosts.guidance ? new GuidancePanel({ roomId: opts.roomId, frame: hosts.guidance, notify: opts.notify }) : null;
  if (guidance) mount(hosts.guidance!.querySelector(".guidance-host") ?? hosts.guidance!, guidance.el);
  // The server re-prices into the internal doc after each change: cards are asked for again once it settles.
  const onInternalUpdate = () => guidance?.refreshSoon();

  const budget = new ResetBudget();
  let editor: Editor | null = null;
  // No place in the internal doc for now (4503/4529): said above the notes until the session has one.
  const seatText = new SeatWaitText();

  const session = new SyncSession(opts.roomId, "internal", opts.user, {
    onState(s) {
      state.dataset.state = stateAttr(s);
      state.querySelector(".conn-text")!.textContent = LABELS[s];
    },
    onPending(n) {
      pending.textContent = pendingLabel(n);
      pending.hidden = n === 0;
    },
    onWait(wait) {
      if (!wait) {
        seatText.stop();
        if (seatText.el.isConnected) message.hidden = true;
        return;
      }
      seatText.show(wait);
      if (!seatText.el.isConnected) message.replaceChildren(seatText.el);
      message.dataset.tone = "waiting";
      message.setAttribute("role", "status");
      message.hidden = false;
    },
    onClose(action, reason, _code, aboutLocalEdits) {
      if (action === "signin") return navigate(signInUrl(), { replace: true });
      const refused = (text: string) => {
        message.textContent = text;
        message.dataset.tone = "error";
        message.setAttribute("role", "alert");
        message.hidden = false;
      };
      if (action === "not-found" || !budget.allow(aboutLocalEdits)) return refused(reason || "The internal notes are not available.");
      refused(refusalMessage(action, reason));
      unbind();
      session.reset();
      bind();
    },
  });

  function bind(): void {
    editorHost.replaceChildren();
    editor = createCollabEditor({ element: editorHost, fragment: session.doc.getXmlFragment("notes"), provider: session.provider, user: opts.user, editable: true, label: "Internal notes" });
    tools.replaceChildren(toolbar(editor, "Format the notes"));
    rep?.bind(session.doc.getMap<unknown>("computed"));
    whatIf?.bind(session.doc.getMap<unknown>("computed"));
    approval?.bind(session.doc.getMap<unknown>("computed"));
    session.doc.on("update", onInternalUpdate);
    // Internal threads: the page shows them with the shared ones (they never reach a customer's browser).
    announceInternalThreads(hosts.notes, session.doc.getMap<unknown>("comments"));
  }

  function unbind(): void {
    editor?.destroy();
    editor = null;
    rep?.unbind();
    whatIf?.unbind();
    approval?.unbind();
    session.doc.off("update", onInternalUpdate);
    announceInternalThreads(hosts.notes, null);
  }

  bind();
  return {
    destroy() {
      unbind();
      rep?.destroy();
      whatIf?.destroy();
      approval?.destroy();
      guidance?.destroy();
      session.destroy();
      seatText.stop();
    },
  };
}
