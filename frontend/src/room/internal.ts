/**
 * The internal pane (its own chunk): internal notes, bound to the `notes` fragment of the room's
 * internal doc over its own socket. Loaded and connected only for internal roles; a customer's
 * browser never even downloads this code.
 */
import type { Editor } from "@tiptap/core";
import type * as Y from "yjs";
import type { Me } from "../lib/api";
import { h, mount } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { createCollabEditor, toolbar } from "./editor";
import { pendingLabel } from "./pending";
import { ResetBudget, refusalMessage } from "./refusal";
import { stateAttr, SyncSession, type ConnState } from "./session";

export interface InternalOptions {
  roomId: string;
  user: { name: string; color: string };
  me: Me;
}

const LABELS: Record<ConnState, string> = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…", offline: "Offline" };

export function mountInternal(host: HTMLElement, opts: InternalOptions): { destroy(): void } {
  const editorHost = h("div", { class: "editor editor-notes", "data-testid": "internal-notes" });
  const tools = h("div", { class: "editor-tools" });
  const state = h("span", { class: "conn conn-small", "data-testid": "internal-connection-state", "data-state": "connecting" }, h("span", { class: "conn-dot", "aria-hidden": "true" }), h("span", { class: "conn-text" }, LABELS.connecting));
  const pending = h("span", { class: "pending", hidden: true }, pendingLabel(0));
  const message = h("p", { class: "notice notice-inline", role: "alert", hidden: true, "data-tone": "error" });
  const economics = h("dl", { class: "kv" });
  const economicsWrap = h("div", { class: "economics", hidden: true }, h("h3", { class: "subhead" }, "Deal economics"), economics);
  mount(host, h("div", { class: "internal-status" }, state, pending), message, tools, editorHost, economicsWrap);

  const budget = new ResetBudget();
  let editor: Editor | null = null;
  let computed: Y.Map<unknown> | null = null;
  const renderEconomics = () => {
    const entries = computed ? Array.from(computed.entries()).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v)) : [];
    economicsWrap.hidden = entries.length === 0;
    mount(economics, entries.map(([k, v]) => [h("dt", {}, humanize(k)), h("dd", {}, String(v))]).flat());
  };

  const session = new SyncSession(opts.roomId, "internal", opts.user, {
    onState(s) {
      state.dataset.state = stateAttr(s);
      state.querySelector(".conn-text")!.textContent = LABELS[s];
    },
    onPending(n) {
      pending.textContent = pendingLabel(n);
      pending.hidden = n === 0;
    },
    onClose(action, reason, _code, aboutLocalEdits) {
      if (action === "signin") return navigate(signInUrl(), { replace: true });
      if (action === "not-found" || !budget.allow(aboutLocalEdits)) {
        message.textContent = reason || "The internal notes are not available.";
        message.hidden = false;
        return;
      }
      message.textContent = refusalMessage(action, reason);
      message.hidden = false;
      unbind();
      session.reset();
      bind();
    },
  });

  function bind(): void {
    editorHost.replaceChildren();
    editor = createCollabEditor({ element: editorHost, fragment: session.doc.getXmlFragment("notes"), provider: session.provider, user: opts.user, editable: true, label: "Internal notes" });
    tools.replaceChildren(toolbar(editor, "Format the notes"));
    computed = session.doc.getMap<unknown>("computed");
    computed.observe(renderEconomics);
    renderEconomics();
  }

  function unbind(): void {
    editor?.destroy();
    editor = null;
    computed?.unobserve(renderEconomics);
    computed = null;
  }

  bind();
  return {
    destroy() {
      unbind();
      session.destroy();
    },
  };
}

function humanize(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}
